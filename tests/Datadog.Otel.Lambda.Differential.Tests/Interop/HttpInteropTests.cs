// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using System.Text.Json.Nodes;
using OpenTelemetry.Trace;
using Xunit.Abstractions;

namespace Datadog.Otel.Lambda.Differential.Tests.Interop;

/// <summary>
/// HTTP between this library and Datadog's Node.js libraries, both ways: the producer's HTTP client (HttpClient with
/// OpenTelemetry's HttpClient instrumentation and this library's propagators; Node's http module or fetch with dd-trace)
/// calls a real server on loopback, which keeps the request as it arrived; its method, path and headers become the API
/// Gateway REST event (as API Gateway passes headers on), and the consumer (datadog-lambda-js; this library's wrapper)
/// continues the trace from its <c>aws.apigateway</c> inferred span.
/// </summary>
[Trait("Category", "Slow")]
[Collection("Tracing")]
public sealed class HttpInteropTests(InteropFixture fixture, ITestOutputHelper output) : IClassFixture<InteropFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task OurHttpClientHeadersContinueInDatadogLambdaJs()
    {
        await using var server = await RecordingServer.StartAsync(_ => new RecordedAnswer(200, "application/json", "{\"ok\":true}"));

        var producer = await fixture.Ours.RunAsync(
            InteropCases.Producer(InteropCases.Unique("http-producer"), "1"),
            xrayDaemonAddress: null,
            instrument: b => b.AddHttpClientInstrumentation(),
            work: async () =>
            {
                using var http = new HttpClient();
                (await http.GetAsync(new Uri(server.BaseAddress, "/orders/1"))).EnsureSuccessStatusCode();
            });
        var request = await server.WaitForRequestAsync(Wait);

        var consumer = await fixture.Node.RunAsync(InteropCases.Consumer(InteropCases.Unique("http-node"), "api-gateway-rest", InteropEvents.ApiGatewayRest(request, "/orders/{id}")), null);

        output.WriteLine(Continuity.Describe(producer.Spans.Concat(consumer.Spans)));
        var client = Assert.Single(producer.Spans, s => s.Name == "http.client.request");
        Continuity.AssertContinues(producer.Spans, client, consumer.Spans, ["aws.apigateway"], 2);
    }

    [Theory]
    [InlineData("http")]
    [InlineData("fetch")]
    public async Task DdTraceHttpHeadersContinueInOurWrapper(string via)
    {
        await using var server = await RecordingServer.StartAsync(_ => new RecordedAnswer(200, "application/json", "{\"ok\":true}"));
        var call = new JsonObject { ["http"] = new JsonObject { ["via"] = via, ["url"] = new Uri(server.BaseAddress, "/orders/2").ToString() } };

        var producer = await fixture.Node.RunProducerAsync(InteropCases.Unique("http-dd-trace"), call, InteropCases.NodeProducer("1"));
        Assert.Null(producer.Result.Error);
        var request = await server.WaitForRequestAsync(Wait);

        var consumer = await fixture.Ours.RunAsync(InteropCases.Consumer(InteropCases.Unique("http-ours"), "api-gateway-rest", InteropEvents.ApiGatewayRest(request, "/orders/{id}")), null);

        output.WriteLine(Continuity.Describe(producer.Spans.Concat(consumer.Spans)));

        // dd-trace's client span is the one named in the headers it sent; it must be its http.request span for this URL.
        var client = Assert.Single(producer.Spans, s => s.SpanId.ToString(CultureInfo.InvariantCulture) == request.Header("x-datadog-parent-id"));
        Assert.Equal("http.request", client.Name);
        Assert.EndsWith("/orders/2", client.GetMeta("http.url"), StringComparison.Ordinal);
        Continuity.AssertContinues(producer.Spans, client, consumer.Spans, ["aws.apigateway"], 2);
    }
}
