// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.Diagnostics;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.Export;

/// <summary>
/// Flushes the processors the user added to the provider (their own exporters) for invocations that await it:
/// <see cref="TracerProvider"/>.ForceFlush is synchronous in OpenTelemetry .NET, so it runs on one dedicated thread and
/// no invocation blocks a thread-pool thread. Concurrent requests are coalesced: one flush serves every invocation that
/// asked before it started. Each waiter is bounded by its own deadline; a processor that never returns holds only this
/// thread.
/// <para>
/// OpenTelemetry's batch processor wakes a flushing caller with a pulse (an event set and reset at once) after each
/// export; a caller that starts waiting just after it sleeps through to the next 1 s poll. So the flush is asked for
/// in steps of a few milliseconds: a step that ends early saw the export finish; one that ends at its limit with the
/// queue handed over has missed the pulse, or the export is still running. The step adapts to how long the user's
/// exports take: four times the last one seen finishing, doubled after a step that ended at its limit, between 2 and
/// 250 ms. A missed pulse costs one short step instead of a second, and a slow exporter still has its pulse caught. A
/// flush that fails before its step ends (a processor returning false at once) is final.
/// </para>
/// </summary>
internal sealed class ProviderFlusher : IDisposable
{
    private const int MinStepMilliseconds = 2;
    private const int MaxStepMilliseconds = 250;
    private const int InitialStepMilliseconds = 100;
    private const double MinMeasurableMilliseconds = 0.1;

    [ThreadStatic]
    private static bool isFlushThread;

    private readonly object sync = new();
    private readonly TracerProvider provider;
    private readonly TimeSpan maxFlushTime;
    private List<TaskCompletionSource<bool>> waiting = new();
    private Thread? thread;
    private bool disposed;
    private int stepMilliseconds = InitialStepMilliseconds;

    public ProviderFlusher(TracerProvider provider, TimeSpan maxFlushTime)
    {
        this.provider = provider;
        this.maxFlushTime = maxFlushTime;
    }

    /// <summary>Gets a value indicating whether the caller runs on a flush thread, inside the provider's ForceFlush.</summary>
    public static bool IsFlushThread => isFlushThread;

    public async Task<bool> FlushAsync(CancellationToken cancellationToken)
    {
        var completion = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (this.sync)
        {
            if (this.disposed)
            {
                return false;
            }

            this.waiting.Add(completion);
            if (this.thread is null)
            {
                this.thread = new Thread(this.Run) { IsBackground = true, Name = "Datadog.Otel.Lambda flush" };
                this.thread.Start();
            }
            else
            {
                Monitor.Pulse(this.sync);
            }
        }

        try
        {
            return await completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Diag.Warn("flush", "TracerProvider.ForceFlush did not finish before the invocation's deadline; spans of your own exporters may be lost");
            return false;
        }
    }

    public void Dispose()
    {
        lock (this.sync)
        {
            this.disposed = true;
            Monitor.Pulse(this.sync);
        }
    }

    private void Run()
    {
        isFlushThread = true;
        while (true)
        {
            List<TaskCompletionSource<bool>> batch;
            lock (this.sync)
            {
                while (this.waiting.Count == 0 && !this.disposed)
                {
                    Monitor.Wait(this.sync);
                }

                if (this.disposed && this.waiting.Count == 0)
                {
                    return;
                }

                batch = this.waiting;
                this.waiting = new List<TaskCompletionSource<bool>>();
            }

            var result = false;
            try
            {
                result = this.ForceFlushInSteps();
            }
#pragma warning disable CA1031 // A throwing exporter must not kill the flush thread.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Diag.Error("flush", "TracerProvider.ForceFlush threw", ex);
            }

            foreach (var completion in batch)
            {
                completion.TrySetResult(result);
            }
        }
    }

    private bool ForceFlushInSteps()
    {
        var started = Stopwatch.GetTimestamp();
        var budget = (long)this.maxFlushTime.TotalMilliseconds;
        while (true)
        {
            var remaining = budget - (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (remaining <= 0)
            {
                return false;
            }

            var step = (int)Math.Min(this.stepMilliseconds, remaining);
            var stepStarted = Stopwatch.GetTimestamp();
            var flushed = this.provider.ForceFlush(step);
            var took = Stopwatch.GetElapsedTime(stepStarted).TotalMilliseconds;
            if (!flushed || took >= step)
            {
                // Not handed over within the step (the worker is busy), or handed over without the pulse (missed, or the
                // export outlasts the step): give the next step more time.
                this.stepMilliseconds = Math.Min(this.stepMilliseconds * 2, MaxStepMilliseconds);
            }
            else if (took >= MinMeasurableMilliseconds)
            {
                // Woken by the export finishing: learn how long exports take. (A result within microseconds means nothing
                // was queued, which says nothing about the exports.)
                this.stepMilliseconds = (int)Math.Clamp(Math.Ceiling(took * 4), MinStepMilliseconds, MaxStepMilliseconds);
            }

            if (flushed)
            {
                return true;
            }

            if (took < step)
            {
                // A processor said no before the step ran out: an answer, not a missed pulse. Asking again would spin this
                // thread and hold every waiting invocation until the flush budget is spent.
                return false;
            }
        }
    }
}
