// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Runtime.InteropServices;
using Datadog.Otel.Lambda.Diagnostics;
using OpenTelemetry;

namespace Datadog.Otel.Lambda.Export;

/// <summary>
/// The export processor for Lambda: finished spans wait in memory (bounded) until an invocation flushes at its end,
/// then go to the <see cref="ExtensionExporter"/> together, before the handler returns. Neither of OpenTelemetry's
/// processors fits Lambda: a batch processor exports on a timer, after Lambda may have frozen the sandbox, and wakes a
/// flushing caller with a signal it can miss (a 1 s stall); a simple processor sends one blocking request per span, on
/// the thread that ends it.
/// <para>
/// One send at a time. Concurrent invocations (Lambda Managed Instances) share sends: an invocation that flushes
/// while a send is under way waits for it without holding a thread, and if its own spans came too late for it, the
/// first waiter to wake sends everything queued by then, for all of them. The invocation that starts a send makes it
/// on its own thread and returns a completed task (no state machine, no hand-off to another thread), so a lone
/// invocation pays for one request and nothing else, and at most one thread waits on the export's I/O.
/// </para>
/// <para>
/// A send is bounded by the deadline of the invocation that makes it, and may carry other invocations' spans. When that
/// deadline cuts it short (no answer yet), its spans go back at the front of the queue and its epoch is not completed:
/// an invocation still waiting for them, with time left, sends them itself; otherwise the next flush does. An answer,
/// even an error, completes the epoch: the endpoint had the spans and accepted or rejected them.
/// </para>
/// </summary>
internal sealed class ExtensionExportProcessor : BaseExportProcessor<Activity>
{
    /// <summary>The custom property naming the runtime settings a span belongs to, when it ends outside its invocation.</summary>
    public const string OwnerProperty = "datadog.lambda.owner";

    private readonly object sync = new();
    private readonly ExtensionExporter extensionExporter;
    private readonly int maxQueuedSpans;
    private readonly object? owner;
    private readonly Func<object?>? currentOwner;
    private List<Activity> pending = new(64);
    private List<Activity>? spare = new(64);
    private long pendingEpoch = 1;
    private long completedEpoch;
    private bool sending;
    private TaskCompletionSource? epochCompleted;
    private long droppedForQueue;

    // Sends of an epoch below this one were under way at a discard (the SnapStart snapshot): a send among them that is
    // cut short later drops its spans instead of queueing them again.
    private long discardedBefore;

    /// <param name="exporter">The exporter the queued spans go to.</param>
    /// <param name="owner">
    /// The settings of the runtime this processor exports for. Every tracer provider in a process sees every span; a
    /// span ended inside an invocation that another provider's runtime traces is that provider's to export (two wrapped
    /// functions in one process would otherwise each send both functions' spans). Null: export every span.
    /// </param>
    /// <param name="currentOwner">The settings of the invocation the calling flow belongs to, if any.</param>
    public ExtensionExportProcessor(ExtensionExporter exporter, object? owner = null, Func<object?>? currentOwner = null)
        : base(exporter)
    {
        this.extensionExporter = exporter;
        this.maxQueuedSpans = exporter.Settings.MaxQueuedSpans;
        this.owner = owner;
        this.currentOwner = currentOwner;
    }

    /// <summary>Gets a value indicating whether spans are queued or being sent (a flush would have something to wait for).</summary>
    public bool HasWork
    {
        get
        {
            lock (this.sync)
            {
                return this.pending.Count > 0 || this.sending;
            }
        }
    }

    /// <summary>Gets the number of spans waiting for the next flush.</summary>
    public int PendingCount
    {
        get
        {
            lock (this.sync)
            {
                return this.pending.Count;
            }
        }
    }

