// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;

namespace Datadog.Otel.Lambda.Propagation;

/// <summary>
/// AWS X-Ray's <c>X-Amzn-Trace-Id</c> header (<c>Root=1-{8 hex}-{24 hex};Parent={16 hex};Sampled={0|1}</c>), with
/// OpenTelemetry's id mapping: the 128-bit trace id is the 8 epoch digits followed by the 24 others, so a Datadog
/// trace written into X-Ray as <c>Root=1-{epoch}-00000000{16 hex}</c> keeps its Datadog id in the lower 64 bits.
/// Fields may come in any order and others (such as <c>Lineage</c>) are ignored; Root and Parent are required;
/// <c>Sampled=?</c> or no Sampled leaves the sampling decision open. Injection writes
/// <c>Root=1-{first 8 hex}-{last 24 hex};Parent={span id};Sampled={0|1}</c>.
/// </summary>
public sealed class XRayPropagator : TextMapPropagator
{
    private static readonly HashSet<string> FieldSet = new(XRayHeaderFormat.Fields, StringComparer.Ordinal);

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
            return XRayHeaderFormat.TryExtract(new GetterHeaderSource<T>(carrier, getter), out var parts)
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
            XRayHeaderFormat.Inject(context.ActivityContext, carrier, setter);
        }
#pragma warning disable CA1031 // Propagation must never break the caller.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Diag.TracingFailed("inject", exception);
        }
    }
}
