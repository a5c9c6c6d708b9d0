// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.SnapStart;

namespace Datadog.Otel.Lambda.Propagation;

/// <summary>
/// <c>X-Amzn-Trace-Id</c> with OpenTelemetry's id mapping (see <see cref="XRayTraceHeader"/>). Root and Parent are
/// required; <c>Sampled=1</c>/<c>0</c> give priority 1/0 and <c>Sampled=?</c> or no Sampled gives no decision.
/// </summary>
internal static class XRayHeaderFormat
{
    public static readonly string[] Fields = [XRayTraceHeader.HeaderName];

    public static bool TryExtract<TSource>(TSource source, out TraceContextParts parts)
        where TSource : struct, ITraceHeaderSource
    {
        if (source.Get(XRayTraceHeader.HeaderName, out var value) == 0)
        {
            parts = default;
            return false;
        }

        return TryParse(value, out parts);
    }

    public static bool TryParse(ReadOnlySpan<char> value, out TraceContextParts parts)
    {
        parts = default;
        if (!XRayTraceHeader.TryParse(value, out var header) || !header.HasParent
            || (header.RootEpoch == 0 && header.RootMiddle == 0 && header.RootLow == 0))
        {
            return false;
        }

        parts.Style = DatadogPropagationStyle.XRay;
        parts.TraceIdUpper = ((ulong)header.RootEpoch << 32) | header.RootMiddle;
        parts.TraceIdLower = header.RootLow;
        parts.SpanId = header.ParentId;
        if (header.Sampled is XRaySampled.Sampled or XRaySampled.NotSampled)
        {
            parts.Datadog.HasPriority = true;
            parts.Datadog.Priority = header.Sampled == XRaySampled.Sampled ? 1 : 0;
        }

        return true;
    }

    public static void Inject<T>(in ActivityContext activityContext, T carrier, Action<T, string, string> setter)
    {
        // This process's span ids go out as the world must see them (SnapStart: RestoredSpanIds).
        var context = RestoredSpanIds.Outgoing(in activityContext);
        var fields = default(DatadogFields);
        if (TraceStateList.TryGetDatadogMember(context.TraceState, out var member))
        {
            DatadogTraceState.ReadFields(member, ref fields);
        }

        var sampled = SamplingPriorityText.Resolve(in context, in fields) > 0;
        setter(carrier, XRayTraceHeader.HeaderName, XRayTraceHeader.Format(context.TraceId, context.SpanId, sampled));
    }
}
