// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text;
using Datadog.Otel.Lambda.Tests.TestSupport;

namespace Datadog.Otel.Lambda.Tests.Invocation;

/// <summary>
/// <c>TraceAsync</c> ends an invocation whose handler has already completed on the call itself, with no state machine
/// (InvocationRunner). It must behave as the <c>async</c> method it replaces: the invocation's state stays inside the
/// invocation, a handler that throws before returning a task faults (or cancels) the returned task instead of throwing,
/// and a caller that suppressed the flow of its execution context gets the same.
/// </summary>
[Collection("Tracing")]
public class CompletedHandlerTests
{
    private static MemoryStream Event() => new(Encoding.UTF8.GetBytes("{}"));

    [Fact]
    public async Task ACompletedHandlerEndsTheInvocationOnTheCallAndLeavesTheCallersStateAsItWas()
    {
        using var tracing = new TestTracing();
        Activity? inside = null;
        string? requestIdInside = null;
        var task = DatadogLambda.TraceAsync(tracing.Provider, Event(), TestTracing.Context("req-sync"), (_, _) =>
        {
            inside = Activity.Current;
            requestIdInside = DatadogLambdaInvocation.AwsRequestId;
            return Task.FromResult(42);
        });

        Assert.True(task.IsCompletedSuccessfully);
        Assert.Equal(42, await task);
        var span = tracing.LambdaSpan("req-sync");
        Assert.Same(span, inside);
        Assert.Equal("req-sync", requestIdInside);
        Assert.Null(Activity.Current);
        Assert.Null(DatadogLambdaInvocation.AwsRequestId);
    }

    [Fact]
    public async Task AHandlerThatThrowsBeforeReturningATaskFaultsTheReturnedTask()
    {
        using var tracing = new TestTracing();
        var thrown = new InvalidOperationException("sync boom");
        Task<int>? task = null;
        var exception = Record.Exception(() =>
        {
            task = DatadogLambda.TraceAsync<int>(tracing.Provider, Event(), TestTracing.Context("req-throw"), (_, _) => throw thrown);
        });

        Assert.Null(exception);
        Assert.NotNull(task);
        Assert.Null(Activity.Current);
        Assert.Null(DatadogLambdaInvocation.AwsRequestId);
        var caught = await Assert.ThrowsAsync<InvalidOperationException>(() => task!);
        Assert.Same(thrown, caught);
        var span = tracing.LambdaSpan("req-throw");
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("sync boom", span.GetTagItem("error.msg"));
    }

    [Fact]
    public async Task AHandlerThatThrowsCancellationBeforeReturningATaskCancelsTheReturnedTask()
    {
        using var tracing = new TestTracing();
        var thrown = new OperationCanceledException("stop");
        var task = DatadogLambda.TraceAsync(tracing.Provider, Event(), TestTracing.Context("req-cancel"), (Stream _, DatadogLambdaContext _) => (Task)Task.FromException(thrown));
        var untyped = DatadogLambda.TraceAsync<int>(tracing.Provider, Event(), TestTracing.Context("req-cancel-sync"), (_, _) => throw thrown);

        var caught = await Assert.ThrowsAsync<OperationCanceledException>(() => untyped);
        Assert.Same(thrown, caught);
        Assert.True(untyped.IsCanceled);
        await Assert.ThrowsAsync<OperationCanceledException>(() => task);
        Assert.True(task.IsCanceled);
        Assert.Equal("stop", tracing.LambdaSpan("req-cancel-sync").GetTagItem("error.msg"));
        Assert.Equal("stop", tracing.LambdaSpan("req-cancel").GetTagItem("error.msg"));
    }

    [Fact]
    public async Task ACallerThatSuppressedTheFlowOfItsContextIsTracedAndGetsItsStateBack()
    {
        using var tracing = new TestTracing();
        string? requestIdInside = null;
        Task<int> task;
        var flow = ExecutionContext.SuppressFlow();
        try
        {
            task = DatadogLambda.TraceAsync(tracing.Provider, Event(), TestTracing.Context("req-suppressed"), (_, _) =>
            {
                requestIdInside = DatadogLambdaInvocation.AwsRequestId;
                return Task.FromResult(7);
            });
            Assert.Null(Activity.Current);
            Assert.Null(DatadogLambdaInvocation.AwsRequestId);
        }
        finally
        {
            flow.Undo();
        }

        Assert.Equal(7, await task);
        Assert.Equal("req-suppressed", requestIdInside);
        Assert.NotNull(tracing.LambdaSpan("req-suppressed"));
    }
}
