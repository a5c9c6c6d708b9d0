// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text.Json.Serialization.Metadata;
using Datadog.Otel.Lambda.Diagnostics;
using Datadog.Otel.Lambda.Export;
using Datadog.Otel.Lambda.Payload;
using Datadog.Otel.Lambda.Planning;
using Datadog.Otel.Lambda.Triggers;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;

namespace Datadog.Otel.Lambda.Invocation;

/// <summary>
/// One invocation's lifecycle: start (plan, spans, deadline watch), the handler's outcome, finish, flush — or the
/// impending timeout, which ends and exports the spans of an invocation Lambda is about to kill. What the spans are is the
/// plan's (<see cref="InvocationPlanner"/>), how they are made and ended the <see cref="SpanBuilder"/>'s. All state is per
/// instance: concurrent invocations never share one. Never throws.
/// </summary>
internal sealed class InvocationScope
{
    private const int Running = 0;
    private const int Ended = 1;
    private const int TimingOut = 2;
    private const int TimedOut = 3;

    // The handler returned and its result has been read: the end is this flow's, the deadline watch leaves it alone
    // (the response's tags must not land on spans the watch is ending and exporting).
    private const int Finishing = 4;

    private readonly DatadogLambdaRuntime runtime;
    private readonly DatadogLambdaContext context;

    // The options' resolver, else the one of the event's metadata (a source-generated context usually declares the
    // response type beside the event type): what reads a typed response's status and copies an authorizer's policy.
    private readonly IJsonTypeInfoResolver? responseResolver;
    private InvocationPlan? plan;
    private InvocationInfo? invocation;
    private InvocationSpans spans = InvocationSpans.None;
    private int state;
    private Exception? exception;
    private string? statusCode;
    private Baggage callerBaggage;
    private bool setsBaggage;

    // The deadline watch's end and export of the spans, completed once the export is done (bounded by the deadline).
    // Set before the watch takes the end (state TimingOut), so that End, once it sees the watch has it, always finds it;
    // made only when the watch fires: an invocation that ends in time allocates nothing for it.
    private TaskCompletionSource? timeoutEnd;

    private InvocationScope(DatadogLambdaRuntime runtime, DatadogLambdaContext context, IJsonTypeInfoResolver? responseResolver)
    {
        this.runtime = runtime;
        this.context = context;
        this.responseResolver = responseResolver;
    }

    /// <summary>Gets the invocation span, when it is recorded.</summary>
    public Activity? LambdaSpan => this.spans.Lambda;

    /// <summary>Gets what the handler's code may need to know about the invocation (its <see cref="CurrentInvocation"/>).</summary>
    public InvocationInfo Invocation => this.invocation!;

    /// <summary>Gets or sets the scope's place in <see cref="ImpendingTimeouts"/> (-1 when not watched).</summary>
    internal int TimeoutIndex { get; set; } = -1;

    /// <summary>
    /// Plans the invocation from <paramref name="json"/> (the event without a byte-order mark) and starts its spans. Never
    /// throws: on failure the scope exists but traces less. <paramref name="eventResolver"/> is the resolver of the typed
    /// event's metadata, used for the response when the options name none.
    /// </summary>
    public static InvocationScope Begin(DatadogLambdaRuntime runtime, ReadOnlyMemory<byte> json, DatadogLambdaContext context, IJsonTypeInfoResolver? eventResolver = null)
    {
        var scope = new InvocationScope(runtime, context, runtime.Options.JsonTypeInfoResolver ?? eventResolver);
        try
        {
            scope.Start(json);
        }
#pragma warning disable CA1031 // Tracing must never break the function.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Diag.TracingFailed("start of invocation", ex);
        }

