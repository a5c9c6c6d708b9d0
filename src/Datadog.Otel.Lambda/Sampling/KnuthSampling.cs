// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Sampling;

/// <summary>
/// Datadog's deterministic rate sampling: keep when <c>(lower64(trace id) × 1111111111111111111) mod 2^64 ≤ rate ×
/// (2^64 − 1)</c>. The lower 64 bits are used because the upper 64 bits of Datadog 128-bit ids are a timestamp;
/// every Datadog tracer uses the same formula, so services sampling at the same rate agree on a trace.
/// </summary>
internal static class KnuthSampling
{
    public const ulong Factor = 1111111111111111111UL;

    /// <summary>The largest kept hash for <paramref name="rate"/> (rates outside 0–1 are clamped; NaN drops).</summary>
    public static ulong Threshold(double rate)
    {
        if (double.IsNaN(rate) || rate <= 0)
        {
            return 0;
        }

        // rate × 2^64 for rate < 1 is below 2^64, so the conversion cannot overflow.
        return rate >= 1 ? ulong.MaxValue : (ulong)(rate * ulong.MaxValue);
    }

    public static bool Keep(ulong traceIdLower, double rate, ulong threshold)
    {
        if (rate >= 1)
        {
            return true;
        }

        if (!(rate > 0))
        {
            return false;
        }

        return unchecked(traceIdLower * Factor) <= threshold;
    }
}
