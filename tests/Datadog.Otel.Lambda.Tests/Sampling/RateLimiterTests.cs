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

        // Next window: the previous one allowed 2 of 4.
        time.Advance(TimeSpan.FromSeconds(1));
        limiter.TryAcquire(out rate);
        Assert.Equal((1.0 + 0.5) / 2, rate);

        // After a quiet window, the previous rate counts as 1.
        time.Advance(TimeSpan.FromSeconds(5));
        limiter.TryAcquire(out rate);
        Assert.Equal(1.0, rate);
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