        scope.invocation ??= scope.NewInvocationInfo();
        return scope;
    }

    /// <summary>
    /// Reads what tracing needs from the handler's result (HTTP status, a durable execution's status, the payload). Never
    /// throws. The response is read first, with the deadline watch still armed (a large or slow response must not keep
    /// the watch from exporting before Lambda stops the sandbox); its tags go on the span only if the invocation then
    /// still owns its end.
    /// </summary>
    public void SetResult<TResult>(TResult result, bool hasResult)
    {
        var capture = this.runtime.Settings.PayloadCapture;
        var isHttp = this.plan?.IsHttp == true;
        var tagsExecutionStatus = this.plan?.Trigger.TagsExecutionStatus == true;
        if (this.LambdaSpan is not { } span || (!isHttp && !capture.Enabled && !tagsExecutionStatus) || Volatile.Read(ref this.state) != Running)
        {
            // After an impending timeout the spans have ended and been exported: nothing more is written to them.
            return;
        }

        string? status;
        string? executionStatus;
        var captured = new BufferedPayloadTags(capture.Enabled ? [] : null);
        try
        {
            status = ResponseInspector.Inspect(result, hasResult, isHttp, tagsExecutionStatus, capture.Enabled ? capture : null, captured, this.responseResolver, out executionStatus);
        }
#pragma warning disable CA1031 // Tracing must never break the function.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Diag.TracingFailed("reading the response", ex);
            return;
        }

        if (!this.ClaimEnd())
        {
            // The deadline watch ended and exported the spans while the response was read.
            return;
        }

        this.statusCode = status;
        try
        {
            captured.WriteTo(span);
            if (executionStatus is not null)
            {
                span.SetTag(DurableExecutionSource.ExecutionStatusTag, executionStatus);
            }
        }
#pragma warning disable CA1031 // Tracing must never break the function.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Diag.TracingFailed("reading the response", ex);
        }
    }

    /// <summary>
    /// Records the handler's exception; the caller rethrows it unchanged. An HTTP trigger then answers 502 (API Gateway's
    /// answer to a failed integration), the status both Datadog libraries tag.
    /// </summary>
    public void SetException(Exception handlerException)
    {
        this.exception = handlerException;
        if (this.plan?.IsHttp == true)
        {
            this.statusCode = "502";
        }

        // Python tags the response it has after a failure: None. Not once an impending timeout has ended the span.
        var capture = this.runtime.Settings.PayloadCapture;
        if (capture.Enabled && this.LambdaSpan is { } span && this.ClaimEnd())
        {
            LambdaPayloadTagger.TagNull(LambdaPayloadTagger.ResponsePrefix, capture, new ActivityPayloadTagSink(span));
        }
    }

    /// <summary>
    /// The result the wrapper returns: the handler's own, except that an authorizer's policy gets the trace context for the
    /// function it authorizes (<see cref="AuthorizerResponse"/>). Called after <see cref="End"/>, when the spans ended, at
    /// the end of the handler or at the impending timeout (Python injects in both cases). Never throws: on failure the
    /// handler's result is returned as it is.
    /// </summary>
    public TResult CompleteResult<TResult>(TResult result)
    {
        var ended = Volatile.Read(ref this.state);
        if (this.plan is not { Authorizer: not AuthorizerEventKind.None } planned || (ended != Ended && ended != TimedOut) || this.spans.RootMost is not { } span)
        {
            return result;
        }

        try
        {
            var propagator = this.runtime.Propagator;
            var encoded = AuthorizerResponse.Encode(
                span,
                (context, writer) => propagator.Inject(new PropagationContext(context, default), writer, static (w, name, value) => w.WriteString(name, value)),
                planned.AuthorizingRequestId);
            return AuthorizerResponse.Inject(result, encoded, planned.Authorizer, this.responseResolver);
        }
#pragma warning disable CA1031 // Tracing must never break the function: the handler's own result goes back unchanged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Diag.TracingFailed("authorizer response", ex);
            return result;
        }
    }

    /// <summary>
    /// Ends the spans and starts their export within the invocation's deadline; the task completes with the export. Never
    /// throws, and not an <c>async</c> method: the runner awaits the flush only when it has not completed already. After
    /// an impending timeout the task is the deadline watch's end and export of the spans, which may still be under way
    /// when the handler returns in the last moments before the deadline: the wrapper returns only once they were sent.
    /// </summary>
    public Task End()
    {
        if (this.setsBaggage)
        {
            // On the invocation's own flow, also after an impending timeout ended the spans from the watch's thread.
            this.setsBaggage = false;
            Baggage.Current = this.callerBaggage;
        }

        var previous = Interlocked.CompareExchange(ref this.state, Ended, Running);
        if (previous == Finishing)
        {
            // Only this flow leaves Finishing.
            Volatile.Write(ref this.state, Ended);
        }
        else if (previous is TimingOut or TimedOut)
        {
            // The deadline watch has the end: it is ending the spans, or exporting them, or done. Returning before it
            // is done would let Lambda freeze the sandbox before they were sent. Its export is bounded by the deadline;
            // a handler that returns after the deadline finds it complete.
            return Volatile.Read(ref this.timeoutEnd)!.Task;
        }
        else if (previous != Running)
        {
            return Task.CompletedTask;
        }

        try
        {
            this.runtime.Timeouts.Remove(this);
            if (this.plan is { } planned)
            {
                SpanBuilder.Finish(planned, this.spans, this.exception, this.statusCode);
                this.runtime.XRayMetadata.SendFunctionTags(planned, this.statusCode);
            }
        }
#pragma warning disable CA1031 // Tracing must never break the function.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Diag.TracingFailed("end of invocation", ex);
        }

        // Whatever ended is exported, even after a failure above.
        try
        {
            return this.runtime.FlushAsync(this.FlushBudget());
        }
