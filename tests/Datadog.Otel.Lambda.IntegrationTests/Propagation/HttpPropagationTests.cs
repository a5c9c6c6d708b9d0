// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using Datadog.Otel.Lambda.IntegrationTests.TestSupport;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.IntegrationTests.Propagation;

/// <summary>
/// A traced function calls a real HTTP server on loopback (Kestrel) with HttpClient: the request carries Datadog and W3C
/// headers naming the HttpClient span, and the server, extracting with the same propagators, continues the trace.
/// </summary>
[Collection("Tracing")]
public class HttpPropagationTests
{
    [Fact]
    public async Task DownstreamServiceContinuesTheTrace()
    {
        await using var server = await DownstreamServer.StartAsync();
        await using var harness = await EmulatorHarness.StartAsync(build: b => b.AddHttpClientInstrumentation().AddSource(DownstreamServer.Source.Name));
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        await DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("http"), async (_, _) => await http.GetStringAsync(new Uri("/stock", UriKind.Relative)));

        var headers = Assert.Single(server.Received);
        var trace = await harness.Emulator.WaitForTraceAsync(t => t.Spans.Any(s => s.OtelName == "downstream handler"), EmulatorHarness.Wait);
        var lambda = trace.Spans.Single(s => s.Name == "aws.lambda");
        var client = trace.Spans.Single(s => s.Name == "http.client.request");
        var downstream = trace.Spans.Single(s => s.OtelName == "downstream handler");
        Assert.Equal(lambda.SpanId, client.ParentId);
        Assert.Equal(client.SpanId, downstream.ParentId);

        // The headers name the client span, in both formats.
        Assert.Equal(client.TraceId.ToString(CultureInfo.InvariantCulture), headers["x-datadog-trace-id"]);
        Assert.Equal(client.SpanId.ToString(CultureInfo.InvariantCulture), headers["x-datadog-parent-id"]);
        Assert.Equal("1", headers["x-datadog-sampling-priority"]);
        Assert.Contains(client.SpanId.ToString("x16", CultureInfo.InvariantCulture), headers["traceparent"], StringComparison.Ordinal);
        Assert.StartsWith("dd=s:1", headers["tracestate"], StringComparison.Ordinal);
        Assert.Contains("_dd.p.tid=", headers["x-datadog-tags"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallsToTheRuntimeApiAndTheExtensionAreNotTraced()
    {
        await using var runtimeApi = await DownstreamServer.StartAsync();
        var authority = runtimeApi.BaseAddress.Authority;
        await using var harness = await EmulatorHarness.StartAsync(new() { ["AWS_LAMBDA_RUNTIME_API"] = authority }, build: b => b.AddHttpClientInstrumentation());
        using var http = new HttpClient();

        await DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("rt"), async (_, _) =>
            await http.GetStringAsync(new Uri($"http://{authority}/2018-06-01/runtime/invocation/next")));

        var trace = await harness.TraceOf("rt");
        Assert.DoesNotContain(trace.Spans, s => s.Name == "http.client.request");
        Assert.DoesNotContain(harness.Emulator.Spans, s => s.GetMeta("url.full")?.Contains("/v1/traces", StringComparison.Ordinal) == true);
    }
}
