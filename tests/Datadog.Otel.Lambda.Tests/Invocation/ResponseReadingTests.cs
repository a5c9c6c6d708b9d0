// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Serialization.Metadata;
using Datadog.Otel.Lambda.Tests.TestSupport;

namespace Datadog.Otel.Lambda.Tests.Invocation;

/// <summary>
/// The status code and the captured payload of a response, read the way events are: past 64 levels of nesting, behind a
/// byte-order mark, and in the form the response takes on the wire (an enum status is its number).
/// </summary>
[Collection("Tracing")]
public class ResponseReadingTests
{
    private static readonly string Deep = new string('[', 100) + new string(']', 100);

    [Fact]
    public async Task ADeeplyNestedResponseKeepsItsStatusCode()
    {
        using var tracing = new TestTracing(new() { ["DD_CAPTURE_LAMBDA_PAYLOAD"] = "true" });
        var response = "{\"statusCode\":503,\"body\":\"x\",\"deep\":" + Deep + "}";
        await DatadogLambda.TraceAsync(tracing.Provider, HttpEvent(), TestTracing.Context("stream"), (_, _) => Task.FromResult<Stream>(new MemoryStream(Encoding.UTF8.GetBytes(response))));
        Assert.Equal(response, await DatadogLambda.TraceAsync(tracing.Provider, HttpEvent(), TestTracing.Context("text"), (_, _) => Task.FromResult(response)));

        var stream = tracing.LambdaSpan("stream");
        Assert.Equal("503", stream.GetTagItem("http.status_code"));
        Assert.Equal("x", stream.GetTagItem("function.response.body"));

        // A string is expanded for capture, but holds no status code (see AStringResponseHoldsNoStatusCodeButBytesAreTheSerializedResponse).
        var text = tracing.LambdaSpan("text");
        Assert.Equal("200", text.GetTagItem("http.status_code"));
        Assert.Equal("x", text.GetTagItem("function.response.body"));
    }

    [Fact]
    public async Task AResponseBehindAByteOrderMarkKeepsItsStatusCode()
    {
        using var tracing = new TestTracing();
        byte[] response = [0xEF, 0xBB, 0xBF, .. "{\"statusCode\":404}"u8];
        await DatadogLambda.TraceAsync(tracing.Provider, HttpEvent(), TestTracing.Context(), (_, _) => Task.FromResult<Stream>(new MemoryStream(response)));
        Assert.Equal("404", tracing.LambdaSpan("req-1").GetTagItem("http.status_code"));
    }

    [Fact]
    public async Task AStringResponseHoldsNoStatusCodeButBytesAreTheSerializedResponse()
    {
        // Python reads statusCode only from a dict (or an object's status_code): a str response is 200, and the Lambda
        // serializers send a string as a JSON string, so API Gateway never sees that status. Bytes are the serialized
        // response, as a stream is: the ASP.NET Core content files of earlier packages hand the response over as a
        // byte[], and an updated core must keep reading it (docs/packages.md: updating only the core keeps them working).
        foreach (var capture in new[] { "false", "true" })
        {
            using var tracing = new TestTracing(new() { ["DD_CAPTURE_LAMBDA_PAYLOAD"] = capture });
            const string Response = "{\"statusCode\":503}";
            await DatadogLambda.TraceAsync(tracing.Provider, HttpEvent(), TestTracing.Context("text"), (_, _) => Task.FromResult(Response));
            await DatadogLambda.TraceAsync(tracing.Provider, HttpEvent(), TestTracing.Context("bytes"), (_, _) => Task.FromResult(Encoding.UTF8.GetBytes(Response)));
            await DatadogLambda.TraceAsync(tracing.Provider, HttpEvent(), TestTracing.Context("memory"), (_, _) => Task.FromResult<ReadOnlyMemory<byte>>(Encoding.UTF8.GetBytes(Response)));
            var text = tracing.LambdaSpan("text");
            Assert.Equal("200", text.GetTagItem("http.status_code"));
            Assert.NotEqual(ActivityStatusCode.Error, text.Status);
            foreach (var id in new[] { "text", "bytes", "memory" })
            {
                Assert.Equal(capture == "true" ? "503" : null, tracing.LambdaSpan(id).GetTagItem("function.response.statusCode"));
            }

            foreach (var id in new[] { "bytes", "memory" })
            {
                Assert.Equal("503", tracing.LambdaSpan(id).GetTagItem("http.status_code"));
                Assert.Equal(ActivityStatusCode.Error, tracing.LambdaSpan(id).Status);
            }
        }
    }

