// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.Planning;
using Datadog.Otel.Lambda.SnapStart;

namespace Datadog.Otel.Lambda.Invocation;

/// <summary>
/// Decides, once per process (per runtime), whether an invocation is the sandbox's cold start. Safe under concurrent
/// invocations: exactly one invocation claims the first-invocation latch. A first invocation 11 seconds or more after
/// initialization is a proactive initialization (Lambda initialized the sandbox ahead of traffic), not a cold start:
/// Python's rule, whole seconds since initialization over 10 (Node.js: more than 10,000 ms). After a SnapStart restore the
/// restore is the initialization, with Datadog's extension's rule: a first invocation more than 10,000 ms after it is a
/// proactive initialization too (the sandbox was restored ahead of traffic).
/// </summary>
internal sealed class ColdStartTracker
{
    /// <summary>The time since initialization from which a first invocation is a proactive initialization.</summary>
    public static readonly TimeSpan ProactiveInitializationThreshold = TimeSpan.FromSeconds(11);

    /// <summary>The time since a SnapStart restore beyond which a first invocation is a proactive initialization (the extension's).</summary>
    public static readonly TimeSpan ProactiveRestoreThreshold = TimeSpan.FromMilliseconds(10_000);

    private static readonly DateTimeOffset LibraryLoadTime = DateTimeOffset.UtcNow;

    private readonly TimeProvider timeProvider;
    private readonly Func<DateTimeOffset> initTime;

    // The SnapStart restore generation that claimed the cold start (-1: none yet). Each restore re-arms the latch.
    private long claimedGeneration = -1;

    public ColdStartTracker(TimeProvider timeProvider, Func<DateTimeOffset>? initTime = null)
    {
        this.timeProvider = timeProvider;
        this.initTime = initTime ?? ProcessStartTime;
    }

    /// <summary>Gets the moment the sandbox started initializing (or was restored), once the first invocation has asked for it.</summary>
    public DateTimeOffset InitTime { get; private set; }

    public bool HasClaimed => Volatile.Read(ref this.claimedGeneration) >= SnapStartState.Generation;

    public ColdStartState Claim()
    {
        var generation = SnapStartState.Generation;
        while (true)
        {
            var claimed = Volatile.Read(ref this.claimedGeneration);
            if (claimed >= generation)
            {
                return ColdStartState.Warm;
            }

            if (Interlocked.CompareExchange(ref this.claimedGeneration, generation, claimed) == claimed)
            {
                break;
            }
        }

        if (generation > 0)
        {
            // The first invocation of a sandbox restored from a SnapStart snapshot: the restore is its cold start, unless
            // the sandbox waited for traffic after it.
            this.InitTime = SnapStartState.RestoreTime;
            return this.timeProvider.GetUtcNow() - this.InitTime > ProactiveRestoreThreshold
                ? ColdStartState.ProactiveInitialization
                : ColdStartState.SnapStartRestore;
        }

        this.InitTime = this.initTime();
        var sinceInit = this.timeProvider.GetUtcNow() - this.InitTime;
        return sinceInit >= ProactiveInitializationThreshold ? ColdStartState.ProactiveInitialization : ColdStartState.ColdStart;
    }

    private static DateTimeOffset ProcessStartTime()
    {
        try
        {
            using var process = Process.GetCurrentProcess();
            return new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
        }
#pragma warning disable CA1031 // Without a process start time, the library load time is the best estimate.
        catch (Exception)
#pragma warning restore CA1031
        {
            return LibraryLoadTime;
        }
    }
}
