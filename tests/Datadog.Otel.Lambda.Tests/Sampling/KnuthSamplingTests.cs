// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Sampling;

namespace Datadog.Otel.Lambda.Tests.Sampling;

/// <summary>Datadog's deterministic sampler (datadog-extension-otlp.md §5.2), expected values computed here from the formula.</summary>
public class KnuthSamplingTests
{
    public static TheoryData<ulong, double> Vectors()
    {
        var data = new TheoryData<ulong, double>();
        ulong[] ids = [1, 2, 123456789, 5744042798732701615, 12078589664685934330, 9223372036854775807, 18446744073709551615, 0x4fb6f07e011a6faf, 0xb12b6e05a63cdbd7];
        double[] rates = [0.0001, 0.1, 0.25, 0.5, 0.75, 0.9, 0.9999];
        foreach (var id in ids)
        {
            foreach (var rate in rates)
            {
                data.Add(id, rate);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Keep_FollowsTheFormula(ulong traceIdLower, double rate)
    {
        var hash = unchecked(traceIdLower * 1111111111111111111UL);
        var threshold = (ulong)(rate * ulong.MaxValue);
        var expected = hash <= threshold;

        Assert.Equal(expected, KnuthSampling.Keep(traceIdLower, rate, KnuthSampling.Threshold(rate)));
    }

    [Fact]
    public void RateOneKeepsAndRateZeroDrops_Always()
    {
        foreach (var id in new ulong[] { 0, 1, ulong.MaxValue, 0x8000000000000000 })
        {
            Assert.True(KnuthSampling.Keep(id, 1, KnuthSampling.Threshold(1)));
            Assert.False(KnuthSampling.Keep(id, 0, KnuthSampling.Threshold(0)));
        }
    }

    [Fact]
    public void KeptShare_IsCloseToTheRate()
    {
        var kept = 0;
        const int count = 100_000;
        var threshold = KnuthSampling.Threshold(0.3);
        for (ulong id = 1; id <= count; id++)
        {
            if (KnuthSampling.Keep(id * 7919, 0.3, threshold))
            {
                kept++;
            }
        }

        Assert.InRange(kept / (double)count, 0.29, 0.31);
    }

    [Fact]
    public void Threshold_ClampsAndHandlesNaN()
    {
        Assert.Equal(0UL, KnuthSampling.Threshold(double.NaN));
        Assert.Equal(0UL, KnuthSampling.Threshold(-1));
        Assert.Equal(ulong.MaxValue, KnuthSampling.Threshold(2));
    }
}
