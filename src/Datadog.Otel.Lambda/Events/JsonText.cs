// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Datadog.Otel.Lambda.Internal;

namespace Datadog.Otel.Lambda.Events;

/// <summary>
/// Reads JSON values from their raw text as <see cref="JsonElement"/> would, without a document, and without ever
/// throwing: a string with invalid UTF-8 or an escaped surrogate that does not pair reads with U+FFFD in their place
/// (as <see cref="Internal.SafeJson"/> repairs whole events), so one bad value never costs the invocation its trace.
/// </summary>
internal static class JsonText
{
    /// <summary>Strings longer than this (in bytes) are unescaped into a rented buffer rather than on the stack.</summary>
    private const int StackLimit = 256;

    /// <summary>The text of a string value (<paramref name="raw"/> is what is between its quotes).</summary>
    public static string GetString(ReadOnlySpan<byte> raw, bool escaped)
    {
        if (!escaped)
        {
            return raw.IsEmpty ? string.Empty : Encoding.UTF8.GetString(raw);
        }

        byte[]? rented = null;
        var buffer = raw.Length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(raw.Length));
        try
        {
            var length = Unescape(raw, buffer);
            return Encoding.UTF8.GetString(buffer[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Whether a string value equals <paramref name="expected"/> (UTF-8), as <see cref="JsonElement.ValueEquals(ReadOnlySpan{byte})"/>.</summary>
    public static bool StringEquals(ReadOnlySpan<byte> raw, bool escaped, ReadOnlySpan<byte> expected)
    {
        if (!escaped)
        {
            return raw.SequenceEqual(expected);
        }

        // Unescaping never makes text longer: longer escaped text can still be equal, shorter cannot.
        if (raw.Length < expected.Length)
        {
            return false;
        }

        byte[]? rented = null;
        var buffer = raw.Length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(raw.Length));
        try
        {
            var length = Unescape(raw, buffer);
            return buffer[..length].SequenceEqual(expected);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Whether the string value's text contains <paramref name="value"/> (raw text, escapes as written).</summary>
    public static bool RawContains(ReadOnlySpan<byte> raw, ReadOnlySpan<byte> value) => raw.IndexOf(value) >= 0;

    /// <summary>
    /// Unescapes a string value's text into <paramref name="destination"/> (at least as long as <paramref name="raw"/>):
    /// UTF-8, with an escaped surrogate that does not pair written as U+FFFD. The reader has checked the escapes' syntax.
    /// </summary>
    public static int Unescape(ReadOnlySpan<byte> raw, Span<byte> destination)
    {
        var written = 0;
        var i = 0;
        while (i < raw.Length)
        {
            var next = raw[i..].IndexOf((byte)'\\');
            if (next < 0)
            {
                raw[i..].CopyTo(destination[written..]);
                return written + (raw.Length - i);
            }

            raw.Slice(i, next).CopyTo(destination[written..]);
            written += next;
            i += next;
            if (i + 1 >= raw.Length)
            {
                break;
            }

            var escape = raw[i + 1];
            i += 2;
            switch (escape)
            {
                case (byte)'n':
                    destination[written++] = (byte)'\n';
                    break;
                case (byte)'r':
                    destination[written++] = (byte)'\r';
                    break;
                case (byte)'t':
                    destination[written++] = (byte)'\t';
                    break;
                case (byte)'b':
                    destination[written++] = (byte)'\b';
                    break;
                case (byte)'f':
                    destination[written++] = (byte)'\f';
                    break;
                case (byte)'u':
                    var unit = SafeJson.HexValue(raw, i);
                    i += 4;
                    var scalar = unit;
                    if (unit is >= 0xD800 and <= 0xDBFF)
                    {
                        if (i + 6 <= raw.Length && raw[i] == (byte)'\\' && raw[i + 1] == (byte)'u' && SafeJson.HexValue(raw, i + 2) is >= 0xDC00 and <= 0xDFFF and var low)
                        {
                            scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                            i += 6;
                        }
                        else
                        {
                            scalar = 0xFFFD;
                        }
                    }
                    else if (unit is >= 0xDC00 and <= 0xDFFF or < 0)
                    {
                        scalar = 0xFFFD;
                    }

                    written += new Rune(scalar).EncodeToUtf8(destination[written..]);
                    break;
                default:
                    // \" \\ \/
                    destination[written++] = escape;
                    break;
            }
        }

        return written;
    }

    /// <summary>A number (as <see cref="JsonElement.TryGetDouble"/>) or a string holding one (invariant culture, as AWS writes them).</summary>
    public static bool TryGetDouble(JsonTokenType kind, ReadOnlySpan<byte> raw, bool escaped, out double value)
    {
        value = 0;
        if (kind == JsonTokenType.Number)
        {
            var reader = new Utf8JsonReader(raw);
            return reader.Read() && reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out value);
        }

        if (kind != JsonTokenType.String)
        {
            return false;
        }

        if (!escaped && raw.Length <= StackLimit && Utf8.IsValid(raw))
        {
            Span<char> chars = stackalloc char[StackLimit];
            var count = Encoding.UTF8.GetChars(raw, chars);
            return double.TryParse(chars[..count], NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }

        return double.TryParse(GetString(raw, escaped), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>A scalar as text: strings as they are, numbers and booleans in their JSON form; null otherwise.</summary>
    public static string? ScalarText(JsonTokenType kind, ReadOnlySpan<byte> raw, bool escaped) => kind switch
    {
        JsonTokenType.String => GetString(raw, escaped),
        JsonTokenType.Number => Encoding.UTF8.GetString(raw),
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        _ => null,
    };

    /// <summary>Whether an object's or array's text (brackets included) holds no member or element.</summary>
    public static bool IsEmptyContainer(ReadOnlySpan<byte> text) =>
        text.Length < 2 || text[1..^1].IndexOfAnyExcept(" \t\r\n"u8) < 0;
}
