// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.ExtensionEmulator.Tool;

/// <summary>
/// Prints a trace's waterfall once it looks complete: when no span arrived for it for a quiet period. Each
/// trace has a one-shot timer that every new span for it re-arms; nothing polls. A span that arrives after
/// the trace was printed prints it again, marked as updated.
/// </summary>
internal sealed class TraceCompletionPrinter : IDisposable
{
    public static readonly TimeSpan DefaultQuietPeriod = TimeSpan.FromMilliseconds(500);

    private readonly object gate = new();
    private readonly object outputGate = new();
    private readonly Dictionary<ulong, ITimer> timers = [];
    private readonly HashSet<ulong> printed = [];
    private readonly Func<ulong, DatadogTrace?> findTrace;
    private readonly TextWriter output;
    private readonly TimeProvider timeProvider;
    private readonly TimeSpan quietPeriod;
    private readonly Action? unsubscribe;
    private bool disposed;

    public TraceCompletionPrinter(ExtensionEmulator emulator, TextWriter output, TimeProvider timeProvider, TimeSpan quietPeriod)
        : this(id => emulator.Traces.FirstOrDefault(t => t.TraceId == id), output, timeProvider, quietPeriod)
    {
        emulator.SpansReceived += OnSpansAdded;
        unsubscribe = () => emulator.SpansReceived -= OnSpansAdded;
    }

    internal TraceCompletionPrinter(Func<ulong, DatadogTrace?> findTrace, TextWriter output, TimeProvider timeProvider, TimeSpan quietPeriod)
    {
        this.findTrace = findTrace;
        this.output = output;
        this.timeProvider = timeProvider;
        this.quietPeriod = quietPeriod;
    }

    /// <summary>Re-arms the quiet-period timer of every trace the new spans belong to.</summary>
    public void OnSpansAdded(IReadOnlyList<DatadogSpan> spans)
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            foreach (var traceId in spans.Select(s => s.TraceId).Distinct())
            {
                if (timers.TryGetValue(traceId, out var timer))
                {
                    timer.Change(quietPeriod, Timeout.InfiniteTimeSpan);
                }
                else
                {
                    timers[traceId] = timeProvider.CreateTimer(OnQuiet, traceId, quietPeriod, Timeout.InfiniteTimeSpan);
                }
            }
        }
    }

    /// <summary>Prints every trace still waiting for its quiet period (at shutdown).</summary>
    public void Flush()
    {
        ulong[] pending;
        lock (gate)
        {
            pending = timers.Keys.ToArray();
        }

        foreach (var traceId in pending)
        {
            OnQuiet(traceId);
        }
    }

    public void Dispose()
    {
        unsubscribe?.Invoke();
        lock (gate)
        {
            disposed = true;
            foreach (var timer in timers.Values)
            {
                timer.Dispose();
            }

            timers.Clear();
        }
    }

    private void OnQuiet(object? state)
    {
        var traceId = (ulong)state!;
        bool update;
        lock (gate)
        {
            if (!timers.Remove(traceId, out var timer))
            {
                return;
            }

            timer.Dispose();
            update = !printed.Add(traceId);
        }

        if (findTrace(traceId) is not { } trace)
        {
            return;
        }

        var text = TraceRenderer.RenderWaterfall(trace);
        lock (outputGate)
        {
            output.Write('\n');
            if (update)
            {
                output.Write("(updated) ");
            }

            output.Write(text);
            output.Flush();
        }
    }
}
