// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.IntegrationTests.TestSupport;

namespace Datadog.Otel.Lambda.IntegrationTests.Sampling;

/// <summary>
/// The sampling tags through the real export path (OTLP to the extension emulator): Datadog receives them with the
/// types dd-trace sends them in its msgpack: the priority and the rates as metrics, the decision maker and
/// <c>_dd.p.ksr</c> as meta strings.
/// </summary>
[Collection("Tracing")]
public class SamplingTagsTests
{
    [Fact]
    public async Task RuleKeep_ReachesDatadogWithDdTracesTypes()
    {
        await using var harness = await EmulatorHarness.StartAsync(new() { ["DD_TRACE_SAMPLE_RATE"] = "1" });

        await DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("kept"), (_, _) => Task.CompletedTask);

        var lambda = (await harness.TraceOf("kept")).Spans.Single(s => s.Name == "aws.lambda");
        Assert.Equal(2, lambda.GetMetric("_sampling_priority_v1"));
        Assert.Equal(1, lambda.GetMetric("_dd.rule_psr"));
        Assert.Equal(1, lambda.GetMetric("_dd.limit_psr"));
        Assert.Equal("-3", lambda.GetMeta("_dd.p.dm"));
        Assert.Equal("1", lambda.GetMeta("_dd.p.ksr"));
        Assert.Null(lambda.GetMeta("_dd.rule_psr"));
        Assert.Null(lambda.GetMetric("_dd.agent_psr"));
    }

    [Fact]
    public async Task RuleDrop_ReachesDatadogWithItsDecisionMaker()
    {
        await using var harness = await EmulatorHarness.StartAsync(new() { ["DD_TRACE_SAMPLE_RATE"] = "0" });

        await DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("dropped"), (_, _) => Task.CompletedTask);

        var trace = await harness.TraceOf("dropped");
        var lambda = trace.Spans.Single(s => s.Name == "aws.lambda");
        Assert.Equal(-1, trace.SamplingPriority);
        Assert.Equal(-1, lambda.GetMetric("_sampling_priority_v1"));
        Assert.Equal(0, lambda.GetMetric("_dd.rule_psr"));
        Assert.Equal("0", lambda.GetMeta("_dd.p.ksr"));
        Assert.Equal("-3", lambda.GetMeta("_dd.p.dm"));
        Assert.Null(lambda.GetMetric("_dd.limit_psr"));
    }

    [Fact]
    public async Task NoConfiguration_WritesTheDefaultDecisionMakerAndNoRate()
    {
        await using var harness = await EmulatorHarness.StartAsync();

        await DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("default"), (_, _) => Task.CompletedTask);

        var lambda = (await harness.TraceOf("default")).Spans.Single(s => s.Name == "aws.lambda");
        Assert.Equal(1, lambda.GetMetric("_sampling_priority_v1"));
        Assert.Equal("-0", lambda.GetMeta("_dd.p.dm"));
        Assert.DoesNotContain(lambda.Metrics.Keys, k => k.EndsWith("_psr", StringComparison.Ordinal));
        Assert.Null(lambda.GetMeta("_dd.p.ksr"));
    }
}
