// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using System.Text;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Server;

/// <summary>
/// The received spans and requests, with immutable snapshots for readers and waiters that complete as soon
/// as matching data arrives. Waiters are evaluated on the snapshot outside the lock, so a predicate may read
/// the emulator; one registered while spans arrive is still evaluated against them (it is listed before the
/// snapshot it checks first is taken).
/// </summary>
internal sealed class TraceStore
{
    private readonly object gate = new();
    private readonly List<DatadogSpan> spans = [];
    private readonly List<ReceivedRequest> requests = [];
    private readonly List<Waiter> waiters = [];
    private Snapshot? snapshot;
    private bool disposed;

    /// <summary>Raised after spans are stored, with the new spans (used by the CLI's printer).</summary>
    public event Action<IReadOnlyList<DatadogSpan>>? SpansAdded;

    public IReadOnlyList<DatadogSpan> Spans => Current().Spans;

    public IReadOnlyList<DatadogTrace> Traces => Current().Traces;

    public IReadOnlyList<ReceivedRequest> Requests
    {
        get
        {
            lock (gate)
            {
                return requests.ToArray();
            }
        }
    }

    public void AddRequest(ReceivedRequest request)
    {
        lock (gate)
        {
            requests.Add(request);
        }
    }

    public void AddSpans(IReadOnlyList<DatadogSpan> added)
    {
        if (added.Count == 0)
        {
            return;
        }

        Snapshot current;
        Waiter[] pending;
        lock (gate)
        {
            spans.AddRange(added);
            snapshot = null;
            current = CurrentLocked();
            pending = waiters.ToArray();
        }

        foreach (var waiter in pending)
        {
            waiter.Evaluate(current);
        }

        SpansAdded?.Invoke(added);
    }

    public void Clear()
    {
        lock (gate)
        {
            spans.Clear();
            requests.Clear();
            snapshot = null;
        }
    }

    public Task<DatadogTrace> WaitForTraceAsync(Func<DatadogTrace, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return Register(
            new Waiter<DatadogTrace>(
                snapshot => snapshot.Traces.FirstOrDefault(predicate),
                (snapshot, requests) => $"No trace matched the predicate within {timeout}. {Describe(snapshot, requests)}"),
            timeout,
            cancellationToken);
    }

    public Task<IReadOnlyList<DatadogSpan>> WaitForSpansAsync(Func<DatadogSpan, bool> predicate, int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Register(
            new Waiter<IReadOnlyList<DatadogSpan>>(
                snapshot =>
                {
                    var matches = snapshot.Spans.Where(predicate).ToList();
                    return matches.Count >= count ? matches : null;
                },
                (snapshot, requests) =>
                    $"Fewer than {count} span(s) matched the predicate within {timeout} ({snapshot.Spans.Count(predicate)} did). {Describe(snapshot, requests)}"),
            timeout,
            cancellationToken);
    }

    /// <summary>Fails every pending waiter: the emulator is gone, nothing more will arrive.</summary>
    public void Dispose()
    {
        Waiter[] pending;
        lock (gate)
        {
            disposed = true;
            pending = waiters.ToArray();
            waiters.Clear();
        }

        foreach (var waiter in pending)
        {
            waiter.Fail(new ObjectDisposedException(nameof(ExtensionEmulator), "The emulator was disposed while a wait was pending."));
        }
    }

    private static string Describe(Snapshot snapshot, IReadOnlyList<ReceivedRequest> requests)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Received {requests.Count} request(s), {snapshot.Spans.Count} span(s) in {snapshot.Traces.Count} trace(s)");
        if (snapshot.Traces.Count > 0)
        {
            text.Append(':');
        }

        const int MaxTraces = 10;
        foreach (var trace in snapshot.Traces.Take(MaxTraces))
        {
            text.Append('\n').Append(TraceRenderer.RenderWaterfall(trace).TrimEnd('\n'));
        }

