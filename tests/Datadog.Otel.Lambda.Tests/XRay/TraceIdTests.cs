// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Globalization;
using Datadog.Otel.Lambda.Tests.TestSupport;

namespace Datadog.Otel.Lambda.Tests.XRay;

/// <summary>One id for both worlds: a new trace id is a Datadog 128-bit id and an X-Ray trace id at once.</summary>
[Collection("Tracing")]
public class TraceIdTests
{
    [Fact]
    public async Task NewTraceIdsStartWithTheUnixSeconds()
    {
        using var tracing = new TestTracing();
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream("{}"), TestTracing.Context(), (_, _) => Task.FromResult(0));
        var after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var hex = tracing.LambdaSpan("req-1").TraceId.ToHexString();
        var seconds = long.Parse(hex[..8], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        Assert.InRange(seconds, before, after);
        Assert.Equal("00000000", hex[8..16]);
    }

    [Fact]
    public async Task XRayInjectionWritesTheSameTraceAsAnXRayRoot()
    {
        using var tracing = new TestTracing(new() { ["DD_TRACE_PROPAGATION_STYLE_INJECT"] = "datadog,xray" });
        IReadOnlyDictionary<string, string>? headers = null;
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream("{}"), TestTracing.Context(), (_, _) =>
        {
            headers = DatadogPropagation.GetTraceHeaders();
            return Task.FromResult(0);
        });

        var span = tracing.LambdaSpan("req-1");
        var hex = span.TraceId.ToHexString();
        Assert.Equal($"Root=1-{hex[..8]}-{hex[8..]};Parent={span.SpanId.ToHexString()};Sampled=1", headers!["X-Amzn-Trace-Id"]);
        Assert.Equal(Convert.ToUInt64(hex[16..], 16).ToString(CultureInfo.InvariantCulture), headers["x-datadog-trace-id"]);
        Assert.DoesNotContain("traceparent", headers.Keys);
    }

    [Fact]
    public void ManualPropagationRoundTrips()
    {
        using var tracing = new TestTracing();
        using var activity = new ActivitySource(Datadog.Otel.Lambda.Invocation.LambdaActivitySource.Name).StartActivity("manual")!;
        var headers = DatadogPropagation.GetTraceHeaders();
        Assert.Contains("traceparent", headers.Keys);
        Assert.Contains("x-datadog-trace-id", headers.Keys);
        var extracted = DatadogPropagation.ExtractTraceContext(headers);
        Assert.Equal(activity.TraceId, extracted.TraceId);
        Assert.Equal(activity.SpanId, extracted.SpanId);
        Assert.True(extracted.IsRemote);
    }
}