    [Fact]
    public async Task AResponseParsedFromAStringStartsOneLevelDeep()
    {
        // Python's tag_object spends a level on the str before it parses it: at max depth 2, "a" is cut.
        using var tracing = new TestTracing(new() { ["DD_CAPTURE_LAMBDA_PAYLOAD"] = "true", ["DD_CAPTURE_LAMBDA_PAYLOAD_MAX_DEPTH"] = "2" });
        const string Response = "{\"a\":{\"b\":{\"c\":1}}}";
        await DatadogLambda.TraceAsync(tracing.Provider, HttpEvent(), TestTracing.Context("text"), (_, _) => Task.FromResult(Response));
        await DatadogLambda.TraceAsync(tracing.Provider, HttpEvent(), TestTracing.Context("bytes"), (_, _) => Task.FromResult(Encoding.UTF8.GetBytes(Response)));
        await DatadogLambda.TraceAsync(tracing.Provider, HttpEvent(), TestTracing.Context("memory"), (_, _) => Task.FromResult<ReadOnlyMemory<byte>>(Encoding.UTF8.GetBytes(Response)));
        await DatadogLambda.TraceAsync(tracing.Provider, HttpEvent(), TestTracing.Context("stream"), (_, _) => Task.FromResult<Stream>(new MemoryStream(Encoding.UTF8.GetBytes(Response))));
        var text = tracing.LambdaSpan("text");
        Assert.Equal("{\"b\":{\"c\":1}}", text.GetTagItem("function.response.a"));
        Assert.Null(text.GetTagItem("function.response.a.b"));

        // A stream or bytes are the serialized response, the dict of a Python handler: their root is at depth 0.
        foreach (var id in new[] { "bytes", "memory", "stream" })
        {
            Assert.Equal("{\"c\":1}", tracing.LambdaSpan(id).GetTagItem("function.response.a.b"));
        }
    }

    [Fact]
    public async Task BytesThatAreNotJsonAreCapturedAsText()
    {
        using var tracing = new TestTracing(new() { ["DD_CAPTURE_LAMBDA_PAYLOAD"] = "true" });
        await DatadogLambda.TraceAsync(tracing.Provider, HttpEvent(), TestTracing.Context("bytes"), (_, _) => Task.FromResult("hello"u8.ToArray()));
        await DatadogLambda.TraceAsync(tracing.Provider, HttpEvent(), TestTracing.Context("memory"), (_, _) => Task.FromResult<ReadOnlyMemory<byte>>("hello"u8.ToArray()));
        await DatadogLambda.TraceAsync(tracing.Provider, HttpEvent(), TestTracing.Context("stream"), (_, _) => Task.FromResult<Stream>(new MemoryStream("hello"u8.ToArray())));
        foreach (var id in new[] { "bytes", "memory", "stream" })
        {
            // Python writes str(bytes): b'hello'.
            Assert.Equal("hello", tracing.LambdaSpan(id).GetTagItem("function.response"));
        }
    }

