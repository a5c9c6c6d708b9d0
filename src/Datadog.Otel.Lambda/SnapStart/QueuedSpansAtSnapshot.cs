// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Globalization;
using Datadog.Otel.Lambda.Diagnostics;
using Datadog.Otel.Lambda.Export;
using Datadog.Otel.Lambda.Invocation;

namespace Datadog.Otel.Lambda.SnapStart;

/// <summary>
/// The spans queued when the snapshot is taken: those that ended outside any invocation during initialization (AWS SDK
/// or <c>HttpClient</c> calls a constructor or static initializer makes) and that no flush has sent. Left in the queue,
/// they are part of the snapshot, and the first flush of every sandbox restored from it sends them again: Datadog would
/// get one copy per sandbox, each under other span ids (<see cref="RestoredSpanIds"/>). So the before-snapshot hook
/// sends them, within a short bound (the extension runs during the snapshot phase), and drops whatever is still queued
/// after that: a send that failed, was cut short by the bound, or spans put back by a cut send.
/// </summary>
internal static class QueuedSpansAtSnapshot
{
    /// <summary>
    /// The most the hook spends sending, over all providers: the flush limit when it is lower. Lambda counts the hook
    /// in the initialization phase, and a send to the local extension takes milliseconds; more would only lengthen the
    /// deployment while an endpoint that does not answer holds it.
    /// </summary>
    public static readonly TimeSpan MaxBudget = TimeSpan.FromSeconds(2);

    /// <summary>Sends, then drops, the spans queued by every provider's exporter. Never throws; bounded by <see cref="MaxBudget"/>.</summary>
    public static async Task SendOrDropAsync()
    {
        var started = Stopwatch.GetTimestamp();
        foreach (var runtime in DatadogLambdaRuntime.Registered)
        {
            try
            {
                if (runtime.Exporter is { } exporter)
                {
                    var left = MaxBudget - Stopwatch.GetElapsedTime(started);
                    await SendOrDropAsync(exporter, left < runtime.Settings.MaxFlushTime ? left : runtime.Settings.MaxFlushTime).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // One provider's failure ends only its part: the others' spans are still sent or dropped.
                Diag.TracingFailed("SnapStart snapshot export", ex);
            }
        }
    }

    private static async Task SendOrDropAsync(ExtensionExportProcessor exporter, TimeSpan budget)
    {
        if (!exporter.HasWork)
        {
            return;
        }

        var queued = exporter.PendingCount;
        if (budget > TimeSpan.Zero)
        {
            // Bounded by the budget even when another send is under way (the flush waits without a thread).
            await exporter.FlushAsync(budget).ConfigureAwait(false);
        }

        var dropped = exporter.DiscardQueued();
        if (dropped > 0)
        {
            var milliseconds = ((long)Math.Max(0, budget.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
            Diag.Warn("snapstart", $"{dropped} spans ended during initialization and were not delivered within {milliseconds} ms before the snapshot; dropped, so that restored sandboxes do not send them again");
        }
        else
        {
            // A send that failed for good was reported by the exporter: its spans are gone too.
            Diag.Debug("snapstart", $"{queued} spans ended during initialization went to the exporter before the snapshot; none is left queued");
        }
    }
}
