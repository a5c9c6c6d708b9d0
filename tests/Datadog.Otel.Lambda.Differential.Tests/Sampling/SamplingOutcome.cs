// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;

namespace Datadog.Otel.Lambda.Differential.Tests.Sampling;

/// <summary>
/// One decision as Datadog receives it: the priority (<c>_sampling_priority_v1</c>), the sampling tags in meta
/// (<c>_dd.p.dm</c>, <c>_dd.p.ksr</c>) and metrics (<c>_dd.rule_psr</c>, <c>_dd.limit_psr</c>, <c>_dd.agent_psr</c>),
/// and the headers an outgoing call of the trace carries.
/// </summary>
public sealed record SamplingOutcome(
    int? Priority,
    IReadOnlyDictionary<string, string> Meta,
    IReadOnlyDictionary<string, double> Metrics,
    OutgoingHeaders Headers)
{
    public const string PriorityMetric = "_sampling_priority_v1";

    /// <summary>Whether a key is one of the sampling tags compared.</summary>
    public static bool IsSamplingTag(string key) =>
        key is "_dd.p.dm" or "_dd.p.ksr" || key.EndsWith("_psr", StringComparison.Ordinal);
}

/// <summary>The sampling part of the injected headers: Datadog's priority and trace tags, W3C's sampled flag and <c>dd</c> member.</summary>
public sealed record OutgoingHeaders(
    string? SamplingPriority,
    IReadOnlyDictionary<string, string> DatadogTags,
    string? TraceparentFlags,
    IReadOnlyDictionary<string, string> DatadogTraceState,
    IReadOnlyList<string> OtherTraceStateMembers)
{
    /// <summary>Reads the headers; the <c>dd</c> member's <c>p:</c> (the span id) and <c>_dd.p.tid</c> are left out, they do not come from sampling.</summary>
    public static OutgoingHeaders From(IReadOnlyDictionary<string, string?> headers)
    {
        var tags = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (headers.TryGetValue("x-datadog-tags", out var tagHeader) && !string.IsNullOrEmpty(tagHeader))
        {
            foreach (var pair in tagHeader.Split(','))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0 && pair[..equals] != "_dd.p.tid")
                {
                    tags[pair[..equals]] = pair[(equals + 1)..];
                }
            }
        }

        var dd = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var others = new List<string>();
        if (headers.TryGetValue("tracestate", out var traceState) && !string.IsNullOrEmpty(traceState))
        {
            foreach (var member in traceState.Split(','))
            {
                var trimmed = member.Trim();
                if (!trimmed.StartsWith("dd=", StringComparison.Ordinal))
                {
                    others.Add(trimmed.Split('=')[0]);
                    continue;
                }

                foreach (var field in trimmed[3..].Split(';'))
                {
                    var colon = field.IndexOf(':', StringComparison.Ordinal);
                    if (colon > 0 && field[..colon] != "p")
                    {
                        dd[field[..colon]] = field[(colon + 1)..];
                    }
                }
            }
        }

        headers.TryGetValue("traceparent", out var traceparent);
        headers.TryGetValue("x-datadog-sampling-priority", out var priority);
        return new OutgoingHeaders(priority, tags, traceparent is { Length: > 2 } ? traceparent[^2..] : null, dd, others);
    }

    /// <summary>The compared fields, each named as the difference report names it.</summary>
    public IEnumerable<(string Field, string? Value)> Fields()
    {
        yield return ("header:x-datadog-sampling-priority", SamplingPriority);
        yield return ("header:traceparent-flags", TraceparentFlags);
        foreach (var (key, value) in DatadogTags)
        {
            yield return ("header:x-datadog-tags:" + key, value);
        }

        foreach (var (key, value) in DatadogTraceState)
        {
            yield return ("tracestate:dd:" + key, value);
        }

        foreach (var member in OtherTraceStateMembers)
        {
            yield return ("tracestate:member:" + member, "present");
        }
    }
}

/// <summary>One consultation of one of dd-trace's limiters: which, its answer, and its window count and bucket before it.</summary>
public sealed record LimiterConsultation(string Which, bool Allowed, double Limit, double WindowCount, double Bucket);

/// <summary>The counts behind dd-trace's sampler-wide <c>_dd.limit_psr</c> after a decision.</summary>
public sealed record LimiterCounts(double PreviousAllowed, double PreviousRequested, double CurrentAllowed, double CurrentRequested)
{
    /// <summary>dd-trace-js's effective rate: allowed over requested, pooled over the previous and current windows.</summary>
    public double PooledRate => (PreviousAllowed + CurrentAllowed) / (PreviousRequested + CurrentRequested);
}

/// <summary>dd-trace's decision and why it was made (the rule that matched, the limiters it asked).</summary>
public sealed record ReferenceDecision(
    SamplingOutcome Outcome,
    int MatchedRule,
    IReadOnlyList<LimiterConsultation> Limiters,
    LimiterCounts SamplerCounts,
    SamplingOutcome? ResourceAsName);

/// <summary>Formatting shared by the report.</summary>
internal static class Show
{
    public static string Value(object? value) => value switch
    {
        null => "(absent)",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "(null)",
    };
}
