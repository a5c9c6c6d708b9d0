// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Datadog.Otel.Lambda.Internal;

/// <summary>
/// Parses JSON whose every string can be read. <see cref="JsonDocument"/> accepts invalid UTF-8 inside strings and
/// escaped surrogates that do not pair (<c>"\ud800"</c>), and then throws from <c>GetString</c> and <c>Name</c>, so one
/// bad header or body would cost the invocation its trace. Text that has either is repaired first: invalid bytes and
/// unpaired surrogates become U+FFFD, as any UTF-8 decoder does. Valid text (nearly every event) is parsed as it is,
/// with a vectorized check and no copy.
/// </summary>
internal static class SafeJson
{
    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8, JsonDocumentOptions options = default) =>
        JsonDocument.Parse(NeedsRepair(utf8.Span) ? Repair(utf8.Span) : utf8, options);

    public static JsonDocument Parse(string text, JsonDocumentOptions options = default)
    {
        if (text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0 && !text.Contains("\\u", StringComparison.Ordinal))
        {
            return JsonDocument.Parse(text, options);
        }

        // Surrogates or escapes: check the UTF-8 form (encoding turns unpaired surrogate characters into U+FFFD).
        var utf8 = Encoding.UTF8.GetBytes(text);
        return JsonDocument.Parse(NeedsRepair(utf8) ? Repair(utf8) : utf8, options);
    }

    public static bool NeedsRepair(ReadOnlySpan<byte> utf8) => !Utf8.IsValid(utf8) || HasUnpairedSurrogateEscape(utf8);

    /// <summary>A valid copy: invalid UTF-8 and unpaired surrogate escapes replaced by U+FFFD.</summary>
    public static byte[] Repair(ReadOnlySpan<byte> utf8)
    {
        // The default UTF-8 encoding replaces what it cannot decode (and lone surrogates when encoding) with U+FFFD.
        var bytes = Utf8.IsValid(utf8) ? utf8.ToArray() : Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(utf8));
        var span = bytes.AsSpan();
        var offset = 0;
        while (FindEscape(span, offset) is var at and >= 0)
        {
            var unit = HexValue(span, at + 2);
            var length = 6;
            if (unit is >= 0xD800 and <= 0xDBFF && FindEscapeAt(span, at + 6) && HexValue(span, at + 8) is >= 0xDC00 and <= 0xDFFF)
            {
                length = 12;
            }
            else if (unit is >= 0xD800 and <= 0xDFFF)
            {
                "FFFD"u8.CopyTo(span[(at + 2)..]);
            }

            offset = at + length;
        }

        return bytes;
    }

    private static bool HasUnpairedSurrogateEscape(ReadOnlySpan<byte> utf8)
    {
        var offset = 0;
        while (FindEscape(utf8, offset) is var at and >= 0)
        {
            var unit = HexValue(utf8, at + 2);
            if (unit is >= 0xD800 and <= 0xDBFF)
            {
                if (!FindEscapeAt(utf8, at + 6) || HexValue(utf8, at + 8) is not (>= 0xDC00 and <= 0xDFFF))
                {
                    return true;
                }

                offset = at + 12;
                continue;
            }

            if (unit is >= 0xDC00 and <= 0xDFFF)
            {
                return true;
            }

            offset = at + 6;
        }

        return false;
    }

    /// <summary>The index of the next <c>\uXXXX</c> escape at or after <paramref name="offset"/> (not an escaped backslash followed by u).</summary>
    private static int FindEscape(ReadOnlySpan<byte> utf8, int offset)
    {
        while (offset < utf8.Length)
        {
            var found = utf8[offset..].IndexOf("\\u"u8);
            if (found < 0)
            {
                return -1;
            }

            var at = offset + found;
            var backslashes = 1;
            while (at - backslashes >= 0 && utf8[at - backslashes] == (byte)'\\')
            {
                backslashes++;
            }

            // An odd run of backslashes ending here makes this one an escape; an even run makes it a literal backslash.
            if (backslashes % 2 == 1 && at + 6 <= utf8.Length)
            {
                return at;
            }

            offset = at + 2;
        }

        return -1;
    }

    private static bool FindEscapeAt(ReadOnlySpan<byte> utf8, int at) =>
        at + 6 <= utf8.Length && utf8[at] == (byte)'\\' && utf8[at + 1] == (byte)'u';

    private static int HexValue(ReadOnlySpan<byte> utf8, int at)
    {
        if (at + 4 > utf8.Length)
        {
            return -1;
        }

        var value = 0;
        for (var i = 0; i < 4; i++)
        {
            var digit = utf8[at + i] switch
            {
                >= (byte)'0' and <= (byte)'9' and var d => d - '0',
                >= (byte)'a' and <= (byte)'f' and var d => d - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' and var d => d - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                return -1;
            }

            value = (value << 4) | digit;
        }

        return value;
    }
}
