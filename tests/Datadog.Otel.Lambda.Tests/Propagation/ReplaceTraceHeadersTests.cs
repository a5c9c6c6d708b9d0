// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Collections.ObjectModel;
using System.Globalization;
using Datadog.Otel.Lambda.Tests.TestSupport;

namespace Datadog.Otel.Lambda.Tests.Propagation;

/// <summary>
/// ReplaceTraceHeaders points a hosted web framework's request at aws.lambda: every upstream trace header of every
/// style goes, whatever its case, and the current context is written in the configured styles.
/// </summary>
[Collection("Tracing")]
public class ReplaceTraceHeadersTests
{
    [Fact]
    public async Task UpstreamHeadersOfEveryStyleAreReplacedByTheInvocationsContext()
    {
        using var tracing = new TestTracing();
        var headers = new Dictionary<string, string>
        {
            ["X-Datadog-Trace-Id"] = "1",
            ["x-datadog-parent-id"] = "2",
            ["x-datadog-tags"] = "_dd.p.dm=-4",
            ["Traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            ["tracestate"] = "dd=s:2",
            ["X-B3-TraceId"] = "0af7651916cd43dd8448eb211c80319c",
            ["b3"] = "0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-1",
            ["X-Amzn-Trace-Id"] = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
            ["Accept"] = "application/json",
        };
        var multi = new Dictionary<string, IList<string>>
        {
            ["X-DATADOG-TRACE-ID"] = ["1"],
            ["traceparent"] = ["00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"],
            ["Accept"] = ["application/json"],
        };

        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream("{}"), TestTracing.Context(), (_, _) =>
        {
            DatadogPropagation.ReplaceTraceHeaders(headers, multi);
            return Task.FromResult(0);
        });

        var lambda = tracing.LambdaSpan("req-1");
        var traceId = Convert.ToUInt64(lambda.TraceId.ToHexString()[16..], 16).ToString(CultureInfo.InvariantCulture);
        var spanId = Convert.ToUInt64(lambda.SpanId.ToHexString(), 16).ToString(CultureInfo.InvariantCulture);
        Assert.Equal(traceId, headers["x-datadog-trace-id"]);
        Assert.Equal(spanId, headers["x-datadog-parent-id"]);
        Assert.Equal($"00-{lambda.TraceId.ToHexString()}-{lambda.SpanId.ToHexString()}-01", headers["traceparent"]);
        Assert.DoesNotContain(headers.Keys, k => k is "X-Datadog-Trace-Id" or "Traceparent" or "X-B3-TraceId" or "b3");
        Assert.Equal("application/json", headers["Accept"]);
        Assert.StartsWith("Root=1-5759e988", headers["X-Amzn-Trace-Id"], StringComparison.Ordinal);

        Assert.Equal([traceId], multi["x-datadog-trace-id"]);
        Assert.DoesNotContain("X-DATADOG-TRACE-ID", multi.Keys);
        Assert.Equal(["application/json"], multi["Accept"]);
    }

    [Fact]
    public void OutsideAnInvocationUpstreamHeadersAreOnlyRemoved()
    {
        using var tracing = new TestTracing();
        var headers = new Dictionary<string, string> { ["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", ["host"] = "a" };

        DatadogPropagation.ReplaceTraceHeaders(headers);

        Assert.Equal(["host"], headers.Keys);
    }

    [Fact]
    public void ReadOnlyOrMissingMapsAreLeftAloneWithoutAnException()
    {
        using var tracing = new TestTracing();
        var readOnly = new ReadOnlyDictionary<string, string>(new Dictionary<string, string> { ["traceparent"] = "x" });

        DatadogPropagation.ReplaceTraceHeaders(readOnly, new ReadOnlyDictionary<string, IList<string>>(new Dictionary<string, IList<string>>()));
        DatadogPropagation.ReplaceTraceHeaders(null, null);

        Assert.Equal("x", readOnly["traceparent"]);
    }
}
