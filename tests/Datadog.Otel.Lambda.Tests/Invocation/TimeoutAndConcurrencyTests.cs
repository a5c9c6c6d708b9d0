// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text;
using Datadog.Otel.Lambda.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Datadog.Otel.Lambda.Tests.Invocation;

[Collection("Tracing")]
public class TimeoutAndConcurrencyTests
{
    private static MemoryStream Event() => new(Encoding.UTF8.GetBytes("{}"));

    [Fact]
    public async Task HandlerThatOutlivesItsDeadlineLeavesAnImpendingTimeoutSpan()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var tracing = new TestTracing(configure: o => o.TimeProvider = clock);
        var context = new DatadogLambdaContext
        {
            AwsRequestId = "slow",
            FunctionName = "My-Function",
            InvokedFunctionArn = TestTracing.FunctionArn,
            Deadline = clock.GetUtcNow() + TimeSpan.FromSeconds(1),
        };
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var invocation = DatadogLambda.TraceAsync(tracing.Provider, Event(), context, (_, _) => release.Task);

        // DD_APM_FLUSH_DEADLINE_MILLISECONDS defaults to 100: nothing happens until 100 ms before the deadline.
        clock.Advance(TimeSpan.FromMilliseconds(899));
        Assert.DoesNotContain(tracing.Exported, a => a.GetTagItem("request_id") as string == "slow");
        clock.Advance(TimeSpan.FromMilliseconds(2));

        var span = tracing.LambdaSpan("slow");
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("Impending Timeout", span.GetTagItem("error.type"));
        Assert.Equal("Datadog detected an Impending Timeout", span.GetTagItem("error.msg"));
        Assert.False(invocation.IsCompleted);

