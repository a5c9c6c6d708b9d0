// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Net;
using System.Text;
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
        Assert.Equal(response, await DatadogLambda.TraceAsync(tracing.Provider, HttpEvent(), TestTracing.Context("text"), (_, _) => Task.FromResult(response)));
        await DatadogLambda.TraceAsync(tracing.Provider, HttpEvent(), TestTracing.Context("stream"), (_, _) => Task.FromResult<Stream>(new MemoryStream(Encoding.UTF8.GetBytes(response))));

        foreach (var id in new[] { "text", "stream" })
        {
            var span = tracing.LambdaSpan(id);
            Assert.Equal("503", span.GetTagItem("http.status_code"));
            Assert.Equal("x", span.GetTagItem("function.response.body"));
        }
    }

    [Fact]
    public async Task AResponseBehindAByteOrderMarkKeepsItsStatusCode()
    {
        using var tracing = new TestTracing();
        byte[] response = [0xEF, 0xBB, 0xBF, .. "{\"statusCode\":404}"u8];
        await DatadogLambda.TraceAsync(tracing.Provider, HttpEvent(), TestTracing.Context(), (_, _) => Task.FromResult(response));
        Assert.Equal("404", tracing.LambdaSpan("req-1").GetTagItem("http.status_code"));
    }

    [Fact]
    public async Task AnEnumStatusCodeIsItsNumber()
    {
        using var tracing = new TestTracing(configure: o => o.JsonTypeInfoResolver = TestJsonContext.Default);
        await DatadogLambda.TraceAsync(tracing.Provider, HttpEvent(), TestTracing.Context(), (_, _) => Task.FromResult(new EnumStatusResponse { StatusCode = HttpStatusCode.Accepted }));
        Assert.Equal("202", tracing.LambdaSpan("req-1").GetTagItem("http.status_code"));
    }

    private static MemoryStream HttpEvent() => EventSamples.Stream(EventSamples.Load("http-api.json"));
}