    /// <summary>
    /// Sends every span queued so far; completes when they were sent (or failed) or when <paramref name="cancellationToken"/>
    /// fires. Returns false on timeout. Never throws.
    /// </summary>
    public Task<bool> FlushAsync(CancellationToken cancellationToken) => this.Flush(Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>
    /// Sends every span queued so far; completes when they were sent (or failed) or when <paramref name="budget"/> has
    /// passed. Returns false on timeout. Never throws. The invocation's flush: the deadline is set here rather than by
    /// the caller, which then needs no state machine of its own.
    /// </summary>
    public Task<bool> FlushAsync(TimeSpan budget) => this.Flush(budget, CancellationToken.None);

    private Task<bool> Flush(TimeSpan budget, CancellationToken cancellationToken)
    {
        long target;
        lock (this.sync)
        {
            if (this.pending.Count > 0)
            {
                target = this.pendingEpoch;
            }
            else if (this.sending)
            {
                // Spans queued before this call may be in the send under way.
                target = this.pendingEpoch - 1;
            }
            else
            {
                return Completed.True;
            }
        }

        CancellationTokenSource? deadline = null;
        var waiting = false;
        try
        {
            if (budget != Timeout.InfiniteTimeSpan)
            {
                deadline = new CancellationTokenSource(budget);
                cancellationToken = deadline.Token;
            }

            while (true)
            {
                switch (this.Step(target, cancellationToken, out var signal))
                {
                    case StepResult.Done:
                        return Completed.True;
                    case StepResult.Cancelled:
                        return Completed.False;
                    case StepResult.Wait:
                        // Another invocation's send is under way (concurrent invocations only): wait without a thread.
                        waiting = true;
                        return this.WaitAsync(signal!, target, deadline, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException)
        {
            return Completed.False;
        }
#pragma warning disable CA1031 // Flushing must never fail the invocation.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Diag.TracingFailed("flush", ex);
            return Completed.False;
        }
        finally
        {
            if (!waiting)
            {
                deadline?.Dispose();
            }
        }
    }

    private async Task<bool> WaitAsync(Task signal, long target, CancellationTokenSource? deadline, CancellationToken cancellationToken)
    {
        using (deadline)
        {
            try
            {
                while (true)
                {
                    await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
                    StepResult step;
                    Task? next;
                    do
                    {
                        step = this.Step(target, cancellationToken, out next);
                    }
                    while (step == StepResult.Sent);

                    if (step == StepResult.Done)
                    {
                        return true;
                    }

                    if (step == StepResult.Cancelled)
                    {
                        return false;
                    }

                    signal = next!;
                }
            }
            catch (OperationCanceledException)
            {
                return false;
            }
#pragma warning disable CA1031 // Flushing must never fail the invocation.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Diag.TracingFailed("flush", ex);
                return false;
            }
        }
    }

    /// <summary>
    /// One step towards <paramref name="target"/>: done when its spans were sent; otherwise either sends everything
    /// queued (this flush's spans and those of any invocation waiting with it) or, while another send is under way,
    /// gives the signal of its end. Cancelled when <paramref name="cancellationToken"/> has fired before a send or cut
    /// one short (its spans are queued again).
    /// </summary>
    private StepResult Step(long target, CancellationToken cancellationToken, out Task? signal)
    {
        signal = null;
        List<Activity> batch;
        long epoch;
        lock (this.sync)
        {
            if (this.completedEpoch >= target)
            {
                return StepResult.Done;
            }

            if (this.sending)
            {
                signal = (this.epochCompleted ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
                return StepResult.Wait;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                // A send made now would be cut at once: the spans wait for a flush with time left.
                return StepResult.Cancelled;
            }

            this.sending = true;
            batch = this.pending;
            this.pending = this.spare ?? new List<Activity>(Math.Max(16, batch.Count));
            this.spare = null;
            epoch = this.pendingEpoch++;
        }

        var sent = 0;
        bool cut;
        try
        {
            this.ReportDropped();
            this.extensionExporter.Export(batch, cancellationToken, out sent);
        }
#pragma warning disable CA1031 // Never let a send failure escape into an invocation.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            Diag.Error("export", "unexpected failure while exporting spans", ex);
            sent = batch.Count;
        }
        finally
        {
            cut = this.Complete(batch, epoch, sent);
        }

        return cut ? StepResult.Cancelled : StepResult.Sent;
    }

    /// <summary>
    /// Drops every queued span, and the count of those the bound dropped, and returns how many were queued. For the
    /// SnapStart snapshot: what is still queued then would be sent again by every sandbox restored from it.
    /// </summary>
    public int DiscardQueued()
    {
        lock (this.sync)
        {
            var discarded = this.pending.Count;
            this.pending.Clear();
            this.droppedForQueue = 0;
            this.discardedBefore = this.pendingEpoch;
            return discarded;
        }
    }

    protected override void OnExport(Activity data)
    {
        if (!data.Recorded)
        {
            return;
        }

        if (this.owner is not null)
        {
            var spanOwner = data.GetCustomProperty(OwnerProperty) ?? this.currentOwner?.Invoke();
            if (spanOwner is not null && !ReferenceEquals(spanOwner, this.owner))
            {
                return;
            }
        }

        lock (this.sync)
        {
            if (this.pending.Count < this.maxQueuedSpans)
            {
                this.pending.Add(data);
                return;
            }

            this.droppedForQueue++;
        }

        Diag.Warn("export", $"more than {this.maxQueuedSpans} spans are waiting for a flush; dropping spans (is the function wrapped with DatadogLambda.Trace so that it flushes?)");
    }

    protected override bool OnForceFlush(int timeoutMilliseconds)
    {
        if (ProviderFlusher.IsFlushThread)
        {
            // The runtime's flush: it awaits this processor itself, beside the provider's ForceFlush, which must not
            // wait for this processor's request before it reaches the user's processors.
            return true;
        }

        using var timeout = new CancellationTokenSource(timeoutMilliseconds < 0 ? Timeout.Infinite : timeoutMilliseconds);

        // Called synchronously by TracerProvider.ForceFlush (the user's thread): the send runs on it, and a wait for
        // another invocation's send never needs it, so waiting here cannot deadlock.
        return this.FlushAsync(timeout.Token).GetAwaiter().GetResult();
    }

    protected override bool OnShutdown(int timeoutMilliseconds)
    {
        var flushed = this.OnForceFlush(timeoutMilliseconds);
        return this.extensionExporter.Shutdown(timeoutMilliseconds) && flushed;
    }

    private void ReportDropped()
    {
        long dropped;
        lock (this.sync)
        {
            dropped = this.droppedForQueue;
            this.droppedForQueue = 0;
        }

        if (dropped > 0)
        {
            Diag.ExportFailed(this.extensionExporter.Settings.Endpoint.ToString(), $"{dropped} spans were dropped because the queue was full");
        }
    }

    /// <summary>Ends the send of <paramref name="epoch"/>; returns whether it was cut short (its spans queued again).</summary>
    private bool Complete(List<Activity> batch, long epoch, int sent)
    {
        if (sent < batch.Count)
        {
            this.Requeue(batch, epoch, sent);
            return true;
        }

        // A list that grew for a burst is left to the garbage collector rather than kept at its peak size.
        batch.Clear();
        TaskCompletionSource? completed;
        lock (this.sync)
        {
            this.completedEpoch = epoch;
            this.sending = false;
            completed = this.epochCompleted;
            this.epochCompleted = null;
            if (batch.Capacity <= 1024)
            {
                this.spare ??= batch;
            }
        }

        completed?.TrySetResult();
        return false;
    }

    /// <summary>
    /// Puts the spans of a send cut short by its invocation's deadline back at the front of the queue, and leaves its
    /// epoch uncompleted: the invocations waiting for it wake and the first with time left sends them again (or the
    /// next flush does). The endpoint may have read part or all of the cut request, so a span can arrive twice; a
    /// duplicate is better than a span lost for another invocation that had minutes left.
    /// </summary>
    private void Requeue(List<Activity> batch, long epoch, int sent)
    {
        var unsent = batch.Count - sent;
        batch.RemoveRange(0, sent);
        TaskCompletionSource? completed;
        bool discarded;
        lock (this.sync)
        {
            // A send that was under way when the queue was discarded (the SnapStart snapshot hook gave up waiting for
            // it): its spans go the way of the queue, or every restored sandbox would send them again.
            discarded = epoch < this.discardedBefore;
            if (discarded)
            {
                batch.Clear();
            }

            // The send's own list becomes the queue: its spans first, then those that ended during the send as far as
            // the bound allows (the batch itself fits: it was the queue). Past the bound the newest are dropped and
            // counted, as OnExport drops them.
            var arrived = this.pending;
            var kept = Math.Min(arrived.Count, Math.Max(0, this.maxQueuedSpans - batch.Count));
            batch.AddRange(CollectionsMarshal.AsSpan(arrived)[..kept]);
            this.droppedForQueue += arrived.Count - kept;
            arrived.Clear();
            this.pending = batch;
            if (arrived.Capacity <= 1024)
            {
                this.spare ??= arrived;
            }

            this.sending = false;
            completed = this.epochCompleted;
            this.epochCompleted = null;
        }

        Diag.ExportFailed(
            this.extensionExporter.Settings.Endpoint.ToString(),
            discarded
                ? $"{unsent} spans not delivered before the invocation's deadline; dropped, since the queue was discarded while they were being sent"
                : $"{unsent} spans not delivered before the invocation's deadline; they stay queued for the next flush");
        completed?.TrySetResult();
    }

    private enum StepResult
    {
        Done,
        Sent,
        Wait,
        Cancelled,
    }

    private static class Completed
    {
        public static readonly Task<bool> True = Task.FromResult(true);
        public static readonly Task<bool> False = Task.FromResult(false);
    }
}