        if (snapshot.Traces.Count > MaxTraces)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n… and {snapshot.Traces.Count - MaxTraces} more trace(s)");
        }

        var failed = requests.Where(r => r.StatusCode != 200).ToList();
        foreach (var request in failed.Take(MaxTraces))
        {
            text.Append("\nrequest ").Append(request);
        }

        return text.ToString();
    }

    private Task<T> Register<T>(Waiter<T> waiter, TimeSpan timeout, CancellationToken cancellationToken)
        where T : class
    {
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be positive or infinite.");
        }

        Snapshot current;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, nameof(ExtensionEmulator));
            waiters.Add(waiter);
            current = CurrentLocked();
        }

        // Check what already arrived before arming the timer, so that even a zero timeout sees it.
        waiter.Evaluate(current);
        waiter.Start(timeout, cancellationToken, OnTimeout, Remove);
        return waiter.Task;

        string OnTimeout(Waiter<T> timedOut) => timedOut.DescribeFailure(Current(), Requests);
    }

    private void Remove(Waiter waiter)
    {
        lock (gate)
        {
            waiters.Remove(waiter);
        }
    }

    private Snapshot Current()
    {
        lock (gate)
        {
            return CurrentLocked();
        }
    }

    private Snapshot CurrentLocked() => snapshot ??= Snapshot.Of(spans);

    /// <summary>An immutable view of the spans at one moment, with the traces grouped lazily.</summary>
    private sealed class Snapshot
    {
        private readonly Lazy<IReadOnlyList<DatadogTrace>> traces;

        private Snapshot(DatadogSpan[] spans)
        {
            Spans = spans;
            traces = new Lazy<IReadOnlyList<DatadogTrace>>(() => DatadogTrace.Group(spans));
        }

        public IReadOnlyList<DatadogSpan> Spans { get; }

        public IReadOnlyList<DatadogTrace> Traces => traces.Value;

        public static Snapshot Of(List<DatadogSpan> spans) => new(spans.ToArray());
    }

    /// <summary>A pending wait.</summary>
    private abstract class Waiter
    {
        public abstract void Evaluate(Snapshot snapshot);

        public abstract void Fail(Exception exception);
    }

    private sealed class Waiter<T> : Waiter
        where T : class
    {
        private readonly TaskCompletionSource<T> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Func<Snapshot, T?> match;
        private readonly Func<Snapshot, IReadOnlyList<ReceivedRequest>, string> describeFailure;
        private CancellationTokenSource? timeoutSource;
        private CancellationTokenRegistration registration;

        public Waiter(Func<Snapshot, T?> match, Func<Snapshot, IReadOnlyList<ReceivedRequest>, string> describeFailure)
        {
            this.match = match;
            this.describeFailure = describeFailure;
        }

        public Task<T> Task => completion.Task;

        public string DescribeFailure(Snapshot snapshot, IReadOnlyList<ReceivedRequest> requests) => describeFailure(snapshot, requests);

        public void Start(TimeSpan timeout, CancellationToken cancellationToken, Func<Waiter<T>, string> onTimeout, Action<Waiter> remove)
        {
            timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeoutSource.CancelAfter(timeout);
            registration = timeoutSource.Token.Register(() =>
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    completion.TrySetCanceled(cancellationToken);
                }
                else
                {
                    completion.TrySetException(new TimeoutException(onTimeout(this)));
                }
            });

            completion.Task.ContinueWith(
                (_, state) =>
                {
                    var self = (Waiter<T>)state!;
                    remove(self);
                    self.registration.Dispose();
                    self.timeoutSource?.Dispose();
                },
                this,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        public override void Evaluate(Snapshot snapshot)
        {
            if (completion.Task.IsCompleted)
            {
                return;
            }

            try
            {
                if (match(snapshot) is { } result)
                {
                    completion.TrySetResult(result);
                }
            }
            catch (Exception e)
            {
                // A throwing predicate fails its own wait, not the request that delivered the spans.
                completion.TrySetException(e);
            }
        }

        public override void Fail(Exception exception) => completion.TrySetException(exception);
    }
}
