// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using System.Text;

namespace Datadog.Otel.Lambda.ExtensionEmulator;

/// <summary>Renders traces as text, for the console and for test assertions.</summary>
public static class TraceRenderer
{
    private const string Indent = "  ";

    /// <summary>
    /// Renders a trace as a waterfall. The header line holds the Datadog trace id (decimal lower 64 bits),
    /// the chunk sampling priority (<c>none</c> when unset) and the span count. Then one line per span:
    /// start offset from the first span's start and duration, both in milliseconds with three decimals,
    /// then the operation name indented two spaces per level, the service, the resource, and when they
    /// apply <c>!</c> with the <c>error.type</c> tag, <c>links=N</c>, and for a span whose parent is not in
    /// the trace <c>orphan(parent=ID)</c>. Roots and orphans are at the top level; siblings are ordered by
    /// start time, then span id. The output is deterministic and uses <c>\n</c> line endings.
    /// </summary>
    /// <param name="trace">The trace to render.</param>
    /// <returns>The waterfall, ending with a new line.</returns>
    /// <example>
    /// <code>
    /// trace 1311768467294899695 priority 1 spans 3
    ///      0.000 ms    250.000 ms  aws.lambda  my-service  my-function
    ///     10.000 ms     40.000 ms    http.client.request  my-service  GET  ! System.Net.Http.HttpRequestException
    ///    100.000 ms     50.000 ms  aws.sqs.request  my-service  SendMessage  links=1  orphan(parent=99)
    /// </code>
    /// </example>
    public static string RenderWaterfall(DatadogTrace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var output = new StringBuilder();
        AppendHeader(output, trace);
        if (trace.Spans.Count == 0)
        {
            return output.ToString();
        }

        var traceStart = trace.Spans.Min(s => s.Start);
        foreach (var (span, depth) in WaterfallOrder(trace))
        {
            AppendSpanLine(output, trace, span, depth, traceStart);
        }

        return output.ToString();
    }

    /// <summary>
    /// Every span of the trace once, depth first: roots and orphans at depth 0, siblings by start time then span id,
    /// then spans caught in a parent cycle (reachable from no root). The text and HTML views share this order.
    /// </summary>
    internal static List<(DatadogSpan Span, int Depth)> WaterfallOrder(DatadogTrace trace)
    {
        var ordered = new List<(DatadogSpan Span, int Depth)>(trace.Spans.Count);
        var visited = new HashSet<DatadogSpan>(ReferenceEqualityComparer.Instance);
        foreach (var root in InStartOrder(trace.Roots))
        {
            AddSubtree(ordered, trace, root, depth: 0, visited);
        }

        foreach (var span in InStartOrder(trace.Spans.Where(s => !visited.Contains(s))))
        {
            AddSubtree(ordered, trace, span, depth: 0, visited);
        }

        return ordered;
    }

    /// <summary>Gets a value indicating whether a span is shown at the top level although it names a parent.</summary>
    internal static bool IsOrphan(DatadogTrace trace, DatadogSpan span, int depth) =>
        depth == 0 && span.ParentId != 0 && trace.GetParent(span) is null;

    private static void AppendHeader(StringBuilder output, DatadogTrace trace)
    {
        var priority = trace.SamplingPriority?.ToString(CultureInfo.InvariantCulture) ?? "none";
        output.Append(CultureInfo.InvariantCulture, $"trace {trace.TraceId} priority {priority} spans {trace.Spans.Count}").Append('\n');
    }

    private static void AddSubtree(List<(DatadogSpan Span, int Depth)> ordered, DatadogTrace trace, DatadogSpan span, int depth, HashSet<DatadogSpan> visited)
    {
        if (!visited.Add(span))
        {
            return;
        }

        ordered.Add((span, depth));
        foreach (var child in InStartOrder(trace.GetChildren(span)))
        {
            AddSubtree(ordered, trace, child, depth + 1, visited);
        }
    }

    private static void AppendSpanLine(StringBuilder output, DatadogTrace trace, DatadogSpan span, int depth, long traceStart)
    {
        output.Append(CultureInfo.InvariantCulture, $"{Milliseconds(span.Start - traceStart),10} ms {Milliseconds(span.Duration),10} ms  ");
        for (var i = 0; i < depth; i++)
        {
            output.Append(Indent);
        }

        output.Append(span.Name).Append("  ").Append(span.Service).Append("  ").Append(span.Resource);
        if (span.Error != 0)
        {
            output.Append("  !");
            if (span.GetMeta("error.type") is { Length: > 0 } errorType)
            {
                output.Append(' ').Append(errorType);
            }
        }

        if (span.Links.Count > 0)
        {
            output.Append(CultureInfo.InvariantCulture, $"  links={span.Links.Count}");
        }

        if (IsOrphan(trace, span, depth))
        {
            output.Append(CultureInfo.InvariantCulture, $"  orphan(parent={span.ParentId})");
        }

        output.Append('\n');
    }

    private static string Milliseconds(long nanoseconds) =>
        (nanoseconds / 1_000_000.0).ToString("F3", CultureInfo.InvariantCulture);

    private static IEnumerable<DatadogSpan> InStartOrder(IEnumerable<DatadogSpan> spans) =>
        spans.OrderBy(s => s.Start).ThenBy(s => s.SpanId);
}
