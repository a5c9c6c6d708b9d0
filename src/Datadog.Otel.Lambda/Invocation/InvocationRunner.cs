// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.Diagnostics;
using Datadog.Otel.Lambda.Logging;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.Invocation;

/// <summary>
/// Runs a handler inside an invocation scope. The handler's result and exceptions pass through unchanged: an exception
/// is recorded, the spans are exported, and the same exception object is rethrown with its original stack trace.
/// </summary>
internal static class InvocationRunner
{
    private static int warnedMissingRuntime;
    private static int warnedNested;

    /// <summary>
    /// Finds the runtime for a provider; null means run the handler untraced. A call made inside an invocation this
    /// library already traces (a handler that wraps itself, run behind the <c>DatadogLambdaHandler</c> redirect) is
    /// also untraced: one invocation gets one <c>aws.lambda</c> span, from the outermost wrapper.
    /// </summary>
    public static DatadogLambdaRuntime? Resolve(TracerProvider? provider)
    {
        if (CurrentInvocation.Value is not null)
        {
            if (Interlocked.Exchange(ref warnedNested, 1) == 0)
            {
                Diag.Info("wrapper", "DatadogLambda.Trace/TraceAsync was called inside an invocation that is already traced (the handler wraps itself and also runs behind DatadogLambdaHandler?); the inner call runs the handler untraced");
            }

            return null;
        }

        var runtime = DatadogLambdaRuntime.Find(provider);
        if (runtime is null)
        {
            if (Interlocked.Exchange(ref warnedMissingRuntime, 1) == 0)
            {
                Diag.Warn("wrapper", provider is null
                    ? "no TracerProvider was given and none (or more than one) was built with AddDatadogLambda(); invocations are not traced"
                    : "the TracerProvider was not built with AddDatadogLambda(); invocations are not traced");
            }

            return null;
        }

        return runtime.Settings.TraceEnabled ? runtime : null;
    }

    /// <summary>
    /// Runs an asynchronous handler. One method, not an <c>async</c> one: when the handler's task has already completed
    /// (and the flush has nothing to wait for), the invocation ends on this call with no state machine at all; otherwise
    /// one of the two awaiting continuations below takes over, each generic in the result type only. The invocation's
    /// <see cref="AsyncLocal{T}"/> state (its <see cref="CurrentInvocation"/>, <see cref="Activity.Current"/>, baggage)
    /// stays in force until its spans have ended, then the caller's execution context comes back, as an <c>async</c>
    /// method would restore it: nothing set here leaks to the caller.
    /// </summary>
    public static Task<TResult> RunAsync<TState, TResult>(
        DatadogLambdaRuntime runtime,
        InvocationEvent? @event,
        DatadogLambdaContext? context,
        TState state,
        Func<TState, Task<TResult>> invoke,
        bool hasResult,
        bool handlerReadsEvent = false)
    {
        var callerContext = ExecutionContext.Capture();
        return callerContext is null
            ? RunInSuppressedFlowAsync(runtime, @event, context, state, invoke, hasResult, handlerReadsEvent)
            : RunToEndOrAwait(callerContext, runtime, @event, context, state, invoke, hasResult, handlerReadsEvent);
    }

    /// <summary>
    /// A caller that suppressed the flow of its execution context has none to capture (<see cref="ExecutionContext.Capture"/>
    /// returns null): an <c>async</c> method restores it instead, and the invocation always takes the awaiting path.
    /// </summary>
    private static async Task<TResult> RunInSuppressedFlowAsync<TState, TResult>(
        DatadogLambdaRuntime runtime,
        InvocationEvent? @event,
        DatadogLambdaContext? context,
        TState state,
        Func<TState, Task<TResult>> invoke,
        bool hasResult,
        bool handlerReadsEvent) =>
        await RunToEndOrAwait(null, runtime, @event, context, state, invoke, hasResult, handlerReadsEvent).ConfigureAwait(false);

