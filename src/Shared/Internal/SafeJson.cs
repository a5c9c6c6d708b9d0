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
/// <remarks>
/// Every parse is also bounded in what it leaves behind. <see cref="JsonDocument"/> rents its index (12 bytes a token)
/// from the shared array pool, sized by the input when it passes 4 MB and by the tokens otherwise, and the pool keeps
/// the array after the document is disposed: a 9 MB event left a 16 MB array per thread. So a parse here takes at most
/// <see cref="MaxParseBytes"/> and <see cref="MaxTokens"/> (an index within a 1 MB array) and throws
/// <see cref="JsonException"/> past them, as for invalid JSON; events that large are read from a digest
/// (<see cref="JsonDigest"/>). Text is transcoded into a plain array rather than the pool's when it is large.
/// </remarks>
internal static class SafeJson
{
    /// <summary>Tokens one parse may hold: an index of at most 960 KB.</summary>
    public const int MaxTokens = 80_000;

    /// <summary>Largest UTF-8 input of one parse: beyond 4 MB the index starts at the input's size.</summary>
    public const int MaxParseBytes = (4 * 1024 * 1024) - 4096;

    /// <summary>Text longer than this is transcoded into a plain array (the pool would keep the buffer).</summary>
    private const int PooledTextChars = 64 * 1024;

    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8, JsonDocumentOptions options = default)
    {
        if (!FitsOneParse(utf8.Span, options))
        {
            throw new JsonException($"JSON of {utf8.Length} bytes is larger than tracing parses ({MaxParseBytes} bytes, {MaxTokens} tokens)");
        }

        return JsonDocument.Parse(NeedsRepair(utf8.Span) ? Repair(utf8.Span) : utf8, options);
    }

    public static JsonDocument Parse(string text, JsonDocumentOptions options = default)
    {
        if (text.Length <= PooledTextChars && text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0 && !text.Contains("\\u", StringComparison.Ordinal))
        {
            // At most 64K characters (so at most 64K tokens): JsonDocument's own pooled transcoding stays small.
            return JsonDocument.Parse(text, options);
        }

        // Large text, surrogates or escapes: the UTF-8 form in a plain array (encoding turns unpaired surrogate
        // characters into U+FFFD), checked and parsed from there.
        return Parse(Encoding.UTF8.GetBytes(text), options);
    }

    /// <summary>
    /// Parses whole JSON (an event, a response): within the bounds as it is, beyond them its digest
    /// (<see cref="JsonDigest"/>). Null when not even the root fits. Throws <see cref="JsonException"/> for invalid JSON.
    /// </summary>
    public static JsonDocument? ParseOrDigest(ReadOnlyMemory<byte> utf8, JsonDocumentOptions options, string what)
    {
        if (!FitsOneParse(utf8.Span, options))
        {
            var digest = JsonDigest.Create(utf8.Span, new JsonReaderOptions { MaxDepth = options.MaxDepth, CommentHandling = options.CommentHandling, AllowTrailingCommas = options.AllowTrailingCommas }, out _);
            Diagnostics.Diag.Debug(what, $"{utf8.Length} bytes of JSON are more than one parse for tracing; tracing reads a {digest.Length}-byte digest of them");
            if (digest.Length == 0)
            {
                return null;
            }

            utf8 = digest;
        }

        return Parse(utf8, options);
    }

    /// <summary>
    /// Whether one parse of <paramref name="utf8"/> stays within <see cref="MaxParseBytes"/> and <see cref="MaxTokens"/>.
    /// Counting costs a read of the input, done only when it has more bytes than the token bound (a token is at least a byte).
    /// Invalid JSON found while counting throws a <see cref="JsonException"/> with its position only: the parse or digest
    /// would fail on it again (and the reader's own message quotes the input, which can be megabytes).
    /// </summary>
    public static bool FitsOneParse(ReadOnlySpan<byte> utf8, JsonDocumentOptions options)
    {
        if (utf8.Length <= MaxTokens)
        {
            return true;
        }

        if (utf8.Length > MaxParseBytes)
        {
            return false;
        }

        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = options.MaxDepth, CommentHandling = options.CommentHandling, AllowTrailingCommas = options.AllowTrailingCommas });
        var tokens = 0;
        try
        {
            while (reader.Read())
            {
                if (++tokens > MaxTokens)
                {
                    return false;
                }
            }
        }
        catch (JsonException ex)
        {
            throw new JsonException("invalid JSON", path: null, ex.LineNumber, ex.BytePositionInLine);
        }

        return true;
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

    /// <summary>The value of the four hex digits at <paramref name="at"/> (a JSON <c>\u</c> escape's), or -1.</summary>
    internal static int HexValue(ReadOnlySpan<byte> utf8, int at)
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
