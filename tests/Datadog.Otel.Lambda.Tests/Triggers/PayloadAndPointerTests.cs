// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Datadog.Otel.Lambda.Tests.TestSupport;

namespace Datadog.Otel.Lambda.Tests.Triggers;

[Collection("Tracing")]
public class PayloadAndPointerTests
{
    private static string ExpectedHash(params string[] components) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("|", components)))).ToLowerInvariant()[..32];

    [Fact]
    public async Task RequestAndResponsePayloadsAreCapturedWithRedaction()
    {
        using var tracing = new TestTracing(new() { ["DD_CAPTURE_LAMBDA_PAYLOAD"] = "true" });
        var request = "{\"hello\":\"world\",\"token\":\"secret\",\"nested\":{\"Authorization\":\"Bearer x\",\"n\":1},\"json\":\"{\\\"a\\\":[1,2]}\"}";
        using var response = JsonDocument.Parse("{\"statusCode\":200,\"body\":\"ok\",\"password\":{\"deep\":\"p\"}}");
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(request), TestTracing.Context(), (_, _) => Task.FromResult(response.RootElement));

        var span = tracing.LambdaSpan("req-1");
        Assert.Equal("world", span.GetTagItem("function.request.hello"));
        Assert.Equal("redacted", span.GetTagItem("function.request.token"));
        Assert.Equal("redacted", span.GetTagItem("function.request.nested.Authorization"));
        Assert.Equal("1", span.GetTagItem("function.request.nested.n"));
        Assert.Equal("2", span.GetTagItem("function.request.json.a.1"));
        Assert.Equal("200", span.GetTagItem("function.response.statusCode"));
        Assert.Equal("ok", span.GetTagItem("function.response.body"));
        Assert.Equal("redacted", span.GetTagItem("function.response.password"));
        Assert.DoesNotContain(span.TagObjects, t => t.Value as string is "secret" or "Bearer x" or "p");
    }

    [Fact]
    public async Task TypedResponsesAreCapturedThroughTheResolver()
    {
        using var tracing = new TestTracing(new() { ["DD_CAPTURE_LAMBDA_PAYLOAD"] = "true" }, o => o.JsonTypeInfoResolver = TestJsonContext.Default);
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream("{}"), TestTracing.Context(), (_, _) => Task.FromResult(new HttpResponse { StatusCode = 418, Body = "tea" }));
        var span = tracing.LambdaSpan("req-1");
        Assert.Equal("418", span.GetTagItem("function.response.StatusCode"));
        Assert.Equal("tea", span.GetTagItem("function.response.Body"));
    }

    [Fact]
    public async Task PayloadCaptureIsOffByDefault()
    {
        using var tracing = new TestTracing();
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream("{\"a\":1}"), TestTracing.Context(), (_, _) => Task.FromResult(1));
        Assert.DoesNotContain(tracing.LambdaSpan("req-1").TagObjects, t => t.Key.StartsWith("function.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MaxDepthStringifiesDeeperValues()
    {
        using var tracing = new TestTracing(new() { ["DD_CAPTURE_LAMBDA_PAYLOAD"] = "true", ["DD_CAPTURE_LAMBDA_PAYLOAD_MAX_DEPTH"] = "2" });
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream("{\"lv1\":{\"lv2\":{\"lv3\":\"val\"}}}"), TestTracing.Context(), (_, _) => Task.FromResult(1));
        Assert.Equal("{\"lv3\":\"val\"}", tracing.LambdaSpan("req-1").GetTagItem("function.request.lv1.lv2"));
    }

    [Fact]
    public async Task S3RecordsPointAtTheProducersWrite()
    {
        using var tracing = new TestTracing();
        var json = EventSamples.LoadShifted("s3.json", DateTimeOffset.UtcNow);
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(json), TestTracing.Context(), (_, _) => Task.FromResult(1));
        var s3 = tracing.Exported.Single(a => a.DisplayName == "aws.s3");
        var link = Assert.Single(s3.Links);
        Assert.Equal(default, link.Context.TraceId);
        Assert.Equal(default, link.Context.SpanId);
        var attributes = link.Tags!.ToDictionary(t => t.Key, t => t.Value);
        Assert.Equal("aws.s3.object", attributes["ptr.kind"]);
        Assert.Equal("u", attributes["ptr.dir"]);
        Assert.Equal("span-pointer", attributes["link.kind"]);
        Assert.Equal(ExpectedHash("example-bucket", "test/key", "0123456789abcdef0123456789abcdef"), attributes["ptr.hash"]);
    }

    [Fact]
    public async Task EveryDynamoDbRecordPointsAtItsItem()
    {
        using var tracing = new TestTracing(new() { ["DD_TRACE_MANAGED_SERVICES"] = "false" });
        var json = EventSamples.LoadShifted("dynamodb.json", DateTimeOffset.UtcNow);
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(json), TestTracing.Context(), (_, _) => Task.FromResult(1));

        // Without inferred spans the pointers go on aws.lambda, the root-most span.
        var lambda = tracing.LambdaSpan("req-1");
        var hashes = lambda.Links.Select(l => l.Tags!.Single(t => t.Key == "ptr.hash").Value).ToList();
        Assert.Equal([ExpectedHash("ExampleTableWithStream", "Id", "101", "", ""), ExpectedHash("ExampleTableWithStream", "Id", "102", "", "")], hashes);
    }

    [Fact]
    public async Task SpanPointersCanBeTurnedOff()
    {
        using var tracing = new TestTracing(new() { ["DD_TRACE_AWS_ADD_SPAN_POINTERS"] = "false" });
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(EventSamples.Load("s3.json")), TestTracing.Context(), (_, _) => Task.FromResult(1));
        Assert.All(tracing.Exported, a => Assert.Empty(a.Links));
    }

    [Theory]
    [InlineData("s3.json", "0", 0)]
    [InlineData("dynamodb.json", "0", 0)]
    [InlineData("dynamodb.json", "1", 1)]
    public async Task SpanPointersAreCappedByMaxBatchLinks(string sample, string max, int expected)
    {
        // The documented cap: 0 writes none (the first record's pointer included), 1 only the first record's.
        using var tracing = new TestTracing(new() { ["DD_OTEL_LAMBDA_MAX_BATCH_LINKS"] = max });
        var json = EventSamples.LoadShifted(sample, DateTimeOffset.UtcNow);
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(json), TestTracing.Context(), (_, _) => Task.FromResult(1));
        var pointers = tracing.Exported.SelectMany(a => a.Links).Where(l => l.Tags!.Any(t => t is { Key: "link.kind", Value: "span-pointer" })).ToList();
        Assert.Equal(expected, pointers.Count);
    }

    [Fact]
    public async Task StatusCodeRulesFollowDatadog()
    {
        using var tracing = new TestTracing();
        var api = EventSamples.Load("api-gateway-rest.json");
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(api), TestTracing.Context("none"), (_, _) => Task.CompletedTask);
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(api), TestTracing.Context("plain"), (_, _) => Task.FromResult("just text"));
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(api), TestTracing.Context("five"), (_, _) => Task.FromResult("{\"statusCode\":503}"));
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(api), TestTracing.Context("stream"), (_, _) => Task.FromResult<Stream>(EventSamples.Stream("{\"statusCode\":404}")));

        Assert.Equal("502", tracing.LambdaSpan("none").GetTagItem("http.status_code"));
        Assert.Equal("200", tracing.LambdaSpan("plain").GetTagItem("http.status_code"));
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(api), TestTracing.Context("element"), (_, _) => Task.FromResult(JsonDocument.Parse("{\"statusCode\":503}").RootElement));

        // A string is sent as a JSON string (bytes as base64): like Python's str response, its text is no status.
        var five = tracing.LambdaSpan("five");
        Assert.Equal("200", five.GetTagItem("http.status_code"));
        Assert.NotEqual(ActivityStatusCode.Error, five.Status);

        var element = tracing.LambdaSpan("element");
        Assert.Equal("503", element.GetTagItem("http.status_code"));
        Assert.Equal(ActivityStatusCode.Error, element.Status);
        var inferred = tracing.Exported.Single(a => a.SpanId == element.ParentSpanId);
        Assert.NotEqual(ActivityStatusCode.Error, inferred.Status);
        Assert.Equal("404", tracing.LambdaSpan("stream").GetTagItem("http.status_code"));
    }
}
