// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.ExtensionEmulator.Mapping;

/// <summary>libdatadog's rules for a chunk's root span and sampling priority (spec §5.4).</summary>
internal static class TraceChunkRules
{
    /// <summary>libdatadog's "no priority" value (<c>SamplerPriority::None</c>): such a chunk is always kept.</summary>
    public const int NoPriority = sbyte.MinValue;

    /// <summary>
    /// The root: the last span with parent 0 (searching from the end, as some clients put the root last);
    /// otherwise the last span whose parent is not in the chunk; otherwise the last span.
    /// </summary>
    public static int RootIndex<T>(IReadOnlyList<T> spans, Func<T, ulong> spanId, Func<T, ulong> parentId)
    {
        for (var i = spans.Count - 1; i >= 0; i--)
        {
            if (parentId(spans[i]) == 0)
            {
                return i;
            }
        }

        var ids = spans.Select(spanId).ToHashSet();
        var root = -1;
        for (var i = 0; i < spans.Count; i++)
        {
            if (!ids.Contains(parentId(spans[i])))
            {
                root = i;
            }
        }

        return root >= 0 ? root : spans.Count - 1;
    }

    /// <summary>
    /// The chunk priority: the root span's <c>_sampling_priority_v1</c> metric, else the first span's that has
    /// one, else <see cref="NoPriority"/>. The metric is truncated to an integer, saturating like Rust's <c>as i32</c>.
    /// </summary>
    public static int Priority<T>(IReadOnlyList<T> spans, int rootIndex, Func<T, IReadOnlyDictionary<string, double>> metrics)
    {
        if (spans.Count == 0)
        {
            return NoPriority;
        }

        if (metrics(spans[rootIndex]).TryGetValue(AttributeMapping.SamplingPriorityMetric, out var rootPriority))
        {
            return SaturatingToInt32(rootPriority);
        }

        foreach (var span in spans)
        {
            if (metrics(span).TryGetValue(AttributeMapping.SamplingPriorityMetric, out var priority))
            {
                return SaturatingToInt32(priority);
            }
        }

        return NoPriority;
    }

    private static int SaturatingToInt32(double value) => value switch
    {
        double.NaN => 0,
        >= int.MaxValue => int.MaxValue,
        <= int.MinValue => int.MinValue,
        _ => (int)value,
    };
}
