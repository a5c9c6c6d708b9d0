// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Diagnostics;

namespace Datadog.Otel.Lambda.Invocation;

/// <summary>
/// The impending-timeout deadlines of the invocations in flight, watched by one timer: a min-heap of due times (an
/// invocation is removed when it ends, so it holds the invocations running at once, no more) and one
/// <see cref="ITimer"/> armed for the earliest. The timer is re-armed only when an earlier deadline comes in; when it fires
/// early (the invocation it was armed for has ended), it re-arms for the earliest left. So an invocation costs a heap
/// insertion and removal, not a timer of its own. Safe under concurrent invocations (Lambda Managed Instances); a
/// callback that throws is reported and never stops the others. One per provider, on its time provider.
/// </summary>
internal sealed class ImpendingTimeouts : IDisposable
{
    private readonly object sync = new();
    private readonly TimeProvider time;
    private Entry[] heap = new Entry[4];
    private int count;
    private ITimer? timer;
    private DateTimeOffset armedFor = DateTimeOffset.MaxValue;
    private bool disposed;

    public ImpendingTimeouts(TimeProvider time)
    {
        this.time = time;
    }

    /// <summary>Gets the number of deadlines watched (tests).</summary>
    public int Count
    {
        get
        {
            lock (this.sync)
            {
                return this.count;
            }
        }
    }

    /// <summary>Watches <paramref name="scope"/>'s deadline: at <paramref name="due"/> its impending timeout runs unless it was removed.</summary>
    public void Add(InvocationScope scope, DateTimeOffset due)
    {
        lock (this.sync)
        {
            if (this.disposed)
            {
                return;
            }

            if (this.count == this.heap.Length)
            {
                Array.Resize(ref this.heap, this.heap.Length * 2);
            }

            this.heap[this.count] = new Entry(scope, due);
            scope.TimeoutIndex = this.count;
            this.count++;
            this.Up(this.count - 1);
            if (due < this.armedFor)
            {
                this.Arm(due);
            }
        }
    }

    /// <summary>Stops watching <paramref name="scope"/> (it ended first).</summary>
    public void Remove(InvocationScope scope)
    {
        lock (this.sync)
        {
            var index = scope.TimeoutIndex;
            if (index < 0 || index >= this.count || !ReferenceEquals(this.heap[index].Scope, scope))
            {
                return;
            }

            this.RemoveAt(index);
        }
    }

    public void Dispose()
    {
        lock (this.sync)
        {
            this.disposed = true;
            this.timer?.Dispose();
            this.timer = null;
            Array.Clear(this.heap);
            this.count = 0;
        }
    }

    private void OnTimer()
    {
        List<InvocationScope>? due = null;
        lock (this.sync)
        {
            if (this.disposed)
            {
                return;
            }

            var now = this.time.GetUtcNow();
            while (this.count > 0 && this.heap[0].Due <= now)
            {
                (due ??= []).Add(this.heap[0].Scope);
                this.RemoveAt(0);
            }

            this.armedFor = DateTimeOffset.MaxValue;
            if (this.count > 0)
            {
                this.Arm(this.heap[0].Due);
            }
        }

        if (due is null)
        {
            return;
        }

        foreach (var scope in due)
        {
            try
            {
                scope.OnImpendingTimeout();
            }
#pragma warning disable CA1031 // A timer callback must never throw.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Diag.TracingFailed("impending timeout", ex);
            }
        }
    }

    /// <summary>Arms the timer for <paramref name="due"/> (under the lock).</summary>
    private void Arm(DateTimeOffset due)
    {
        var delay = due - this.time.GetUtcNow();
        if (delay < TimeSpan.Zero)
        {
            delay = TimeSpan.Zero;
        }

        this.armedFor = due;
        if (this.timer is null)
        {
            this.timer = this.CreateTimer(delay);
        }
        else
        {
            this.timer.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// Creates the one timer without the caller's execution context. The system time provider's timer captures the
    /// context it is created in and runs every callback in it; created by the first invocation (whose <c>aws.lambda</c>
    /// is then the current activity, with its baggage), it would run every later invocation's impending timeout as the
    /// first one's and keep that invocation's spans reachable for the life of the process.
    /// </summary>
    private ITimer CreateTimer(TimeSpan delay)
    {
        // SuppressFlow throws when the caller already suppressed the flow: then there is nothing to suppress or restore.
        var suppressed = !ExecutionContext.IsFlowSuppressed();
        if (suppressed)
        {
            ExecutionContext.SuppressFlow();
        }

        try
        {
            return this.time.CreateTimer(static s => ((ImpendingTimeouts)s!).OnTimer(), this, delay, Timeout.InfiniteTimeSpan);
        }
        finally
        {
            if (suppressed)
            {
                ExecutionContext.RestoreFlow();
            }
        }
    }

    private void RemoveAt(int index)
    {
        this.heap[index].Scope.TimeoutIndex = -1;
        this.count--;
        if (index != this.count)
        {
            this.heap[index] = this.heap[this.count];
            this.heap[index].Scope.TimeoutIndex = index;
            this.heap[this.count] = default;
            this.Down(index);
            this.Up(index);
        }
        else
        {
            this.heap[this.count] = default;
        }
    }

    private void Up(int index)
    {
        while (index > 0)
        {
            var parent = (index - 1) / 2;
            if (this.heap[parent].Due <= this.heap[index].Due)
            {
                return;
            }

            this.Swap(index, parent);
            index = parent;
        }
    }

    private void Down(int index)
    {
        while (true)
        {
            var smallest = index;
            var left = (2 * index) + 1;
            var right = left + 1;
            if (left < this.count && this.heap[left].Due < this.heap[smallest].Due)
            {
                smallest = left;
            }

            if (right < this.count && this.heap[right].Due < this.heap[smallest].Due)
            {
                smallest = right;
            }

            if (smallest == index)
            {
                return;
            }

            this.Swap(index, smallest);
            index = smallest;
        }
    }

    private void Swap(int a, int b)
    {
        (this.heap[a], this.heap[b]) = (this.heap[b], this.heap[a]);
        this.heap[a].Scope.TimeoutIndex = a;
        this.heap[b].Scope.TimeoutIndex = b;
    }

    private readonly record struct Entry(InvocationScope Scope, DateTimeOffset Due);
}
