// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.Internal;

namespace Datadog.Otel.Lambda.Propagation;

/// <summary>
/// One extracted trace context before it becomes an <see cref="ActivityContext"/>: numbers plus spans into the
/// headers. Several of these are compared and merged by the composite propagator; only the one that is used
/// is turned into strings.
/// </summary>
internal ref struct TraceContextParts
{
    public DatadogPropagationStyle Style;
    public ulong TraceIdUpper;
    public ulong TraceIdLower;

    /// <summary>0 when the Datadog parent id is missing or invalid (the context is still used, see <see cref="DatadogPropagator"/>).</summary>
    public ulong SpanId;

    public DatadogFields Datadog;

    /// <summary>The incoming W3C tracestate list whose non-<c>dd</c> members are kept (within <see cref="TraceStateList"/>'s limits); empty when it was not usable.</summary>
    public ReadOnlySpan<char> OtherVendors;

    /// <summary>Value of <c>_dd.propagation_error</c> found while parsing, or null.</summary>
    public string? PropagationError;

    public readonly bool SameTraceAs(scoped in TraceContextParts other) =>
        TraceIdUpper == other.TraceIdUpper && TraceIdLower == other.TraceIdLower;

    /// <summary>
    /// The sampled flag: the priority when there is one (&gt; 0), else sampled, because Datadog treats an undecided
    /// trace as kept (AUTO_KEEP) and a sampler without Datadog knowledge should not drop it.
    /// </summary>
    public readonly ActivityTraceFlags TraceFlags =>
        !Datadog.HasPriority || Datadog.Priority > 0 ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None;

    public readonly ActivityContext ToActivityContext() =>
        new(
            DatadogIds.TraceId(TraceIdUpper, TraceIdLower),
            DatadogIds.SpanId(SpanId),
            TraceFlags,
            BuildTraceState(),
            isRemote: true);

    /// <summary>
    /// A span link to this context, as dd-trace-py makes it: sampled only with a priority &gt; 0; a W3C context's
    /// tracestate as it was kept on extraction, no tracestate for the other styles.
    /// </summary>
    public readonly ActivityContext ToLinkContext() =>
        new(
            DatadogIds.TraceId(TraceIdUpper, TraceIdLower),
            DatadogIds.SpanId(SpanId),
            Datadog.HasPriority && Datadog.Priority > 0 ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None,
            Style == DatadogPropagationStyle.TraceContext && !OtherVendors.IsEmpty ? TraceStateList.ToKeptList(OtherVendors) : null,
            isRemote: true);

    /// <summary>The trace state for the context: the <c>dd</c> member rebuilt from the fields, then the other vendors.</summary>
    public readonly string? BuildTraceState()
    {
        Span<char> initial = stackalloc char[256];
        var buffer = new CharBuffer(initial);
        try
        {
            DatadogTraceState.AppendMember(ref buffer, in Datadog, default);
            TraceStateList.AppendOtherMembers(ref buffer, OtherVendors, reserveDatadog: true);
            return buffer.Length == 0 ? null : buffer.ToString();
        }
        finally
        {
            buffer.Dispose();
        }
    }
}
