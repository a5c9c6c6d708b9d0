// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;

namespace Datadog.Otel.Lambda.Differential.Tests.Sampling;

/// <summary>
/// The configurations and fixed trace ids both samplers decide on: no configuration, sample rates (0, 0.5, 1 and odd
/// values), rules by service, name, resource and tags with globs, Knuth boundaries, and rate limits (bursts within a
/// second, across windows, the sample-rate rule's limiter). Ids come from a fixed-seed generator and from the Knuth
/// hash's inverse (ids whose hash is exactly at, just below and just above a rate's threshold).
/// </summary>
public static class SamplingScenarios
{
    /// <summary>Decisions 20 ms apart: 50 a second, under the default limit of 100, so no limit applies.</summary>
    private const long Unlimited = 20;

    private const string Service = "orders";

    // Before All: static initializers run in order, and building the scenarios needs it.
    private static readonly ulong InverseFactor = Inverse(1111111111111111111UL);

    public static IReadOnlyList<SamplingScenario> All { get; } = Build();

    public static IEnumerable<object[]> Names => All.Select(s => new object[] { s.Name });

    public static SamplingScenario Get(string name) => All.Single(s => s.Name == name);

    /// <summary>The trace id whose Knuth hash is <paramref name="hash"/> (the factor is odd, so it has an inverse mod 2^64).</summary>
    public static ulong IdWithHash(ulong hash) => unchecked(hash * InverseFactor);

    /// <summary>The largest kept hash at <paramref name="rate"/>, as every Datadog tracer computes it: floor(rate × 2^64).</summary>
    public static ulong Threshold(double rate) => (ulong)(rate * 18446744073709551616.0);

    private static List<SamplingScenario> Build()
    {
        var scenarios = new List<SamplingScenario>();
        var ids = new IdSource(0x5eed);

        // No configuration: every trace kept with priority 1; some came in from a caller without a priority.
        scenarios.Add(new("no-configuration", Env(), Spaced(ids, 200, Unlimited, i => new("aws.lambda", RemoteParent: i % 4 == 3))));

        foreach (var rate in new[] { "0", "0.5", "1", "0.3", "0.1234565", "0.9999999", "0.000001" })
        {
            var value = double.Parse(rate, CultureInfo.InvariantCulture);
            var decisions = Spaced(ids, 300, Unlimited, _ => new("aws.lambda"));
            decisions.AddRange(Boundaries(value, decisions.Count * Unlimited, "aws.lambda"));
            scenarios.Add(new("sample-rate-" + rate, Env(("DD_TRACE_SAMPLE_RATE", rate)), decisions));
        }

        // Rules: first match wins; globs on service, name, resource and tags, case-insensitive.
        var rules = """
            [
              {"sample_rate":0,"service":"cart-*","name":"aws.lambda"},
              {"sample_rate":1,"resource":"GET /users/*"},
              {"sample_rate":0.5,"name":"http.?equest"},
              {"sample_rate":0.25,"service":"Billing"},
              {"sample_rate":0.75,"tags":{"tenant":"a*"}},
              {"sample_rate":0.1,"resource":"aws.s*"}
            ]
            """;
        Shape[] shapes =
        [
            new("aws.lambda"),
            new("aws.lambda", "cart-api"),
            new("AWS.Lambda", "CART-web", "anything"),
            new("x", Resource: "GET /users/42"),
            new("http.request", Resource: "GET /orders"),
            new("HTTP.Request"),
            new("y", "billing", "r"),
            new("z", Resource: "r", Tenant: "acme"),
            new("z", Resource: "r", Tenant: "zeta"),
            new("aws.sqs"),
            new("aws.sqs", Resource: "aws.sqs"),
        ];
        scenarios.Add(new(
            "rules-service-name-resource-tags",
            Env(("DD_TRACE_SAMPLING_RULES", rules)),
            Spaced(ids, shapes.Length * 40, Unlimited, i => shapes[i % shapes.Length]),
            ResourceAsNameVariant: true));

        // Knuth boundaries for several rates, each rule selected by name.
        var rates = new (string Name, double Rate)[] { ("half", 0.5), ("quarter", 0.25), ("tenth", 0.1), ("millionth", 0.000001), ("odd", 0.7654321) };
        var knuthRules = "[" + string.Join(',', rates.Select(r => $$"""{"sample_rate":{{r.Rate.ToString("R", CultureInfo.InvariantCulture)}},"name":"{{r.Name}}"}""")) + "]";
        var knuth = new List<SamplingDecisionInput>();
        foreach (var (name, rate) in rates)
        {
            knuth.AddRange(Boundaries(rate, knuth.Count * Unlimited, name));
        }

        scenarios.Add(new("knuth-boundaries", Env(("DD_TRACE_SAMPLING_RULES", knuthRules)), knuth));

        // A caller without a priority: the decision is made here, on a root with a remote parent.
        scenarios.Add(new(
            "remote-parent-without-priority",
            Env(("DD_TRACE_SAMPLE_RATE", "0.5")),
            Spaced(ids, 200, Unlimited, i => new("aws.lambda", RemoteParent: i % 2 == 0))));

        // Rate limits.
        var keepAll = """[{"sample_rate":1}]""";
        scenarios.Add(new(
            "limit-bursts-rules",
            Env(("DD_TRACE_SAMPLING_RULES", keepAll), ("DD_TRACE_RATE_LIMIT", "10")),
            Bursts(ids, (0, 30), (1000, 30), (1500, 5), (2600, 30))));
        scenarios.Add(new(
            "limit-bursts-sample-rate",
            Env(("DD_TRACE_SAMPLE_RATE", "1"), ("DD_TRACE_RATE_LIMIT", "10")),
            Bursts(ids, (0, 30), (1000, 30))));
        scenarios.Add(new(
            "limit-spread-over-a-second",
            Env(("DD_TRACE_SAMPLING_RULES", keepAll)),
            Spaced(ids, 300, 3, _ => new("aws.lambda"))));
        scenarios.Add(new(
            "limit-windows",
            Env(("DD_TRACE_SAMPLING_RULES", keepAll), ("DD_TRACE_RATE_LIMIT", "5")),
            Bursts(ids, (0, 8), (1000, 3), (2500, 8), (2600, 2), (5000, 10), (5999, 4), (6000, 3))));
        scenarios.Add(new(
            "limit-rules-and-sample-rate",
            Env(("DD_TRACE_SAMPLING_RULES", """[{"sample_rate":1,"name":"ruled"}]"""), ("DD_TRACE_SAMPLE_RATE", "1"), ("DD_TRACE_RATE_LIMIT", "5")),
            Bursts(ids, (0, 20), (1000, 20)).Select((d, i) => d with { Name = i % 2 == 0 ? "ruled" : "aws.lambda" }).ToList()));
        scenarios.Add(new(
            "limit-zero",
            Env(("DD_TRACE_SAMPLING_RULES", keepAll), ("DD_TRACE_RATE_LIMIT", "0")),
            Spaced(ids, 20, 100, _ => new("aws.lambda"))));
        scenarios.Add(new(
            "limit-zero-sample-rate",
            Env(("DD_TRACE_SAMPLE_RATE", "1"), ("DD_TRACE_RATE_LIMIT", "0")),
            Spaced(ids, 20, 100, _ => new("aws.lambda"))));
        scenarios.Add(new(
            "limit-negative",
            Env(("DD_TRACE_SAMPLE_RATE", "1"), ("DD_TRACE_RATE_LIMIT", "-1")),
            Bursts(ids, (0, 200))));
        scenarios.Add(new(
            "limit-half-rate",
            Env(("DD_TRACE_SAMPLING_RULES", """[{"sample_rate":0.5}]"""), ("DD_TRACE_RATE_LIMIT", "5")),
            Bursts(ids, (0, 40), (1200, 40))));
        return scenarios;
    }

