// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;

namespace Datadog.Otel.Lambda.Differential.Tests.Sampling;

/// <summary>A field where the two samplers differ, and the accepted difference that explains it (null: none does).</summary>
public sealed record SamplingFinding(string Scenario, int Index, ulong TraceId, string Field, string Reference, string Ours, string? Row)
{
    public override string ToString() =>
        $"{Scenario} #{Index} (trace {TraceId}): {Field}: dd-trace {Reference}, ours {Ours}" + (Row is null ? string.Empty : $" [{Row}]");
}

/// <summary>
/// Compares both samplers decision by decision and explains each difference by a row of
/// <see cref="SamplingDifferences"/>, only where the facts dd-trace reported (the rule it matched, its limiters' answers,
/// windows and buckets, its limiter counts) show that row's cause; anything else stays unexplained. Our
/// <c>_dd.limit_psr</c> is also checked against the definition of Datadog's Python tracer, computed here from our own
/// decisions, so an accepted difference in that tag cannot hide a wrong value.
/// </summary>
public static class SamplingComparer
{
    public const string AgentRate = "agent-psr-without-agent-rates";
    public const string DecisionMakerOnDrop = "decision-maker-on-dropped-trace";
    public const string KsrInHeaders = "ksr-in-headers";
    public const string KsrRounding = "ksr-rounding";
    public const string ResourceDefaultsToName = "resource-defaults-to-name";
    public const string RateTagsUnderRemoteParent = "rate-tags-under-a-remote-parent";
    public const string WindowCap = "limiter-window-cap";
    public const string SampleRateRuleLimiter = "sample-rate-rule-limiter";
    public const string LimitRateAveraging = "limit-psr-averaging";
    public const string OtelMember = "otel-tracestate-member";

    private const string LimitRate = "metrics:_dd.limit_psr";

    public static List<SamplingFinding> Compare(SamplingScenario scenario, IReadOnlyList<ReferenceDecision> reference, IReadOnlyList<SamplingOutcome> ours)
    {
        var findings = new List<SamplingFinding>();
        var python = new PythonLimiterRate();

        // Tokens dd-trace-js's bucket kept because its window cap refused them while the bucket had them: each can
        // later let dd-trace keep a trace that our bucket, which spent that token, refuses.
        var sparedByWindowCap = 0;
        for (var i = 0; i < scenario.Decisions.Count; i++)
        {
            var input = scenario.Decisions[i];
            var referenceDecision = reference[i];
            var our = ours[i];
            SamplingFinding Finding(string field, object? referenceValue, object? ourValue, string? row) =>
                new(scenario.Name, i, input.TraceId, field, Show.Value(referenceValue), Show.Value(ourValue), row);

            if (our.Metrics.TryGetValue("_dd.limit_psr", out var ourLimitRate))
            {
                var expected = python.Add(input.AtMs, allowed: our.Priority == 2);
                if (Math.Abs(expected - ourLimitRate) > 1e-12)
                {
                    findings.Add(Finding("ours:_dd.limit_psr against Python's definition", expected, ourLimitRate, null));
                }
            }

            var baseline = referenceDecision.Outcome;
            if (input.Resource is null && referenceDecision.ResourceAsName is { } variant
                && !SameRule(variant, baseline) && SameRule(variant, our))
            {
                findings.Add(Finding("rule matched (priority, _dd.rule_psr)", Describe(baseline), Describe(variant), ResourceDefaultsToName));
                baseline = variant;
            }

            var differences = Diff(baseline, our);
            if (differences.Count == 0)
            {
                continue;
            }

            if (differences.Any(d => d.Field == "priority"))
            {
                // A different priority changes every tag of the decision: one explanation for all of them.
                string? row = null;
                if (baseline.Priority == -1 && our.Priority == 2
                    && referenceDecision.Limiters.Any(l => !l.Allowed && l.WindowCount >= l.Limit && l.Bucket >= 1))
                {
                    row = WindowCap;
                    sparedByWindowCap++;
                }
                else if (baseline.Priority == 2 && our.Priority == -1 && our.Metrics.ContainsKey("_dd.limit_psr") && sparedByWindowCap > 0)
                {
                    row = WindowCap;
                    sparedByWindowCap--;
                }

                findings.AddRange(differences.Select(d => Finding(d.Field, d.Reference, d.Ours, row)));
                continue;
            }

            foreach (var (field, referenceValue, ourValue) in differences)
            {
                findings.Add(Finding(field, referenceValue, ourValue, Explain(field, referenceValue, ourValue, input, referenceDecision, baseline, our)));
            }
        }

        return findings;
    }