#pragma warning disable CA1031 // Tracing must never break the function.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Diag.TracingFailed("flush", ex);
            return Task.CompletedTask;
        }
    }

    /// <summary>
    /// Takes the end from the deadline watch before the result's tags are written: true when the spans are still this
    /// flow's to end (also when an earlier call took them), false when the watch has ended them.
    /// </summary>
    private bool ClaimEnd()
    {
        var previous = Interlocked.CompareExchange(ref this.state, Finishing, Running);
        return previous is Running or Finishing;
    }

    /// <summary>
    /// Called by <see cref="ImpendingTimeouts"/> when the deadline is near and the invocation has not ended: the spans the
    /// handler has open end first, innermost first, then the invocation's own, and all are exported.
    /// </summary>
    internal void OnImpendingTimeout()
    {
        if (Volatile.Read(ref this.state) != Running)
        {
            return;
        }

        // Published before the state says the watch has the end (the exchange is a full fence): End finds it from then on.
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref this.timeoutEnd, done);
        if (Interlocked.CompareExchange(ref this.state, TimingOut, Running) != Running)
        {
            // The handler's flow took the end meanwhile: it never reads the completion source.
            return;
        }

        try
        {
            this.EndOpenSpans();
            if (this.plan is { } planned)
            {
                this.runtime.Spans.TimeOut(planned, this.spans, this.statusCode, this.exception is not null);
            }
        }