    private static Task<TResult> RunToEndOrAwait<TState, TResult>(
        ExecutionContext? callerContext,
        DatadogLambdaRuntime runtime,
        InvocationEvent? @event,
        DatadogLambdaContext? context,
        TState state,
        Func<TState, Task<TResult>> invoke,
        bool hasResult,
        bool handlerReadsEvent)
    {
        try
        {
            var scope = Begin(runtime, @event, context, handlerReadsEvent);
            CurrentInvocation.Set(scope.Invocation);
            ConsoleCorrelation.InstallIfRequested();
            Task<TResult> handled;
            try
            {
                handled = invoke(state);
            }
#pragma warning disable CA1031 // Not swallowed: it is recorded and rethrown, unchanged, from the returned task.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                handled = Task.FromException<TResult>(ex);
            }

            if (callerContext is null || !handled.IsCompletedSuccessfully)
            {
                // Started in the invocation's context, which the continuation keeps; the caller's comes back below.
                return AwaitHandlerAsync(scope, handled, hasResult);
            }

            var result = handled.Result;
            scope.SetResult(result, hasResult);
            var flushed = scope.End();
            return flushed.IsCompletedSuccessfully ? Task.FromResult(scope.CompleteResult(result)) : AfterFlush(scope, flushed, result);
        }
        finally
        {
            if (callerContext is not null)
            {
                ExecutionContext.Restore(callerContext);
            }
        }
    }

    public static TResult Run<TState, TResult>(
        DatadogLambdaRuntime runtime,
        InvocationEvent? @event,
        DatadogLambdaContext? context,
        TState state,
        Func<TState, TResult> invoke,
        bool hasResult,
        bool handlerReadsEvent = false)
    {
        var previous = Activity.Current;
        var scope = Begin(runtime, @event, context, handlerReadsEvent);
        var previousInvocation = CurrentInvocation.Set(scope.Invocation);
        ConsoleCorrelation.InstallIfRequested();
        TResult result;
        try
        {
            result = invoke(state);
        }
        catch (Exception ex)
        {
            scope.SetException(ex);

            // A synchronous handler gets a synchronous flush: the caller chose to block this thread.
            scope.End().GetAwaiter().GetResult();
            Activity.Current = previous;
            CurrentInvocation.Set(previousInvocation);
            throw;
        }

        scope.SetResult(result, hasResult);
        scope.End().GetAwaiter().GetResult();
        Activity.Current = previous;
        CurrentInvocation.Set(previousInvocation);
        return scope.CompleteResult(result);
    }

    /// <summary>The handler is still running (or failed): the invocation ends when it completes.</summary>
    private static async Task<TResult> AwaitHandlerAsync<TResult>(InvocationScope scope, Task<TResult> handled, bool hasResult)
    {
        TResult result;
        try
        {
            result = await handled.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            scope.SetException(ex);
            await scope.End().ConfigureAwait(false);
            throw;
        }

        scope.SetResult(result, hasResult);
        await scope.End().ConfigureAwait(false);
        return scope.CompleteResult(result);
    }

    /// <summary>
    /// The handler completed and the spans ended; the export is under way (the usual case in Lambda: the spans go to the
    /// extension). A continuation on the flush rather than an <c>async</c> method: the framework's async machinery,
    /// instantiated over a type of this library, is compiled at run time even from ReadyToRun images (eleven methods at
    /// cold start), where <see cref="Task.ContinueWith(Action{Task, object?}, object?, CancellationToken, TaskContinuationOptions, TaskScheduler)"/>
    /// is not generic and a completion source over a reference type is shared, precompiled code.
    /// </summary>
    private static Task<TResult> AfterFlush<TResult>(InvocationScope scope, Task flushed, TResult result)
    {
        var completion = new FlushCompletion<TResult>(scope, result);
        flushed.ContinueWith(FlushCompletion.Complete, completion, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return completion.Task;
    }

    private static InvocationScope Begin(DatadogLambdaRuntime runtime, InvocationEvent? @event, DatadogLambdaContext? context, bool handlerReadsEvent)
    {
        try
        {
            return InvocationScope.Begin(runtime, @event?.Json ?? default, context ?? DatadogLambdaContextDefaults.Empty, @event?.TypeResolver);
        }
        finally
        {
            // Everything tracing needs from the event has been read; return its buffer before the handler runs,
            // unless the handler deserializes from it (the typed path), which then disposes it.
            if (!handlerReadsEvent)
            {
                @event?.Dispose();
            }
        }
    }
}

/// <summary>Placeholder results and contexts.</summary>
internal static class DatadogLambdaContextDefaults
{
    public static readonly DatadogLambdaContext Empty = new();
}