    private static string? Explain(string field, object? referenceValue, object? ourValue, SamplingDecisionInput input, ReferenceDecision reference, SamplingOutcome baseline, SamplingOutcome our)
    {
        switch (field)
        {
            case "metrics:_dd.agent_psr" when referenceValue is 1.0 && ourValue is null
                && baseline.Priority == 1 && baseline.Meta.GetValueOrDefault("_dd.p.dm") == "-0":
                return AgentRate;
            case "meta:_dd.p.dm" or "header:x-datadog-tags:_dd.p.dm" when referenceValue is null && ourValue is "-3" && our.Priority <= 0:
                return DecisionMakerOnDrop;
            case "header:x-datadog-tags:_dd.p.ksr" or "tracestate:dd:t.ksr" when ourValue is null
                && referenceValue is string ksr && ksr == baseline.Meta.GetValueOrDefault("_dd.p.ksr"):
                return KsrInHeaders;
            case "meta:_dd.p.ksr" when referenceValue is string a && ourValue is string b
                && baseline.Metrics.TryGetValue("_dd.rule_psr", out var rate) && IsHalfMillionth(rate)
                && Math.Abs(Parse(a) - Parse(b)) <= 1.000001e-6:
                return KsrRounding;
            case "metrics:_dd.rule_psr" or LimitRate or "metrics:_dd.agent_psr" when referenceValue is null && ourValue is not null && input.RemoteParentId is not null:
                return RateTagsUnderRemoteParent;
            case LimitRate when referenceValue is null && ourValue is not null && our.Priority == -1
                && reference.Limiters.LastOrDefault() is { Allowed: false } last && last.Which.StartsWith("rule", StringComparison.Ordinal):
                return SampleRateRuleLimiter;
            case LimitRate when referenceValue is double value && ourValue is double
                && Math.Abs(value - reference.SamplerCounts.PooledRate) < 1e-12:
                // dd-trace's value follows its pooled definition, ours Python's (checked above).
                return reference.Limiters.Any(l => l.Which.StartsWith("rule", StringComparison.Ordinal)) ? SampleRateRuleLimiter : LimitRateAveraging;
            case "tracestate:member:ot" when referenceValue is not null && ourValue is null:
                return OtelMember;
            default:
                return null;
        }
    }

    private static List<(string Field, object? Reference, object? Ours)> Diff(SamplingOutcome reference, SamplingOutcome ours)
    {
        var differences = new List<(string, object?, object?)>();
        if (reference.Priority != ours.Priority)
        {
            differences.Add(("priority", reference.Priority, ours.Priority));
        }

        foreach (var key in reference.Meta.Keys.Union(ours.Meta.Keys).Order(StringComparer.Ordinal))
        {
            var a = reference.Meta.GetValueOrDefault(key);
            var b = ours.Meta.GetValueOrDefault(key);
            if (a != b)
            {
                differences.Add(("meta:" + key, a, b));
            }
        }

        foreach (var key in reference.Metrics.Keys.Union(ours.Metrics.Keys).Order(StringComparer.Ordinal))
        {
            double? a = reference.Metrics.TryGetValue(key, out var x) ? x : null;
            double? b = ours.Metrics.TryGetValue(key, out var y) ? y : null;
            if (a != b)
            {
                differences.Add(("metrics:" + key, a, b));
            }
        }

        var referenceHeaders = reference.Headers.Fields().ToDictionary(f => f.Field, f => f.Value, StringComparer.Ordinal);
        var ourHeaders = ours.Headers.Fields().ToDictionary(f => f.Field, f => f.Value, StringComparer.Ordinal);
        foreach (var key in referenceHeaders.Keys.Union(ourHeaders.Keys).Order(StringComparer.Ordinal))
        {
            var a = referenceHeaders.GetValueOrDefault(key);
            var b = ourHeaders.GetValueOrDefault(key);
            if (a != b)
            {
                differences.Add((key, a, b));
            }
        }

        return differences;
    }

    private static bool SameRule(SamplingOutcome a, SamplingOutcome b) =>
        a.Priority == b.Priority && a.Metrics.GetValueOrDefault("_dd.rule_psr", -1) == b.Metrics.GetValueOrDefault("_dd.rule_psr", -1);

    private static string Describe(SamplingOutcome outcome) =>
        $"priority {Show.Value(outcome.Priority)}, _dd.rule_psr {Show.Value(outcome.Metrics.TryGetValue("_dd.rule_psr", out var r) ? r : null)}";

    private static bool IsHalfMillionth(double rate)
    {
        var scaled = rate * 1e6;
        return Math.Abs(scaled - Math.Floor(scaled) - 0.5) < 1e-6;
    }

    private static double Parse(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>
    /// <c>_dd.limit_psr</c> as Datadog's Python tracer defines it (ddtrace/internal/rate_limiter.py, effective_rate), from
    /// the limiter's answers: the share allowed in the current window, averaged with the previous window's share once
    /// there is one; a window starts with its first request and ends at the first request a second or more later.
    /// </summary>
    private sealed class PythonLimiterRate
    {
        private bool started;
        private long windowStart;
        private long allowed;
        private long total;
        private double? previous;

        public double Add(long atMs, bool allowed)
        {
            if (!started)
            {
                started = true;
                windowStart = atMs;
            }
            else if (atMs - windowStart >= 1000)
            {
                previous = total == 0 ? 1 : (double)this.allowed / total;
                this.allowed = 0;
                total = 0;
                windowStart = atMs;
            }

            if (allowed)
            {
                this.allowed++;
            }

            total++;
            var current = (double)this.allowed / total;
            return previous is { } p ? (current + p) / 2 : current;
        }
    }
}
