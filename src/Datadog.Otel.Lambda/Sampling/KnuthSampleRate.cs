// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;

namespace Datadog.Otel.Lambda.Sampling;

/// <summary>
/// The text of <c>_dd.p.ksr</c>, the rate of the rule that decided a trace, as Datadog's Python tracer writes it: the
/// rate rounded half up to six decimals, in fixed notation, trailing zeros and a trailing point removed (<c>1</c>,
/// <c>0.5</c>, <c>0.000001</c>, <c>0</c>). dd-trace-js rounds the exact binary value instead, which differs at
/// half-millionths (0.1234565 → <c>0.123456</c> there, <c>0.123457</c> here).
/// </summary>
internal static class KnuthSampleRate
{
    public static string Format(double rate)
    {
        var rounded = Math.Floor((rate * 1e6) + 0.5) / 1e6;
        var text = rounded.ToString("F6", CultureInfo.InvariantCulture).TrimEnd('0');
        return text.EndsWith('.') ? text[..^1] : text;
    }
}
