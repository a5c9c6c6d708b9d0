// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Sampling;

/// <summary>
/// The limit on traces kept by sampling rules (<c>DD_TRACE_RATE_LIMIT</c>, default 100 per second), with the
/// semantics of Datadog's Python tracer (<c>ddtrace.internal.rate_limiter.RateLimiter</c>), which the Python Lambda
/// library runs:
/// <list type="bullet">
/// <item>A token bucket: it starts full with <c>limit</c> tokens, refills continuously at <c>limit</c> tokens per second
/// up to <c>limit</c>, and each allowed request takes one token. There is no separate cap per second (dd-trace-js has
/// one; see docs/configuration.md).</item>
/// <item>The effective rate (<c>_dd.limit_psr</c>) is the share of requests allowed in the current one-second window,
/// averaged with the share in the previous window once there is one. A window starts with the first request and
/// ends at the first request one second or more after its start; the previous window is the last one that saw
/// requests, however long ago.</item>
/// <item>A negative limit allows everything (rate 1); 0 allows nothing (rate 0).</item>
/// </list>
/// Thread-safe (several invocations may run at once on Lambda Managed Instances), no allocation; the clock is
/// injected so tests drive it without sleeping.
/// </summary>
internal sealed class RateLimiter
{
    private readonly TimeProvider timeProvider;
    private readonly int limit;
    private readonly long ticksPerSecond;
    private readonly object sync = new();
    private double tokens;
    private long lastRefill;
    private bool windowStarted;
    private long windowStart;
    private long windowAllowed;
    private long windowTotal;
    private bool hasPreviousWindow;
    private double previousWindowRate;

    public RateLimiter(int limitPerSecond, TimeProvider timeProvider)
    {
        this.timeProvider = timeProvider;
        limit = limitPerSecond;
        ticksPerSecond = timeProvider.TimestampFrequency;
        tokens = Math.Max(0, limitPerSecond);
        lastRefill = timeProvider.GetTimestamp();
    }

    public int Limit => limit;

    /// <summary>Takes a token if there is one; <paramref name="effectiveRate"/> includes this request.</summary>
    public bool TryAcquire(out double effectiveRate)
    {
        var now = timeProvider.GetTimestamp();
        lock (sync)
        {
            bool allowed;
            if (limit == 0)
            {
                allowed = false;
            }
            else if (limit < 0)
            {
                allowed = true;
            }
            else
            {
                var elapsed = now - lastRefill;
                if (elapsed > 0)
                {
                    tokens = Math.Min(limit, tokens + ((double)elapsed / ticksPerSecond * limit));
                }

                // Like the reference, the refill time moves with every request, also when the clock went backwards.
                lastRefill = now;
                allowed = tokens >= 1;
                if (allowed)
                {
                    tokens -= 1;
                }
            }

            Count(allowed, now);
            effectiveRate = hasPreviousWindow ? (CurrentWindowRate() + previousWindowRate) / 2 : CurrentWindowRate();

            return allowed;
        }
    }

    private void Count(bool allowed, long now)
    {
        if (!windowStarted)
        {
            windowStarted = true;
            windowStart = now;
        }
        else if (now - windowStart >= ticksPerSecond)
        {
            previousWindowRate = CurrentWindowRate();
            hasPreviousWindow = true;
            windowAllowed = 0;
            windowTotal = 0;
            windowStart = now;
        }

        if (allowed)
        {
            windowAllowed++;
        }

        windowTotal++;
    }

    private double CurrentWindowRate() => windowTotal == 0 ? 1 : (double)windowAllowed / windowTotal;
}
