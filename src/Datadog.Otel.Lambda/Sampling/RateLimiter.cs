// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Sampling;

/// <summary>
/// Token bucket for traces kept by sampling rules (<c>DD_TRACE_RATE_LIMIT</c>, default 100 per second): the bucket
/// holds one second of tokens and refills continuously. The effective rate reported as <c>_dd.limit_psr</c> is
/// the share of requests allowed, averaged over the current and the previous one-second window as Datadog tracers
/// report it. A negative limit allows everything; 0 allows nothing. Thread-safe (several invocations may run at
/// once on Lambda Managed Instances); the clock is injected for tests.
/// </summary>
internal sealed class RateLimiter
{
    private readonly TimeProvider timeProvider;
    private readonly int limit;
    private readonly long ticksPerSecond;
    private readonly object sync = new();
    private double tokens;
    private long lastRefill;
    private long windowStart;
    private long windowAllowed;
    private long windowTotal;
    private double previousWindowRate = double.NaN;

    public RateLimiter(int limitPerSecond, TimeProvider timeProvider)
    {
        this.timeProvider = timeProvider;
        limit = limitPerSecond;
        ticksPerSecond = timeProvider.TimestampFrequency;
        tokens = Math.Max(0, limitPerSecond);
        lastRefill = timeProvider.GetTimestamp();
        windowStart = lastRefill;
    }

    public int Limit => limit;

    /// <summary>Takes a token if there is one; <paramref name="effectiveRate"/> includes this request.</summary>
    public bool TryAcquire(out double effectiveRate)
    {
        if (limit < 0)
        {
            effectiveRate = 1;
            return true;
        }

        var now = timeProvider.GetTimestamp();
        lock (sync)
        {
            var elapsed = now - lastRefill;
            if (elapsed > 0)
            {
                tokens = Math.Min(limit, tokens + ((double)elapsed / ticksPerSecond * limit));
                lastRefill = now;
            }

            var windowElapsed = now - windowStart;
            if (windowElapsed >= ticksPerSecond)
            {
                // A gap of more than one window means the previous window saw nothing (rate 1 by convention).
                previousWindowRate = windowElapsed >= 2 * ticksPerSecond || windowTotal == 0
                    ? 1
                    : (double)windowAllowed / windowTotal;
                windowStart = now;
                windowAllowed = 0;
                windowTotal = 0;
            }

            var allowed = tokens >= 1;
            if (allowed)
            {
                tokens -= 1;
                windowAllowed++;
            }

            windowTotal++;
            var currentRate = (double)windowAllowed / windowTotal;
            effectiveRate = double.IsNaN(previousWindowRate) ? currentRate : (currentRate + previousWindowRate) / 2;
            return allowed;
        }
    }
}
