// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;

namespace Datadog.Otel.Lambda.Propagation;

/// <summary>
/// B3 trace context, either as the <c>x-b3-traceid</c>/<c>x-b3-spanid</c>/<c>x-b3-sampled</c>/<c>x-b3-flags</c>
/// headers (<c>b3multi</c>) or as the single <c>b3</c> header. Ids of 16 or 32 hex digits are read; the 32-digit
/// trace id is written. Sampled <c>1</c>/<c>0</c> map to Datadog priority 1/0 and debug (<c>x-b3-flags: 1</c>,
/// single-header <c>d</c>) to 2; the priority travels in the <c>dd</c> tracestate member.
/// </summary>
public sealed class B3Propagator : TextMapPropagator
{
    private static readonly HashSet<string> MultiFieldSet = new(B3HeaderFormat.MultiFields, StringComparer.Ordinal);
    private static readonly HashSet<string> SingleFieldSet = new(B3HeaderFormat.SingleFields, StringComparer.Ordinal);

    private readonly bool singleHeader;

    /// <summary>Initializes a new instance of the <see cref="B3Propagator"/> class for the <c>x-b3-*</c> headers.</summary>
    public B3Propagator()
        : this(singleHeader: false)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="B3Propagator"/> class.</summary>
    /// <param name="singleHeader">True for the single <c>b3</c> header, false for the <c>x-b3-*</c> headers.</param>
    public B3Propagator(bool singleHeader)
    {
        this.singleHeader = singleHeader;
    }

    /// <inheritdoc/>
    public override ISet<string> Fields => singleHeader ? SingleFieldSet : MultiFieldSet;

    /// <inheritdoc/>
    public override PropagationContext Extract<T>(PropagationContext context, T carrier, Func<T, string, IEnumerable<string>?> getter)
    {
        if (context.ActivityContext.IsValid() || carrier is null || getter is null)
        {
            return context;
        }

        try
        {
            var source = new GetterHeaderSource<T>(carrier, getter);
            var found = singleHeader
                ? B3HeaderFormat.TryExtractSingle(source, out var parts)
                : B3HeaderFormat.TryExtractMulti(source, out parts);
            return found ? new PropagationContext(parts.ToActivityContext(), context.Baggage) : context;
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
            if (singleHeader)
            {
                B3HeaderFormat.InjectSingle(context.ActivityContext, carrier, setter);
            }
            else
            {
                B3HeaderFormat.InjectMulti(context.ActivityContext, carrier, setter);
            }
        }
#pragma warning disable CA1031 // Propagation must never break the caller.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Diag.TracingFailed("inject", exception);
        }
    }
}
