// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Datadog.Otel.Lambda.IntegrationTests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.IntegrationTests.Propagation;

/// <summary>
/// A traced function calls a real HTTP server on loopback (Kestrel) with HttpClient: the request carries Datadog and W3C
/// headers naming the HttpClient span, and the server, extracting with the same propagators, continues the trace.
/// </summary>
[Collection("Tracing")]
public class HttpPropagationTests
{
    private static readonly ActivitySource ServerSource = new("test.downstream");

    [Fact]
    public async Task DownstreamServiceContinuesTheTrace()
    {
        var received = new ConcurrentQueue<Dictionary<string, string>>();
        await using var server = await StartServerAsync(received);
        await using var harness = await EmulatorHarness.StartAsync(build: b => b.AddHttpClientInstrumentation().AddSource(ServerSource.Name));
        using var http = new HttpClient { BaseAddress = new Uri(server.Urls.First()) };

        await DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("http"), async (_, _) => await http.GetStringAsync(new Uri("/stock", UriKind.Relative)));

        var headers = Assert.Single(received);
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
        var received = new ConcurrentQueue<Dictionary<string, string>>();
        await using var runtimeApi = await StartServerAsync(received);
        var authority = new Uri(runtimeApi.Urls.First()).Authority;
        await using var harness = await EmulatorHarness.StartAsync(new() { ["AWS_LAMBDA_RUNTIME_API"] = authority }, build: b => b.AddHttpClientInstrumentation());
        using var http = new HttpClient();

        await DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("rt"), async (_, _) =>
            await http.GetStringAsync(new Uri($"http://{authority}/2018-06-01/runtime/invocation/next")));

        var trace = await harness.TraceOf("rt");
        Assert.DoesNotContain(trace.Spans, s => s.Name == "http.client.request");
        Assert.DoesNotContain(harness.Emulator.Spans, s => s.GetMeta("url.full")?.Contains("/v1/traces", StringComparison.Ordinal) == true);
    }

    private static async Task<WebApplication> StartServerAsync(ConcurrentQueue<Dictionary<string, string>> received)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(async context =>
        {
            // Kestrel reuses the header collection after the request: copy it.
            received.Enqueue(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
            var parent = DatadogPropagation.ExtractTraceContext(context.Request.Headers, static (h, name) => h.TryGetValue(name, out var v) ? v.Select(x => x ?? string.Empty) : null);
            using (ServerSource.StartActivity("downstream handler", ActivityKind.Server, parent))
            {
                await context.Response.WriteAsync("42");
            }
        });
        await app.StartAsync();
        return app;
    }
}
