// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.ExtensionEmulator.Mapping;

namespace Datadog.Otel.Lambda.ExtensionEmulator;

/// <summary>
/// The spans received so far for one Datadog trace id (the lower 64 bits of the OTel trace id), in arrival
/// order, across requests, with the chunk sampling priority the extension would derive from them.
/// </summary>
public sealed class DatadogTrace
{
    private readonly Dictionary<ulong, DatadogSpan> bySpanId = [];
    private readonly Dictionary<ulong, List<DatadogSpan>> byParentId = [];

    internal DatadogTrace(ulong traceId, IReadOnlyList<DatadogSpan> spans)
    {
        TraceId = traceId;
        Spans = spans;
        foreach (var span in spans)
        {
            // The OTLP path has no de-duplication: with a repeated span id the first span is the one found.
            bySpanId.TryAdd(span.SpanId, span);
            if (!byParentId.TryGetValue(span.ParentId, out var children))
            {
                children = [];
                byParentId.Add(span.ParentId, children);
            }

            children.Add(span);
        }

        var rootIndex = spans.Count == 0 ? -1 : TraceChunkRules.RootIndex(spans, s => s.SpanId, s => s.ParentId);
        Root = rootIndex >= 0 ? spans[rootIndex] : null;
        var priority = rootIndex >= 0 ? TraceChunkRules.Priority(spans, rootIndex, s => s.Metrics) : TraceChunkRules.NoPriority;
        SamplingPriority = priority == TraceChunkRules.NoPriority ? null : priority;
        Roots = spans.Where(s => s.ParentId == 0 || !bySpanId.ContainsKey(s.ParentId)).ToList();
    }

    /// <summary>
    /// Groups spans into traces by Datadog trace id, in order of each trace's first span, keeping the spans' order
    /// within each trace. This is how Datadog joins the spans of one trace that several extensions sent (in Lambda each
    /// function has its own extension): pass the spans of several emulators to see their traces whole.
    /// </summary>
    /// <param name="spans">The spans, for example <c>first.Spans.Concat(second.Spans)</c>.</param>
    /// <returns>The traces.</returns>
    public static IReadOnlyList<DatadogTrace> Group(IEnumerable<DatadogSpan> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        return spans.GroupBy(s => s.TraceId).Select(g => new DatadogTrace(g.Key, g.ToArray())).ToList();
    }

    /// <summary>Gets the Datadog trace id (lower 64 bits of the OTel trace id).</summary>
    public ulong TraceId { get; }

    /// <summary>Gets the spans in arrival order.</summary>
    public IReadOnlyList<DatadogSpan> Spans { get; }

    /// <summary>
    /// Gets the chunk sampling priority: the root span's <c>_sampling_priority_v1</c> metric (from an integer
    /// <c>sampling.priority</c> attribute), else the first span's that has one; null when no span has one, which
    /// Datadog treats as "keep".
    /// </summary>
    public int? SamplingPriority { get; }

    /// <summary>
    /// Gets the root span as Datadog picks it: the last span with parent 0, else the last span whose parent is not
    /// in the trace, else the last span; null for an empty trace.
    /// </summary>
    public DatadogSpan? Root { get; }

    /// <summary>Gets every span with parent 0 or with a parent that is not in the trace, in arrival order.</summary>
    public IReadOnlyList<DatadogSpan> Roots { get; }

    /// <summary>Gets the direct children of a span, in arrival order.</summary>
    /// <param name="span">The parent span.</param>
    /// <returns>The spans whose parent id is the span's id.</returns>
    public IReadOnlyList<DatadogSpan> GetChildren(DatadogSpan span)
    {
        ArgumentNullException.ThrowIfNull(span);
        return byParentId.TryGetValue(span.SpanId, out var children) ? children : [];
    }

    /// <summary>Gets the parent of a span, or null when it is a root or its parent is not in the trace.</summary>
    /// <param name="span">The child span.</param>
    /// <returns>The parent span, or null.</returns>
    public DatadogSpan? GetParent(DatadogSpan span)
    {
        ArgumentNullException.ThrowIfNull(span);
        return span.ParentId != 0 && bySpanId.TryGetValue(span.ParentId, out var parent) ? parent : null;
    }

    /// <summary>Renders the trace as a waterfall (see <see cref="TraceRenderer.RenderWaterfall"/>).</summary>
    /// <returns>The waterfall text.</returns>
    public override string ToString() => TraceRenderer.RenderWaterfall(this);
}
