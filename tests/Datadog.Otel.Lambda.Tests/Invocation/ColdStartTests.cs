// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text;
using Datadog.Otel.Lambda.Invocation;
using Datadog.Otel.Lambda.Planning;
using Datadog.Otel.Lambda.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Datadog.Otel.Lambda.Tests.Invocation;

[Collection("Tracing")]
public class ColdStartTests
{
    private static MemoryStream Event() => new(Encoding.UTF8.GetBytes("{}"));

    private static List<Activity> ColdStartSpans(TestTracing tracing) =>
        tracing.Exported.Where(a => a.GetTagItem("operation.name") as string == "aws.lambda.cold_start").ToList();

    [Fact]
    public async Task FirstInvocationEmitsColdStartSpanFromInitToInvocation()
    {
        var initTime = DateTimeOffset.UtcNow - TimeSpan.FromSeconds(2);
        using var tracing = new TestTracing(configure: o => o.InitTime = () => initTime);
        await DatadogLambda.TraceAsync(tracing.Provider, Event(), TestTracing.Context("a"), (_, _) => Task.FromResult(1));
        await DatadogLambda.TraceAsync(tracing.Provider, Event(), TestTracing.Context("b"), (_, _) => Task.FromResult(1));

        var coldStart = Assert.Single(ColdStartSpans(tracing));
        var lambda = tracing.LambdaSpan("a");
        Assert.Equal(lambda.TraceId, coldStart.TraceId);
        Assert.Equal(lambda.ParentSpanId, coldStart.ParentSpanId);
        Assert.Equal(initTime.UtcDateTime, coldStart.StartTimeUtc);
        Assert.Equal(lambda.StartTimeUtc, coldStart.StartTimeUtc + coldStart.Duration);
        Assert.Equal("aws.lambda", coldStart.GetTagItem("datadog.service"));
        Assert.Equal("My-Function", coldStart.GetTagItem("resource.name"));
        Assert.Equal("true", lambda.GetTagItem("cold_start"));
        Assert.Equal("false", tracing.LambdaSpan("b").GetTagItem("cold_start"));
    }

    [Fact]
    public async Task ColdStartServiceIsLookedUpInTheServiceMapping()
    {
        // Python's cold-start spans have the service aws.lambda, which dd-trace-py's tracer looks up in DD_SERVICE_MAPPING.
        var initTime = DateTimeOffset.UtcNow - TimeSpan.FromSeconds(2);
        using var tracing = new TestTracing(new() { ["DD_SERVICE_MAPPING"] = "aws.lambda:lambda-runtime" }, o => o.InitTime = () => initTime);
        await DatadogLambda.TraceAsync(tracing.Provider, Event(), TestTracing.Context("a"), (_, _) => Task.FromResult(1));

        var coldStart = Assert.Single(ColdStartSpans(tracing));
        Assert.Equal("lambda-runtime", coldStart.GetTagItem("datadog.service"));
    }

    [Fact]
    public async Task FirstInvocationLongAfterInitIsProactiveInitialization()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var initTime = clock.GetUtcNow() - TimeSpan.FromSeconds(11);
        using var tracing = new TestTracing(configure: o =>
        {
            o.TimeProvider = clock;
            o.InitTime = () => initTime;
        });
        await DatadogLambda.TraceAsync(tracing.Provider, Event(), TestTracing.Context(), (_, _) => Task.FromResult(1));

        var span = tracing.LambdaSpan("req-1");
        Assert.Equal("false", span.GetTagItem("cold_start"));
        Assert.Equal("true", span.GetTagItem("proactive_initialization"));
        Assert.Empty(ColdStartSpans(tracing));
    }

    [Fact]
    public async Task ProvisionedConcurrencysColdStartHasItsSpanAsInPython()
    {
        // Python relies on its 10 s rule alone (Node.js skips the span under provisioned concurrency): a first
        // invocation soon after the initialization is a cold start, with its span.
        using var tracing = new TestTracing(new() { ["AWS_LAMBDA_INITIALIZATION_TYPE"] = "provisioned-concurrency" }, o => o.InitTime = () => DateTimeOffset.UtcNow - TimeSpan.FromSeconds(1));
        await DatadogLambda.TraceAsync(tracing.Provider, Event(), TestTracing.Context(), (_, _) => Task.FromResult(1));
        Assert.Single(ColdStartSpans(tracing));
        Assert.Equal("true", tracing.LambdaSpan("req-1").GetTagItem("cold_start"));
    }

    [Theory]
    [InlineData("AWS_LAMBDA_INITIALIZATION_TYPE", "lambda-managed-instances")]
    [InlineData("DD_COLD_START_TRACING", "false")]
    public async Task NoColdStartSpanWhen(string variable, string value)
    {
        using var tracing = new TestTracing(new() { [variable] = value }, o => o.InitTime = () => DateTimeOffset.UtcNow - TimeSpan.FromSeconds(1));
        await DatadogLambda.TraceAsync(tracing.Provider, Event(), TestTracing.Context(), (_, _) => Task.FromResult(1));
        Assert.Empty(ColdStartSpans(tracing));
        Assert.Equal("true", tracing.LambdaSpan("req-1").GetTagItem("cold_start"));
    }

    [Theory]
    [InlineData(10_500, false)] // Python: 10.5 s // 1 s = 10, not over 10 (Node.js: over 10,000 ms, proactive)
    [InlineData(10_999, false)]
    [InlineData(11_000, true)]
    public void ProactiveInitializationFollowsPythonsWholeSeconds(int millisecondsSinceInit, bool proactive)
    {
        var expected = proactive ? ColdStartState.ProactiveInitialization : ColdStartState.ColdStart;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var initTime = clock.GetUtcNow() - TimeSpan.FromMilliseconds(millisecondsSinceInit);
        var tracker = new ColdStartTracker(clock, () => initTime);
        Assert.Equal(expected, tracker.Claim());
    }

    [Fact]
    public void LatchIsClaimedExactlyOnceUnderConcurrency()
    {
        var tracker = new ColdStartTracker(TimeProvider.System, () => DateTimeOffset.UtcNow);
        var results = new ColdStartState[64];
        Parallel.For(0, results.Length, i => results[i] = tracker.Claim());
        Assert.Equal(1, results.Count(r => r == ColdStartState.ColdStart));
        Assert.Equal(63, results.Count(r => r == ColdStartState.Warm));
    }
}