    private static Dictionary<string, string> Env(params (string Key, string Value)[] pairs)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal) { ["DD_SERVICE"] = Service };
        foreach (var (key, value) in pairs)
        {
            env[key] = value;
        }

        return env;
    }

    private static List<SamplingDecisionInput> Spaced(IdSource ids, int count, long spacingMs, Func<int, Shape> shape)
    {
        var list = new List<SamplingDecisionInput>(count);
        for (var i = 0; i < count; i++)
        {
            list.Add(shape(i).Decision(ids.Next(), ids, i * spacingMs));
        }

        return list;
    }

    private static List<SamplingDecisionInput> Bursts(IdSource ids, params (long AtMs, int Count)[] bursts)
    {
        var list = new List<SamplingDecisionInput>();
        foreach (var (at, count) in bursts)
        {
            for (var i = 0; i < count; i++)
            {
                list.Add(new Shape("aws.lambda").Decision(ids.Next(), ids, at));
            }
        }

        return list;
    }

    /// <summary>Ids whose hash is just below, at and just above the threshold of <paramref name="rate"/>, and the extremes.</summary>
    private static IEnumerable<SamplingDecisionInput> Boundaries(double rate, long startMs, string name)
    {
        ulong[] hashes = rate is > 0 and < 1
            ? [Threshold(rate) - 1, Threshold(rate), Threshold(rate) + 1, 1, ulong.MaxValue]
            : [1, ulong.MaxValue];
        return hashes
            .Where(h => IdWithHash(h) != 0)
            .Select((h, i) => new SamplingDecisionInput(IdWithHash(h), h | 1, startMs + (i * Unlimited), name));
    }

    private static ulong Inverse(ulong odd)
    {
        // Newton's iteration doubles the correct low bits each step: 3 → 6 → 12 → 24 → 48 → 96.
        var inverse = odd;
        for (var i = 0; i < 5; i++)
        {
            inverse = unchecked(inverse * (2 - (odd * inverse)));
        }

        return inverse;
    }

    private sealed record Shape(string Name, string? Service = null, string? Resource = null, string? Tenant = null, bool RemoteParent = false)
    {
        public SamplingDecisionInput Decision(ulong traceId, IdSource ids, long atMs) => new(
            traceId,
            ids.Next(),
            atMs,
            Name,
            Service,
            Resource,
            Tenant is null ? null : new Dictionary<string, string> { ["tenant"] = Tenant },
            RemoteParent ? ids.Next() : null);
    }

    /// <summary>SplitMix64 from a fixed seed: the same ids on every run; never 0.</summary>
    private sealed class IdSource(ulong seed)
    {
        private ulong state = seed;

        public ulong Next()
        {
            ulong z;
            do
            {
                z = state = unchecked(state + 0x9E3779B97F4A7C15UL);
                z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
                z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
                z ^= z >> 31;
            }
            while (z == 0);
            return z;
        }
    }
}
