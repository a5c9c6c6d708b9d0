// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Differential.Tests.AcceptedDifferences;

namespace Datadog.Otel.Lambda.Differential.Tests.Comparison;

/// <summary>The outcome of comparing one case: the differences the data accepts (with the row) and those it does not.</summary>
internal sealed record CaseComparison(string CaseId, IReadOnlyList<(Difference Difference, AcceptedDifference Row)> Accepted, IReadOnlyList<Difference> Unaccepted);

/// <summary>
/// Compares the two sides of a case field by field. Fields an ignore matcher names are left out first. A span found on
/// one side only is a difference of field <c>span</c>; when it is accepted (the Python library's <c>aws.alb</c> span, say),
/// the span is taken out of that side and its children hang from its parent, so the rest of the trace still compares.
/// Every other difference is looked up in the accepted differences.
/// </summary>
internal static class TraceDiffer
{
    public static CaseComparison Compare(string caseId, NormalizedTrace node, NormalizedTrace ours, AcceptedDifferenceSet accepted)
    {
        var acceptedDifferences = new List<(Difference, AcceptedDifference)>();
        var unaccepted = new List<Difference>();
        RemoveIgnored(caseId, node, accepted);
        RemoveIgnored(caseId, ours, accepted);

        foreach (var role in node.Spans.Keys.Union(ours.Spans.Keys).Order(StringComparer.Ordinal).ToList())
        {
            var inNode = node.Spans.TryGetValue(role, out var nodeSpan);
            var inOurs = ours.Spans.TryGetValue(role, out var ourSpan);
            if (inNode == inOurs)
            {
                continue;
            }

            var difference = new Difference(caseId, role, "span", nodeSpan?.Name, ourSpan?.Name);
            if (accepted.Accept(difference) is { } row)
            {
                acceptedDifferences.Add((difference, row));
                Splice(inNode ? node : ours, role);
            }
            else
            {
                unaccepted.Add(difference);
            }
        }

        foreach (var (role, nodeSpan) in node.Spans)
        {
            if (!ours.Spans.TryGetValue(role, out var ourSpan))
            {
                continue;
            }

            foreach (var field in nodeSpan.Fields.Keys.Union(ourSpan.Fields.Keys).Order(StringComparer.Ordinal))
            {
                var nodeValue = nodeSpan.Fields.GetValueOrDefault(field);
                var ourValue = ourSpan.Fields.GetValueOrDefault(field);
                if (nodeValue == ourValue)
                {
                    continue;
                }

                var difference = new Difference(caseId, role, field, nodeValue, ourValue);
                if (accepted.Accept(difference) is { } row)
                {
                    acceptedDifferences.Add((difference, row));
                }
                else
                {
                    unaccepted.Add(difference);
                }
            }
        }

        return new CaseComparison(caseId, acceptedDifferences, unaccepted);
    }

    private static void RemoveIgnored(string caseId, NormalizedTrace trace, AcceptedDifferenceSet accepted)
    {
        foreach (var span in trace.Spans.Values.ToList())
        {
            if (accepted.IsIgnored(caseId, span.Role, "span"))
            {
                Splice(trace, span.Role);
                continue;
            }

            foreach (var field in span.Fields.Keys.ToList())
            {
                if (accepted.IsIgnored(caseId, span.Role, field))
                {
                    span.Fields.Remove(field);
                }
            }
        }
    }

    /// <summary>Takes a span out of a trace; its children take its parent.</summary>
    private static void Splice(NormalizedTrace trace, string role)
    {
        var removed = trace.Spans[role];
        trace.Spans.Remove(role);
        var parent = removed.Fields.GetValueOrDefault("parent");
        foreach (var span in trace.Spans.Values)
        {
            if (span.Fields.TryGetValue("parent", out var p) && p == role && parent is not null)
            {
                span.Fields["parent"] = parent;
            }
        }
    }
}