    [Fact]
    public async Task AMissingResponseIsCapturedAsNull()
    {
        // Python's _after tags function.response with None when the handler returned nothing or threw.
        using var tracing = new TestTracing(new() { ["DD_CAPTURE_LAMBDA_PAYLOAD"] = "true" });
        await DatadogLambda.TraceAsync(tracing.Provider, HttpEvent(), TestTracing.Context("void"), (_, _) => Task.CompletedTask);
        await DatadogLambda.TraceAsync(tracing.Provider, HttpEvent(), TestTracing.Context("null"), (_, _) => Task.FromResult<string?>(null));
        await Assert.ThrowsAsync<InvalidOperationException>(() => DatadogLambda.TraceAsync<int>(tracing.Provider, HttpEvent(), TestTracing.Context("throws"), (_, _) => throw new InvalidOperationException("boom")));
        DatadogLambda.Trace(tracing.Provider, HttpEvent(), TestTracing.Context("sync"), (_, _) => { });
        foreach (var id in new[] { "void", "null", "throws", "sync" })
        {
            Assert.Equal("null", tracing.LambdaSpan(id).GetTagItem("function.response"));
        }

        using var off = new TestTracing();
        await DatadogLambda.TraceAsync(off.Provider, HttpEvent(), TestTracing.Context("off"), (_, _) => Task.CompletedTask);
        Assert.Null(off.LambdaSpan("off").GetTagItem("function.response"));
    }

    [Fact]
    public async Task AnEnumStatusCodeIsItsNumber()
    {
        using var tracing = new TestTracing(configure: o => o.JsonTypeInfoResolver = TestJsonContext.Default);
        await DatadogLambda.TraceAsync(tracing.Provider, HttpEvent(), TestTracing.Context(), (_, _) => Task.FromResult(new EnumStatusResponse { StatusCode = HttpStatusCode.Accepted }));
        Assert.Equal("202", tracing.LambdaSpan("req-1").GetTagItem("http.status_code"));
    }

    [Fact]
    public async Task ATypedEventsResolverReadsTheResponseWhenTheOptionsNameNone()
    {
        // The JsonSerializerContext that describes the event usually declares the response too.
        using var tracing = new TestTracing();
        await DatadogLambda.TraceAsync(tracing.Provider, HttpEvent(), TestJsonContext.Default.JsonElement, TestTracing.Context(), (_, _) => Task.FromResult(new EnumStatusResponse { StatusCode = HttpStatusCode.InternalServerError }));
        var span = tracing.LambdaSpan("req-1");
        Assert.Equal("500", span.GetTagItem("http.status_code"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
    }

    [Fact]
    public async Task AResolverThatDoesNotDeclareTheResponseDoesNotHideItFromOneThatDoes()
    {
        // Two handlers in one process with different resolvers: what one cannot read, the other still reads.
        using (var without = new TestTracing(configure: o => o.JsonTypeInfoResolver = JsonTypeInfoResolver.Combine()))
        {
            await DatadogLambda.TraceAsync(without.Provider, HttpEvent(), TestTracing.Context("without"), (_, _) => Task.FromResult(new ResolverScopedResponse { StatusCode = 500 }));
            Assert.Equal("200", without.LambdaSpan("without").GetTagItem("http.status_code"));
        }

        using var with = new TestTracing(configure: o => o.JsonTypeInfoResolver = TestJsonContext.Default);
        await DatadogLambda.TraceAsync(with.Provider, HttpEvent(), TestTracing.Context("with"), (_, _) => Task.FromResult(new ResolverScopedResponse { StatusCode = 500 }));
        Assert.Equal("500", with.LambdaSpan("with").GetTagItem("http.status_code"));
    }

    [Fact]
    public async Task AnUnreadableTypedResponseSaysWhyOnce()
    {
        using var warnings = new MarkedWarnings(nameof(UnresolvedStatusResponse));
        using var tracing = new TestTracing();
        for (var i = 0; i < 3; i++)
        {
            await DatadogLambda.TraceAsync(tracing.Provider, HttpEvent(), TestTracing.Context($"req-{i}"), (_, _) => Task.FromResult(new UnresolvedStatusResponse { StatusCode = 500 }));
        }

        Assert.Equal("200", tracing.LambdaSpan("req-2").GetTagItem("http.status_code"));
        var warning = Assert.Single(warnings.Messages);
        Assert.Contains("DatadogLambdaOptions.JsonTypeInfoResolver", warning, StringComparison.Ordinal);
    }

    private static MemoryStream HttpEvent() => EventSamples.Stream(EventSamples.Load("http-api.json"));

    private sealed class UnresolvedStatusResponse
    {
        public int StatusCode { get; set; }
    }
}
