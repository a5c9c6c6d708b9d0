// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Diagnostics;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.Invocation;

/// <summary>
/// Runs <see cref="TracerProvider"/>.ForceFlush, which is synchronous in OpenTelemetry .NET, on one dedicated thread so
/// that invocations awaiting it never block a thread-pool thread. Concurrent requests are coalesced: one ForceFlush
/// serves every invocation that asked before it started. Each waiter is bounded by its own deadline; an exporter that
/// never returns holds only this thread.
/// </summary>
internal sealed class ProviderFlusher : IDisposable
{
    private readonly object sync = new();
    private readonly TracerProvider provider;
    private readonly TimeSpan maxFlushTime;
    private List<TaskCompletionSource<bool>> waiting = new();
    private Thread? thread;
    private bool disposed;

    public ProviderFlusher(TracerProvider provider, TimeSpan maxFlushTime)
    {
        this.provider = provider;
        this.maxFlushTime = maxFlushTime;
    }

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
                result = this.provider.ForceFlush((int)Math.Min(int.MaxValue, this.maxFlushTime.TotalMilliseconds));
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
}
