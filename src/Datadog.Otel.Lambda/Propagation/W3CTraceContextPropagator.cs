// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;

namespace Datadog.Otel.Lambda.Propagation;

/// <summary>
/// W3C trace context (<c>traceparent</c>, <c>tracestate</c>) with Datadog's <c>dd</c> tracestate member:
/// <c>dd=s:&lt;priority&gt;;o:&lt;origin&gt;;p:&lt;parent span id&gt;;t.&lt;tag&gt;:&lt;value&gt;</c>, other vendors'
/// members kept after it. On extraction the sampled flag and <c>s:</c> are reconciled as Datadog tracers do, several
/// <c>tracestate</c> headers are joined and several <c>traceparent</c> headers reject the context. On injection the
/// flag is <c>01</c> exactly when the priority is above 0, <c>p:</c> is the injected span's id and <c>t.tid</c> is
/// never written.
/// </summary>
public sealed class W3CTraceContextPropagator : TextMapPropagator
{
    private static readonly HashSet<string> FieldSet = new(W3CHeaderFormat.Fields, StringComparer.Ordinal);

    /// <inheritdoc/>
    public override ISet<string> Fields => FieldSet;

    /// <inheritdoc/>
    public override PropagationContext Extract<T>(PropagationContext context, T carrier, Func<T, string, IEnumerable<string>?> getter)
    {
        if (context.ActivityContext.IsValid() || carrier is null || getter is null)
        {
            return context;
        }

        try
        {
            return W3CHeaderFormat.TryExtract(new GetterHeaderSource<T>(carrier, getter), out var parts)
                ? new PropagationContext(parts.ToActivityContext(), context.Baggage)
                : context;
        }
#pragma warning disable CA1031 // Propagation must never break the caller.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Diag.TracingFailed("extract", exception);
            return context;
        }
    }

    /// <inheritdoc/>
    public override void Inject<T>(PropagationContext context, T carrier, Action<T, string, string> setter)
    {
        if (!PropagationContexts.CanInject(context.ActivityContext) || carrier is null || setter is null)
        {
            return;
        }

        try
        {
            W3CHeaderFormat.Inject(context.ActivityContext, carrier, setter);
        }
#pragma warning disable CA1031 // Propagation must never break the caller.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Diag.TracingFailed("inject", exception);
        }
    }
}
