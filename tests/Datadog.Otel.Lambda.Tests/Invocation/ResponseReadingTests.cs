// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Tracing;
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
        using var warnings = new WarningRecorder(nameof(UnresolvedStatusResponse));
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

    /// <summary>The distribution's warnings that name <c>marker</c> (the test's own type, so other tests' warnings do not count).</summary>
    private sealed class WarningRecorder(string marker) : EventListener
    {
        private readonly ConcurrentQueue<string> messages = new();

        public IReadOnlyCollection<string> Messages => this.messages;

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Datadog-Otel-Lambda")
            {
                this.EnableEvents(eventSource, EventLevel.Warning);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            // The base constructor enables sources before the marker is assigned.
            if (marker is not null && eventData.Payload is { } payload && string.Join(" | ", payload).Contains(marker, StringComparison.Ordinal))
            {
                this.messages.Enqueue(string.Join(" | ", payload));
            }
        }
    }
}
