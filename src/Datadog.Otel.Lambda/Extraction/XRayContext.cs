// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Propagation;

namespace Datadog.Otel.Lambda.Extraction;

/// <summary>
/// The X-Ray trace header at the end of the extraction chain (<c>DD_MERGE_XRAY_TRACES</c>, default off).
/// <list type="bullet">
/// <item>No context in the event, merging on: the spans continue the X-Ray trace, converted to Datadog's ids (lower 63
/// bits of the Root's last 16 hex digits as the trace id, <c>Parent</c> as the parent span id), with
/// <c>_dd.parent_source=xray</c>. Merging off: a new trace.</item>
/// <item>A context in the event, merging on: the event's trace continues under the X-Ray Lambda segment (its
/// <c>Parent</c> replaces the parent span id), so the Datadog and X-Ray views nest (Datadog's Python library).</item>
/// <item><c>Sampled=0</c> is not a sampling decision here. Lambda passes it whenever X-Ray active tracing is off;
/// treating it as "drop" silently loses every trace (the trap users of the OpenTelemetry Lambda instrumentation hit).
/// Only <c>Sampled=1</c> carries a decision (keep); otherwise Datadog's sampler decides.</item>
/// </list>
/// </summary>
internal static class XRayContext
{
    public static UpstreamContext? Apply(UpstreamContext? found, string? header, bool merge)
    {
        if (!merge || string.IsNullOrEmpty(header) || !XRayTraceHeader.TryParse(header, out var xray))
        {
            return found;
        }

        if (found is { HasParent: true, Source: UpstreamSource.Event })
        {
            if (!xray.HasParent)
            {
                return found;
            }

            var parent = found.Parent;
            return found.WithParent(new ActivityContext(parent.TraceId, DatadogIds.SpanId(xray.ParentId), parent.TraceFlags, parent.TraceState, isRemote: true), UpstreamSource.Event);
        }

        var context = new ActivityContext(
            DatadogIds.TraceId(0, xray.DatadogTraceId),
            xray.HasParent ? DatadogIds.SpanId(xray.ParentId) : default,
            ActivityTraceFlags.Recorded,
            xray.Sampled == XRaySampled.Sampled ? DatadogTraceState.WithDecision(null, xray.DatadogSamplingPriority, null) : null,
            isRemote: true);
        return (found ?? UpstreamContext.None).WithParent(context, UpstreamSource.XRay);
    }

    /// <summary>
    /// An <c>AWSTraceHeader</c> whose Root's random part starts with <c>00000000</c> carries a Datadog context (tracers
    /// such as dd-trace-java write it): the rest of the Root is the 64-bit Datadog trace id, <c>Parent</c> the span id.
    /// </summary>
    public static bool TryReadDatadogContext(string header, out ActivityContext context)
    {
        context = default;
        if (!XRayTraceHeader.TryParse(header, out var xray) || !xray.IsDatadogContext || xray.DatadogContextTraceId == 0)
        {
            return false;
        }

        context = new ActivityContext(
            DatadogIds.TraceId(0, xray.DatadogContextTraceId),
            xray.HasParent ? DatadogIds.SpanId(xray.ParentId) : default,
            ActivityTraceFlags.Recorded,
            xray.Sampled is XRaySampled.Sampled or XRaySampled.NotSampled ? DatadogTraceState.WithDecision(null, xray.DatadogContextSamplingPriority, null) : null,
            isRemote: true);
        return true;
    }
}
