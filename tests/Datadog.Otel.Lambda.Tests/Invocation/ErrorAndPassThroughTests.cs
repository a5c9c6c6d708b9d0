// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Datadog.Otel.Lambda.Tests.TestSupport;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.Tests.Invocation;

[Collection("Tracing")]
public class ErrorAndPassThroughTests
{
    private static MemoryStream Event(string json = "{}") => new(Encoding.UTF8.GetBytes(json));

    [Fact]
    public async Task HandlerExceptionMarksTheSpanAndIsRethrownUnchanged()
    {
        using var tracing = new TestTracing();
        var thrown = new InvalidOperationException("boom");
        var caught = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            DatadogLambda.TraceAsync<int>(tracing.Provider, Event(), TestTracing.Context(), async (_, _) =>
            {
                await Task.Yield();
                throw thrown;
            }));

        Assert.Same(thrown, caught);
        Assert.Contains(nameof(HandlerExceptionMarksTheSpanAndIsRethrownUnchanged), caught.StackTrace);
        var span = tracing.LambdaSpan("req-1");
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("boom", span.StatusDescription);
        Assert.Equal("boom", span.GetTagItem("error.msg"));
        Assert.Equal("System.InvalidOperationException", span.GetTagItem("error.type"));
        Assert.Contains("boom", (string)span.GetTagItem("error.stack")!);
        Assert.Contains(span.Events, e => e.Name == "exception");
    }

    [Fact]
    public void SynchronousHandlerExceptionIsRethrownUnchanged()
    {
        using var tracing = new TestTracing();
        var thrown = new FormatException("bad");
        var caught = Assert.Throws<FormatException>(() =>
            DatadogLambda.Trace(tracing.Provider, Event(), TestTracing.Context(), (_, _) => throw thrown));
        Assert.Same(thrown, caught);
        Assert.Equal("bad", tracing.LambdaSpan("req-1").GetTagItem("error.msg"));
    }

    [Fact]
    public async Task TracingDisabledIsAPurePassThrough()
    {
        using var tracing = new TestTracing(new() { ["DD_TRACE_ENABLED"] = "false" });
        var expected = Task.FromResult(new object());
        var stream = Event();
        Stream? seenStream = null;
        DatadogLambdaContext? seenContext = null;
        var context = TestTracing.Context();
        var returned = DatadogLambda.TraceAsync(tracing.Provider, stream, context, (s, c) =>
        {
            seenStream = s;
            seenContext = c;
            return expected;
        });

        Assert.Same(expected, returned);
        Assert.Same(stream, seenStream);
        Assert.Same(context, seenContext);
        Assert.Equal(0, stream.Position);
        await returned;
        Assert.Empty(tracing.Exported);

        var thrown = new TimeoutException("t");
        // Untraced, a handler that throws synchronously throws out of TraceAsync itself, exactly as calling it directly.
        var direct = Record.Exception(() => { _ = DatadogLambda.TraceAsync<int>(tracing.Provider, Event(), context, (_, _) => throw thrown); });
        Assert.Same(thrown, direct);
        Assert.Empty(tracing.Exported);
    }

    [Fact]
    public void TracingDisabledAddsNoExporterButKeepsTheHandlersSpansSampled()
    {
        // Nothing flushes with tracing off: an exporter would only queue the handler's own spans (AWS SDK, HttpClient,
        // the user's) up to its 16,384-span bound. The spans stay sampled, as with Datadog's disabled tracer, so that what
        // they inject downstream does not tell traced consumers to drop their traces.
        using var tracing = new TestTracing(
            new() { ["DD_TRACE_ENABLED"] = "false" },
            o => o.Exporter = DatadogLambdaExporter.Extension,
            sources: ["Handler.Disabled"]);
        using var source = new ActivitySource("Handler.Disabled");
        Activity? inner = null;
        DatadogLambda.Trace(tracing.Provider, Event(), TestTracing.Context("req-off"), (_, _) =>
        {
            inner = source.StartActivity("user.work");
            inner?.Stop();
            return 1;
        });

        Assert.Null(tracing.Runtime.Exporter);
        Assert.NotNull(inner);
        Assert.True(inner.Recorded);
        Assert.DoesNotContain(tracing.Exported, a => a.GetTagItem("operation.name") as string == "aws.lambda");
    }

    [Fact]
    public void AFarOffDeadlineIsClampedAndTheInvocationIsTraced()
    {
        // A test double's or a local host's RemainingTime can be TimeSpan.MaxValue: now + that overflowed, in ctx.ToDatadog(),
        // before the handler ran.
        Assert.Equal(DateTimeOffset.MaxValue, DatadogLambdaContext.DeadlineFromRemainingTime(TimeSpan.MaxValue));
        Assert.InRange(DatadogLambdaContext.DeadlineFromRemainingTime(TimeSpan.FromMinutes(15)) - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));

        using var tracing = new TestTracing();
        var context = new DatadogLambdaContext
        {
            AwsRequestId = "req-far",
            InvokedFunctionArn = TestTracing.FunctionArn,
            FunctionName = "My-Function",
            Deadline = DatadogLambdaContext.DeadlineFromRemainingTime(TimeSpan.MaxValue),
        };
        Assert.Equal(7, DatadogLambda.Trace(tracing.Provider, Event(), context, (_, _) => 7));
        Assert.NotNull(tracing.LambdaSpan("req-far"));
    }

    [Fact]
    public async Task ResultPassesThroughUnchanged()
    {
        using var tracing = new TestTracing();
        var result = new object();
        Assert.Same(result, await DatadogLambda.TraceAsync(tracing.Provider, Event(), TestTracing.Context(), (_, _) => Task.FromResult(result)));
        var element = await DatadogLambda.TraceAsync(tracing.Provider, Event("{\"a\":1}"), TestJsonContext.Default.JsonElement, TestTracing.Context("r2"), (e, _) => Task.FromResult(e));
        Assert.Equal(1, element.GetProperty("a").GetInt32());
    }

    [Fact]
    public async Task HandlerReadsTheSameEventBytes()
    {
        using var tracing = new TestTracing();
        var json = "{\"hello\":\"world\"}";
        var read = await DatadogLambda.TraceAsync(tracing.Provider, Event(json), TestTracing.Context(), async (s, _) =>
        {
            using var reader = new StreamReader(s);
            return await reader.ReadToEndAsync();
        });
        Assert.Equal(json, read);
    }

    [Fact]
    public async Task TypedEventIsDeserializedOnceForTheHandler()
    {
        using var tracing = new TestTracing();
        var order = await DatadogLambda.TraceAsync(tracing.Provider, Event("{\"Id\":42,\"Item\":\"book\"}"), TestJsonContext.Default.Order, TestTracing.Context(), (o, _) => Task.FromResult(o));
        Assert.Equal(42, order.Id);
        Assert.Equal("book", order.Item);
        Assert.NotNull(tracing.LambdaSpan("req-1"));
    }

    [Fact]
    public async Task ProviderWithoutDatadogLambdaIsPassThrough()
    {
        using var plain = OpenTelemetry.Sdk.CreateTracerProviderBuilder().Build()!;
        var result = await DatadogLambda.TraceAsync(plain, Event(), TestTracing.Context(), (_, _) => Task.FromResult(7));
        Assert.Equal(7, result);
    }

    [Fact]
    public async Task AHandlerThatWrapsItselfInsideATracedInvocationIsTracedOnce()
    {
        // The DatadogLambdaHandler redirect in front of a handler that already calls TraceAsync: the outer call traces,
        // the inner one runs the handler as it is, so the invocation has one aws.lambda span.
        using var tracing = new TestTracing();
        Activity? innerCurrent = null;
        var result = await DatadogLambda.TraceAsync(tracing.Provider, Event(), TestTracing.Context("outer"), (outerEvent, _) =>
            DatadogLambda.TraceAsync(tracing.Provider, outerEvent, TestTracing.Context("outer"), (_, _) =>
            {
                innerCurrent = Activity.Current;
                return Task.FromResult(11);
            }));

        Assert.Equal(11, result);
        var lambda = Assert.Single(tracing.Exported, a => a.GetTagItem("operation.name") as string == "aws.lambda");
        Assert.Same(lambda, innerCurrent);

        // The guard is per async flow: the next invocation, outside the first one, is traced again.
        Assert.Equal(12, DatadogLambda.Trace(tracing.Provider, Event(), TestTracing.Context("next"), (_, _) => 12));
        Assert.NotNull(tracing.LambdaSpan("next"));
    }
}
