// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;

namespace Datadog.Otel.Lambda.Invocation;

/// <summary>
/// Decides, once per process (per runtime), whether an invocation is the sandbox's cold start. Safe under concurrent
/// invocations: exactly one invocation claims the first-invocation latch. A first invocation more than 10 seconds
/// after initialization is a proactive initialization (Lambda initialized the sandbox ahead of traffic), not a cold start.
/// </summary>
internal sealed class ColdStartTracker
{
    public static readonly TimeSpan ProactiveInitializationThreshold = TimeSpan.FromSeconds(10);

    private static readonly DateTimeOffset LibraryLoadTime = DateTimeOffset.UtcNow;

    private readonly TimeProvider timeProvider;
    private readonly Func<DateTimeOffset> initTime;
    private int claimed;

    public ColdStartTracker(TimeProvider timeProvider, Func<DateTimeOffset>? initTime = null)
    {
        this.timeProvider = timeProvider;
        this.initTime = initTime ?? ProcessStartTime;
    }

    /// <summary>Gets the moment the sandbox started initializing, once the first invocation has asked for it.</summary>
    public DateTimeOffset InitTime { get; private set; }

    public bool HasClaimed => Volatile.Read(ref this.claimed) != 0;

    public ColdStartState Claim()
    {
        if (Interlocked.Exchange(ref this.claimed, 1) != 0)
        {
            return ColdStartState.Warm;
        }

        this.InitTime = this.initTime();
        var sinceInit = this.timeProvider.GetUtcNow() - this.InitTime;
        return sinceInit > ProactiveInitializationThreshold ? ColdStartState.ProactiveInitialization : ColdStartState.ColdStart;
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

/// <summary>What the first-invocation latch decided for one invocation.</summary>
internal enum ColdStartState
{
    Warm,
    ColdStart,
    ProactiveInitialization,
}
