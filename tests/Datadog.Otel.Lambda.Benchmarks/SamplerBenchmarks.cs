// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Sampling;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.Benchmarks;

/// <summary>
/// One decision for a new trace: without configuration, a rule keep under the limit, a rule drop, and a keep the
/// limiter refuses (the one case that allocates: its attributes carry a rate below 1).
/// </summary>
[MemoryDiagnoser]
public class SamplerBenchmarks
{
    private static readonly KeyValuePair<string, object?>[] Tags = [new("resource.name", "GET /orders")];

    private readonly DatadogSampler noConfiguration = Create(null, null, 100);
    private readonly DatadogSampler keepAll = Create("""[{"sample_rate":1,"name":"aws.lambda"}]""", null, -1);
    private readonly DatadogSampler dropAll = Create(null, 0, 100);
    private readonly DatadogSampler limited = Create(null, 1, 0);
    private readonly SamplingParameters parameters = new(default, DatadogIds.TraceId(0x66bcb5eb00000000, 2684756524522091840), "aws.lambda", ActivityKind.Server, Tags);

    [Benchmark(Baseline = true)]
    public SamplingResult NoConfiguration() => this.noConfiguration.ShouldSample(in this.parameters);

    [Benchmark]
    public SamplingResult RuleKeep() => this.keepAll.ShouldSample(in this.parameters);

    [Benchmark]
    public SamplingResult RuleDrop() => this.dropAll.ShouldSample(in this.parameters);

    [Benchmark]
    public SamplingResult RuleKeepRefusedByTheLimiter() => this.limited.ShouldSample(in this.parameters);

    private static DatadogSampler Create(string? rules, double? sampleRate, int rateLimit)
    {
        var parsed = SamplingSettings.FromEnvironment(EnvironmentSource.FromDictionary(new Dictionary<string, string?> { ["DD_TRACE_SAMPLING_RULES"] = rules }));
        return new DatadogSampler(new SamplingSettings { Rules = parsed.Rules, SampleRate = sampleRate, RateLimit = rateLimit }, "orders", TimeProvider.System);
    }
}