        release.SetResult(5);
        Assert.Equal(5, await invocation);
        Assert.Single(tracing.Exported, a => a.GetTagItem("request_id") as string == "slow");
    }

    [Fact]
    public async Task AfterAnImpendingTimeoutNoResponseIsCaptured()
    {
        // The request's tags are written at the start; Python's aws.lambda has none at a timeout (accepted difference
        // payload-timeout). A result or an exception that comes after the spans ended writes nothing to them.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var tracing = new TestTracing(new() { ["DD_CAPTURE_LAMBDA_PAYLOAD"] = "true" }, o => o.TimeProvider = clock);
        foreach (var id in new[] { "late-result", "late-exception" })
        {
            var context = new DatadogLambdaContext { AwsRequestId = id, Deadline = clock.GetUtcNow() + TimeSpan.FromSeconds(1) };
            var release = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            var invocation = DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream("{\"hello\":\"world\"}"), context, (_, _) => release.Task);
            clock.Advance(TimeSpan.FromMilliseconds(901));

            var span = tracing.LambdaSpan(id);
            Assert.Equal("world", span.GetTagItem("function.request.hello"));
            if (id == "late-result")
            {
                release.SetResult("{\"a\":1}");
                await invocation;
            }
            else
            {
                release.SetException(new InvalidOperationException("late"));
                await Assert.ThrowsAsync<InvalidOperationException>(() => invocation);
            }

            Assert.DoesNotContain(span.TagObjects, t => t.Key.StartsWith("function.response", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task AResponseStillBeingReadWhenTheDeadlineComesIsLeftOut()
    {
        // The deadline passes while the response is read for capture (here: inside the stream's read). The watch stays
        // armed during the read (a slow read must not keep it from exporting before Lambda stops the sandbox), so it
        // ends and exports the spans at its time, and the response's tags, read too late, are not written to them.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var tracing = new TestTracing(new() { ["DD_CAPTURE_LAMBDA_PAYLOAD"] = "true" }, o => o.TimeProvider = clock);
        var context = new DatadogLambdaContext { AwsRequestId = "read-at-deadline", Deadline = clock.GetUtcNow() + TimeSpan.FromSeconds(1) };
        var response = new DeadlineCrossingStream(Encoding.UTF8.GetBytes("{\"a\":1}"), () => clock.Advance(TimeSpan.FromMilliseconds(901)));

        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream("{\"hello\":\"world\"}"), context, (_, _) => Task.FromResult<Stream>(response));

        Assert.True(response.Crossed);
        var span = tracing.LambdaSpan("read-at-deadline");
        Assert.Equal("Impending Timeout", span.GetTagItem("error.type"));
        Assert.Equal("world", span.GetTagItem("function.request.hello"));
        Assert.DoesNotContain(span.TagObjects, t => t.Key.StartsWith("function.response", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AResponseReadBeforeTheDeadlineIsTheInvocationsEnd()
    {
        // Read in time, the response's tags are written and the invocation ends normally; the watch, due later, does nothing.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var tracing = new TestTracing(new() { ["DD_CAPTURE_LAMBDA_PAYLOAD"] = "true" }, o => o.TimeProvider = clock);
        var context = new DatadogLambdaContext { AwsRequestId = "read-in-time", Deadline = clock.GetUtcNow() + TimeSpan.FromSeconds(1) };

        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream("{\"hello\":\"world\"}"), context, (_, _) => Task.FromResult<Stream>(new MemoryStream(Encoding.UTF8.GetBytes("{\"a\":1}"))));
        clock.Advance(TimeSpan.FromSeconds(2));

        var span = tracing.LambdaSpan("read-in-time");
        Assert.Equal("1", span.GetTagItem("function.response.a"));
        Assert.Null(span.GetTagItem("error.type"));
    }

    [Fact]
    public async Task AnImpendingTimeoutMarksTheRootMostSpan()
    {
        // dd-trace-py's crash flush marks the local root: with an inferred span, that span, not aws.lambda.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var tracing = new TestTracing(configure: o => o.TimeProvider = clock);
        var context = new DatadogLambdaContext { AwsRequestId = "rest", Deadline = clock.GetUtcNow() + TimeSpan.FromSeconds(1) };
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var invocation = DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(EventSamples.Load("api-gateway-rest.json")), context, (_, _) => release.Task);
        clock.Advance(TimeSpan.FromMilliseconds(901));

        var lambda = tracing.LambdaSpan("rest");
        var inferred = Assert.Single(tracing.Exported, a => a.SpanId == lambda.ParentSpanId);
        Assert.Equal("aws.apigateway", inferred.GetTagItem("operation.name") ?? inferred.OperationName);
        Assert.Equal("Impending Timeout", inferred.GetTagItem("error.type"));
        Assert.Equal("Datadog detected an Impending Timeout", inferred.GetTagItem("error.msg"));
        Assert.Equal(ActivityStatusCode.Error, inferred.Status);
        Assert.Null(lambda.GetTagItem("error.type"));
        release.SetResult(1);
        await invocation;
    }

    [Fact]
    public async Task AnImpendingTimeoutEndsAnAsynchronousInferredSpanAtTheInvocationsStart()
    {
        // The span is the message's time in the queue: dd-trace-py ends it at the timeout, here it ends where it does
        // after a normal end (accepted difference timeout-async-inferred-end).
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var tracing = new TestTracing(configure: o => o.TimeProvider = clock);
        var context = new DatadogLambdaContext { AwsRequestId = "queued", Deadline = clock.GetUtcNow() + TimeSpan.FromSeconds(1) };
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var invocation = DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(EventSamples.Load("sqs.json")), context, (_, _) => release.Task);
        clock.Advance(TimeSpan.FromMilliseconds(901));

        var lambda = tracing.LambdaSpan("queued");
        var sqs = Assert.Single(tracing.Exported, a => a.SpanId == lambda.ParentSpanId);
        Assert.Equal("aws.sqs", sqs.GetTagItem("operation.name") ?? sqs.OperationName);
        Assert.Equal(lambda.StartTimeUtc, sqs.StartTimeUtc + sqs.Duration);
        Assert.Equal("Impending Timeout", sqs.GetTagItem("error.type"));
        release.SetResult(1);
        await invocation;
    }

    [Fact]
    public async Task FlushDeadlineMarginIsConfigurable()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var tracing = new TestTracing(new() { ["DD_APM_FLUSH_DEADLINE_MILLISECONDS"] = "500" }, o => o.TimeProvider = clock);
        var context = new DatadogLambdaContext { AwsRequestId = "m", Deadline = clock.GetUtcNow() + TimeSpan.FromSeconds(1) };
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var invocation = DatadogLambda.TraceAsync(tracing.Provider, Event(), context, (_, _) => release.Task);
        clock.Advance(TimeSpan.FromMilliseconds(501));
        Assert.Equal("Impending Timeout", tracing.LambdaSpan("m").GetTagItem("error.type"));
        release.SetResult(1);
        await invocation;
    }

    [Fact]
    public async Task InvocationThatEndsInTimeIsNotMarked()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var tracing = new TestTracing(configure: o => o.TimeProvider = clock);
        var context = new DatadogLambdaContext { AwsRequestId = "fast", Deadline = clock.GetUtcNow() + TimeSpan.FromSeconds(1) };
        await DatadogLambda.TraceAsync(tracing.Provider, Event(), context, (_, _) => Task.FromResult(1));
        clock.Advance(TimeSpan.FromSeconds(5));
        var span = tracing.LambdaSpan("fast");
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Null(span.GetTagItem("error.type"));
    }

    [Fact]
    public async Task ConcurrentInvocationsGetTheirOwnTracesAndOneColdStart()
    {
        using var tracing = new TestTracing(configure: o => o.InitTime = () => DateTimeOffset.UtcNow - TimeSpan.FromSeconds(1));
        const int Count = 200;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = new Activity?[Count];
        var invocations = Enumerable.Range(0, Count).Select(i => Task.Run(() =>
            DatadogLambda.TraceAsync(tracing.Provider, Event(), TestTracing.Context("req-" + i), async (_, _) =>
            {
                await gate.Task;
                seen[i] = Activity.Current;
                return i;
            }))).ToArray();
        gate.SetResult();
        var results = await Task.WhenAll(invocations);

        Assert.Equal(Enumerable.Range(0, Count), results);
        var spans = Enumerable.Range(0, Count).Select(i => tracing.LambdaSpan("req-" + i)).ToList();
        Assert.Equal(Count, spans.Select(s => s.TraceId).Distinct().Count());
        for (var i = 0; i < Count; i++)
        {
            Assert.Same(spans[i], seen[i]);
        }

        Assert.Equal(1, spans.Count(s => s.GetTagItem("cold_start") as string == "true"));
        Assert.Single(tracing.Exported, a => a.GetTagItem("operation.name") as string == "aws.lambda.cold_start");
    }
}

/// <summary>A response stream whose first read moves the clock past the impending-timeout point.</summary>
internal sealed class DeadlineCrossingStream(byte[] content, Action cross) : MemoryStream(content)
{
    public bool Crossed { get; private set; }

    public override int Read(byte[] buffer, int offset, int count)
    {
        this.Cross();
        return base.Read(buffer, offset, count);
    }

    public override int Read(Span<byte> buffer)
    {
        this.Cross();
        return base.Read(buffer);
    }

    private void Cross()
    {
        if (!this.Crossed)
        {
            this.Crossed = true;
            cross();
        }
    }
}