#pragma warning disable CA1031 // A timer callback must never throw.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Diag.TracingFailed("impending timeout", ex);
        }
        finally
        {
            // Whatever ended is exported, even after a failure above. The spans have ended: an authorizer's response may
            // now carry the root-most one's finish time.
            Volatile.Write(ref this.state, TimedOut);

            // The handler may still be running; export now, while the sandbox is alive. On a pool thread of its own:
            // the invocation that sends makes its request on its thread, and the timer's callback goes on to the other
            // invocations due now (concurrent invocations), whose spans must end before their own deadline.
            try
            {
                ThreadPool.UnsafeQueueUserWorkItem(static scope => scope.FlushBeforeDeadline(), this, preferLocal: false);
            }
#pragma warning disable CA1031 // A timer callback must never throw.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                // A handler that returns waits on this: it must complete.
                Diag.TracingFailed("impending timeout", ex);
                done.TrySetResult();
            }
        }
    }

    /// <summary>
    /// Ends the spans the handler started and has not ended (the HTTP call that hangs explains the timeout), innermost
    /// (last started) first, as dd-trace-py's crash flush finishes the active span and then its ancestors. Nothing is
    /// marked on them: dd-trace-py marks the local root only. A span the handler ends at this very moment may, in a
    /// window of a few instructions, be ended twice (<see cref="Activity.Stop"/> is not atomic); one the handler ends
    /// later is not ended again (a stopped activity ignores <see cref="Activity.Stop"/>).
    /// </summary>
    private void EndOpenSpans()
    {
        if (this.invocation is not { } info)
        {
            return;
        }

        var open = info.CloseOpenSpans();
        for (var i = open.Length - 1; i >= 0; i--)
        {
            var span = open[i];
            if (span.IsStopped)
            {
                continue;
            }

            try
            {
                // Ended off the invocation's flow: say whose it is, as for the invocation's own spans.
                span.SetCustomProperty(ExtensionExportProcessor.OwnerProperty, this.runtime.Settings);
                span.Stop();
            }
#pragma warning disable CA1031 // A processor that fails on one span must not keep the others and aws.lambda open.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Diag.TracingFailed("impending timeout", ex);
            }
        }
    }

    /// <summary>
    /// Exports what the watch ended within the invocation's deadline, then completes the watch's end, whatever the
    /// outcome: a handler that has returned meanwhile is waiting on it.
    /// </summary>
    private void FlushBeforeDeadline()
    {
        var done = Volatile.Read(ref this.timeoutEnd)!;
        Task flushed;
        try
        {
            // The budget End's own flush has: the handler's response may be waiting on this one.
            flushed = this.runtime.FlushAsync(this.FlushBudget());
        }
#pragma warning disable CA1031 // A thread-pool work item that throws ends the process.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Diag.TracingFailed("impending timeout", ex);
            flushed = Task.CompletedTask;
        }

        if (flushed.IsCompleted)
        {
            done.TrySetResult();
        }
        else
        {
            flushed.ContinueWith(static (_, state) => ((TaskCompletionSource)state!).TrySetResult(), done, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private void Start(ReadOnlyMemory<byte> json)
    {
        var runtime = this.runtime;
        var coldStart = runtime.ColdStart.Claim();
        var planned = runtime.Planner.Plan(json, this.context, coldStart, runtime.ColdStart.InitTime, DateTimeOffset.UtcNow);
        this.plan = planned;
        runtime.XRayMetadata.SendTrace(planned);
        if (planned.Upstream.Baggage.Count > 0)
        {
            // Flows into the handler, where outgoing calls propagate it. OpenTelemetry keeps the current baggage in a holder
            // that a caller's execution context may already share, and sets it in place, so neither returning from an
            // async method nor a synchronous return undoes it: End puts the caller's baggage back.
            this.callerBaggage = Baggage.Current;
            this.setsBaggage = true;
            Baggage.Current = planned.Upstream.Baggage;
        }

        this.spans = runtime.Spans.Start(planned);

        // Before the watch starts: the impending timeout reads it.
        this.invocation = this.NewInvocationInfo();
        this.WatchDeadline();
    }

    private void WatchDeadline()
    {
        var deadline = this.context.Deadline;
        if (this.spans.Lambda is null || deadline == DateTimeOffset.MinValue)
        {
            return;
        }

        var due = deadline - TimeSpan.FromMilliseconds(this.runtime.Settings.FlushDeadlineMilliseconds);
        if (due <= this.runtime.TimeProvider.GetUtcNow())
        {
            return;
        }

        this.runtime.Timeouts.Add(this, due);
    }

    private InvocationInfo NewInvocationInfo() => new(this.context.AwsRequestId, this.runtime.Settings, this.spans.Lambda, this.context.XRayTraceHeader);

    private TimeSpan FlushBudget()
    {
        var max = this.runtime.Settings.MaxFlushTime;
        var deadline = this.context.Deadline;
        if (deadline == DateTimeOffset.MinValue)
        {
            return max;
        }

        // Leave a little time after the flush for the function's response to reach the Runtime API.
        var left = deadline - this.runtime.TimeProvider.GetUtcNow() - TimeSpan.FromMilliseconds(10);
        return left < max ? left : max;
    }
}
