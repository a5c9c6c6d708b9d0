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

    public static async Task<TResult> RunAsync<TState, TResult>(
        DatadogLambdaRuntime runtime,
        InvocationEvent? @event,
        DatadogLambdaContext? context,
        TState state,
        Func<TState, Task<TResult>> invoke,
        bool hasResult,
        bool handlerReadsEvent = false)
    {
        var scope = Begin(runtime, @event, context, handlerReadsEvent);

        // Flows into the handler; an async method's changes to AsyncLocal state never leak to its caller.
        CurrentInvocation.Set(new InvocationInfo(context?.AwsRequestId, runtime.Settings, scope.LambdaSpan, context?.XRayTraceHeader));
        ConsoleCorrelation.InstallIfRequested();
        TResult result;
        try
        {
            result = await invoke(state).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            scope.SetException(ex);
            await scope.EndAsync().ConfigureAwait(false);
            throw;
        }

        scope.SetResult(result, hasResult);
        await scope.EndAsync().ConfigureAwait(false);
        return scope.CompleteResult(result);
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
        var previousInvocation = CurrentInvocation.Set(new InvocationInfo(context?.AwsRequestId, runtime.Settings, scope.LambdaSpan, context?.XRayTraceHeader));
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
            scope.EndAsync().GetAwaiter().GetResult();
            Activity.Current = previous;
            CurrentInvocation.Set(previousInvocation);
            throw;
        }

        scope.SetResult(result, hasResult);
        scope.EndAsync().GetAwaiter().GetResult();
        Activity.Current = previous;
        CurrentInvocation.Set(previousInvocation);
        return scope.CompleteResult(result);
    }

    private static InvocationScope Begin(DatadogLambdaRuntime runtime, InvocationEvent? @event, DatadogLambdaContext? context, bool handlerReadsEvent)
    {
        try
        {
            return InvocationScope.Begin(runtime, @event?.Json ?? default, context ?? DatadogLambdaContextDefaults.Empty);
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
