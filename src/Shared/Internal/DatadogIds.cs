// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;

namespace Datadog.Otel.Lambda.Internal;

/// <summary>
/// Conversions between OpenTelemetry ids and Datadog's: a Datadog trace id is the lower 64 bits of the
/// 128-bit id (decimal on the wire), the upper 64 bits travel as 16 lowercase hex (<c>_dd.p.tid</c>).
/// All conversions are allocation-free.
/// </summary>
internal static class DatadogIds
{
    public static ulong Lower64(ActivityTraceId traceId)
    {
        Span<byte> bytes = stackalloc byte[16];
        traceId.CopyTo(bytes);
        return BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
    }

    public static ulong Upper64(ActivityTraceId traceId)
    {
        Span<byte> bytes = stackalloc byte[16];
        traceId.CopyTo(bytes);
        return BinaryPrimitives.ReadUInt64BigEndian(bytes);
    }

    /// <summary>Builds a trace id; all-zero bits give <c>default</c>, which is what <see cref="ActivityContext"/> validity checks compare with.</summary>
    public static ActivityTraceId TraceId(ulong upper, ulong lower)
    {
        if (upper == 0 && lower == 0)
        {
            return default;
        }

        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, upper);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], lower);
        return ActivityTraceId.CreateFromBytes(bytes);
    }

    public static ulong ToUInt64(ActivitySpanId spanId)
    {
        Span<byte> bytes = stackalloc byte[8];
        spanId.CopyTo(bytes);
        return BinaryPrimitives.ReadUInt64BigEndian(bytes);
    }

    /// <summary>Builds a span id; 0 gives <c>default</c> (an id made from zero bytes would not compare equal to it).</summary>
    public static ActivitySpanId SpanId(ulong value)
    {
        if (value == 0)
        {
            return default;
        }

        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return ActivitySpanId.CreateFromBytes(bytes);
    }

    /// <summary>Parses an unsigned decimal with no sign, spaces or separators; false on overflow or any other character.</summary>
    public static bool TryParseDecimal(ReadOnlySpan<char> text, out ulong value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 20)
        {
            return false;
        }

        foreach (var c in text)
        {
            var digit = (uint)(c - '0');
            if (digit > 9)
            {
                return false;
            }

            if (value > (ulong.MaxValue - digit) / 10)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }

    /// <summary>Parses exactly 1 to 16 hex digits (either case) into a <see cref="ulong"/>.</summary>
    public static bool TryParseHex(ReadOnlySpan<char> text, out ulong value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 16)
        {
            return false;
        }

        foreach (var c in text)
        {
            int digit = HexValue(c);
            if (digit < 0)
            {
                return false;
            }

            value = (value << 4) | (uint)digit;
        }

        return true;
    }

    /// <summary>Parses exactly 16 lowercase hex digits, the only form <c>_dd.p.tid</c>, W3C ids and tracestate <c>p:</c> allow.</summary>
    public static bool TryParseHex16Lower(ReadOnlySpan<char> text, out ulong value)
    {
        value = 0;
        if (text.Length != 16)
        {
            return false;
        }

        foreach (var c in text)
        {
            int digit = LowerHexValue(c);
            if (digit < 0)
            {
                value = 0;
                return false;
            }

            value = (value << 4) | (uint)digit;
        }

        return true;
    }

    /// <summary>
    /// Parses a 16- or 32-digit hex trace id (upper bits 0 for 16 digits). <paramref name="lowercaseOnly"/> is the W3C rule;
    /// B3 and X-Ray accept either case.
    /// </summary>
    public static bool TryParseTraceIdHex(ReadOnlySpan<char> text, bool lowercaseOnly, out ulong upper, out ulong lower)
    {
        upper = 0;
        lower = 0;
        if (text.Length == 16)
        {
            return lowercaseOnly ? TryParseHex16Lower(text, out lower) : TryParseHex(text, out lower);
        }

        if (text.Length != 32)
        {
            return false;
        }

        var ok = lowercaseOnly
            ? TryParseHex16Lower(text[..16], out upper) && TryParseHex16Lower(text[16..], out lower)
            : TryParseHex(text[..16], out upper) && TryParseHex(text[16..], out lower);
        if (!ok)
        {
            upper = 0;
            lower = 0;
        }

        return ok;
    }

    /// <summary>Parses a signed 32-bit decimal (optional leading sign, no spaces, no fraction).</summary>
    public static bool TryParseInt32(ReadOnlySpan<char> text, out int value) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public static int LowerHexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => -1,
    };

    public static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>Writes <paramref name="value"/> as 16 lowercase hex digits.</summary>
    public static void WriteHex16(ulong value, Span<char> destination)
    {
        for (var i = 15; i >= 0; i--)
        {
            destination[i] = "0123456789abcdef"[(int)(value & 0xF)];
            value >>= 4;
        }
    }

    /// <summary>Writes the 128-bit id as 32 lowercase hex digits.</summary>
    public static void WriteHex32(ulong upper, ulong lower, Span<char> destination)
    {
        WriteHex16(upper, destination);
        WriteHex16(lower, destination[16..]);
    }

    public static string ToHex16(ulong value) => string.Create(16, value, static (span, v) => WriteHex16(v, span));

    public static string ToDecimal(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
