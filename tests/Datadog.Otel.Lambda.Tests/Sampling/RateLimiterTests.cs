// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Sampling;
using Microsoft.Extensions.Time.Testing;

namespace Datadog.Otel.Lambda.Tests.Sampling;

public class RateLimiterTests
{
    [Fact]
    public void AllowsTheLimitPerSecondThenRefillsContinuously()
    {
        var time = new FakeTimeProvider();
        var limiter = new RateLimiter(2, time);

        Assert.True(limiter.TryAcquire(out _));
        Assert.True(limiter.TryAcquire(out _));
        Assert.False(limiter.TryAcquire(out _));

        time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(limiter.TryAcquire(out _));
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(limiter.TryAcquire(out _));

        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(limiter.TryAcquire(out _));
        Assert.True(limiter.TryAcquire(out _));
        Assert.False(limiter.TryAcquire(out _));
    }

    [Fact]
    public void EffectiveRate_IsTheAllowedShareAveragedWithThePreviousWindow()
    {
        var time = new FakeTimeProvider();
        var limiter = new RateLimiter(2, time);

        limiter.TryAcquire(out var rate);
        Assert.Equal(1.0, rate);
        limiter.TryAcquire(out _);
        limiter.TryAcquire(out _);
        limiter.TryAcquire(out rate);
        Assert.Equal(0.5, rate);

        // Next window: the previous one allowed 2 of 4 (rates are averaged, not counts pooled).
        time.Advance(TimeSpan.FromSeconds(1));
        limiter.TryAcquire(out rate);
        Assert.Equal((1.0 + 0.5) / 2, rate);
        limiter.TryAcquire(out _);
        limiter.TryAcquire(out rate);
        Assert.Equal(((2.0 / 3.0) + 0.5) / 2, rate, 12);

        // After a quiet spell the previous window is still the last one that saw requests (2 of 3).
        time.Advance(TimeSpan.FromSeconds(5));
        limiter.TryAcquire(out rate);
        Assert.Equal((1.0 + (2.0 / 3.0)) / 2, rate, 12);
    }

    [Fact]
    public void Window_StartsWithTheFirstRequest()
    {
        var time = new FakeTimeProvider();
        var limiter = new RateLimiter(1, time);

        // Created at 0, first request at 0.7 s: the window runs to 1.7 s (a window counted from creation would end at 1 s).
        time.Advance(TimeSpan.FromMilliseconds(700));
        Assert.True(limiter.TryAcquire(out _));
        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.False(limiter.TryAcquire(out _));
        Assert.False(limiter.TryAcquire(out var rate));
        Assert.Equal(1.0 / 3.0, rate, 12);

        // 1.7 s: a new window, and the bucket has refilled one token since 0.7 s.
        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.True(limiter.TryAcquire(out rate));
        Assert.Equal((1.0 + (1.0 / 3.0)) / 2, rate, 12);
    }

    [Fact]
    public void Bucket_RefillsContinuouslyWithoutACapPerSecond()
    {
        // 400 requests spread evenly over one second with a limit of 100: the full bucket gives 100 and one second of
        // refill about 100 more (dd-trace-js also caps each one-second window at 100; Python does not).
        var time = new FakeTimeProvider();
        var limiter = new RateLimiter(100, time);
        var allowed = 0;
        for (var i = 0; i < 400; i++)
        {
            if (limiter.TryAcquire(out _))
            {
                allowed++;
            }

            time.Advance(TimeSpan.FromTicks(25_000));
        }

        Assert.InRange(allowed, 195, 200);
    }

    [Fact]
    public void ZeroAllowsNothing_NegativeAllowsEverything()
    {
        var time = new FakeTimeProvider();
        Assert.False(new RateLimiter(0, time).TryAcquire(out var zeroRate));
        Assert.Equal(0.0, zeroRate);

        var unlimited = new RateLimiter(-1, time);
        for (var i = 0; i < 1_000; i++)
        {
            Assert.True(unlimited.TryAcquire(out var rate));
            Assert.Equal(1.0, rate);
        }
    }

    [Fact]
    public void IsThreadSafe()
    {
        var time = new FakeTimeProvider();
        var limiter = new RateLimiter(100, time);
        var allowed = 0;

        Parallel.For(0, 1_000, i =>
        {
            if (limiter.TryAcquire(out _))
            {
                Interlocked.Increment(ref allowed);
            }
        });

        Assert.Equal(100, allowed);
    }
}
