// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;

namespace Datadog.Otel.Lambda.Propagation;

/// <summary>
/// A <see cref="TextMapPropagator"/> for one of Datadog's propagation styles, usable in any OpenTelemetry setup (alone,
/// or in OpenTelemetry's <c>CompositeTextMapPropagator</c>). Extraction reads the style's headers when the context has no
/// valid parent yet (so an earlier propagator in a composite wins) and keeps the baggage; a Datadog sampling priority,
/// origin and <c>_dd.p.*</c> tags travel in the <c>dd</c> member of the context's trace state. Injection writes the
/// style's headers for a context with a trace and span id. Neither ever throws: a failure is a diagnostic and the context
/// or carrier is left as it was. The styles are <see cref="DatadogPropagator"/>, <see cref="W3CTraceContextPropagator"/>,
/// <see cref="B3Propagator"/> and <see cref="XRayPropagator"/>; <see cref="DatadogCompositePropagator"/> combines several
/// with Datadog's multi-style rules.
/// </summary>
public abstract class DatadogStylePropagator : TextMapPropagator
{
    private readonly TraceHeaderFormat format;

    private protected DatadogStylePropagator(TraceHeaderFormat format)
    {
        this.format = format;
    }

    /// <inheritdoc/>
    public sealed override ISet<string> Fields => this.format.FieldSet;

    /// <inheritdoc/>
    public sealed override PropagationContext Extract<T>(PropagationContext context, T carrier, Func<T, string, IEnumerable<string>?> getter)
    {
        if (context.ActivityContext.IsValid() || carrier is null || getter is null)
        {
            return context;
        }

        try
        {
            if (!this.format.TryExtract(new GetterHeaderSource<T>(carrier, getter), out var parts))
            {
                return context;
            }

            PropagationDiagnostics.ExtractError(parts.PropagationError);
            return new PropagationContext(parts.ToActivityContext(), context.Baggage);
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
    public sealed override void Inject<T>(PropagationContext context, T carrier, Action<T, string, string> setter)
    {
        if (!PropagationContexts.CanInject(context.ActivityContext) || carrier is null || setter is null)
        {
            return;
        }

        try
        {
            this.format.Inject(context.ActivityContext, carrier, setter);
        }
#pragma warning disable CA1031 // Propagation must never break the caller.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Diag.TracingFailed("inject", exception);
        }
    }
}
