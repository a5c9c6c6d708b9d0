// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers;
using System.Text;
using Datadog.Otel.Lambda.Internal;
using OpenTelemetry;

namespace Datadog.Otel.Lambda.Propagation;

/// <summary>
/// The W3C <c>baggage</c> header as dd-trace-py reads and writes it. Reading: <c>key=value</c> items joined by <c>,</c>,
/// at most 64 items and 8192 UTF-8 bytes (commas included; items beyond are dropped); one item without <c>=</c>, or
/// with an empty key or value once stripped of whitespace, discards the whole header; keys and values are
/// percent-decoded leniently (a <c>%</c> not followed by two hex digits stays as it is; bytes that are not UTF-8 become
/// U+FFFD); a repeated key keeps its last value. Writing: the first 64 items, each <c>key=value</c> with the key and
/// value stripped of whitespace and percent-encoded outside dd-trace-py's safe sets, while the header stays within
/// 8192 bytes.
/// </summary>
internal static class BaggageHeaderFormat
{
    public const string Header = "baggage";
    public const int MaxItems = 64;
    public const int MaxBytes = 8192;

    public static readonly string[] Fields = [Header];

    /// <summary>Reads the header; <see langword="default"/> when it is absent, empty or malformed.</summary>
    public static Baggage Extract<TSource>(TSource source)
        where TSource : struct, ITraceHeaderSource
    {
        var count = source.Get(Header, out var value);
        if (count == 0)
        {
            return default;
        }

        if (count == 1)
        {
            return Parse(value);
        }

        // Several baggage headers are one list (RFC 9110 field combination); beyond the byte limit nothing is read anyway.
        // A first header too long to join is read alone (its first 8,192 bytes), as one long header is; it is asked for
        // again because a source may decode values into a buffer the join reused.
        var joined = source.GetJoined(Header, 2 * MaxBytes);
        if (joined.Length > 0)
        {
            return Parse(joined);
        }

        source.Get(Header, out var first);
        return Parse(first);
    }

    public static Baggage Parse(ReadOnlySpan<char> header)
    {
        if (header.IsEmpty)
        {
            return default;
        }

        Dictionary<string, string>? items = null;
        var bytes = 0;
        var index = 0;
        var remaining = header;
        var done = false;
        while (!done)
        {
            var comma = remaining.IndexOf(',');
            var item = comma < 0 ? remaining : remaining[..comma];
            remaining = comma < 0 ? default : remaining[(comma + 1)..];
            done = comma < 0;
            if (index++ >= MaxItems)
            {
                break;
            }

            var equals = item.IndexOf('=');
            if (equals < 0)
            {
                return default;
            }

            var segment = Encoding.UTF8.GetByteCount(item) + (items is { Count: > 0 } ? 1 : 0);
            if (bytes + segment > MaxBytes)
            {
                break;
            }

            var key = PythonWhitespace.Strip(item[..equals]);
            var itemValue = PythonWhitespace.Strip(item[(equals + 1)..]);
            var decodedKey = Unquote(key);
            var decodedValue = Unquote(itemValue);
            if (decodedKey.Length == 0 || decodedValue.Length == 0)
            {
                return default;
            }

            items ??= new Dictionary<string, string>(StringComparer.Ordinal);
            items[decodedKey] = decodedValue;
            bytes += segment;
        }

        return items is null ? default : Baggage.Create(items);
    }

    public static void Inject<T>(Baggage baggage, T carrier, Action<T, string, string> setter)
    {
        if (baggage.Count == 0)
        {
            return;
        }

        Span<char> initial = stackalloc char[256];
        var buffer = new CharBuffer(initial);
        try
        {
            var written = 0;
            foreach (var item in baggage)
            {
                if (written == MaxItems)
                {
                    break;
                }

                var before = buffer.Length;
                if (before > 0)
                {
                    buffer.Append(',');
                }

                AppendQuoted(ref buffer, item.Key, key: true);
                buffer.Append('=');
                AppendQuoted(ref buffer, item.Value, key: false);

                // Every character written is ASCII: the length is the byte count.
                if (buffer.Length > MaxBytes)
                {
                    buffer.Truncate(before);
                    break;
                }

                written++;
            }

            if (buffer.Length > 0)
            {
                setter(carrier, Header, buffer.ToString());
            }
        }
        finally
        {
            buffer.Dispose();
        }
    }

    /// <summary>Python's <c>urllib.parse.unquote</c>: each run of ASCII characters is percent-decoded to bytes and read as UTF-8.</summary>
    internal static string Unquote(ReadOnlySpan<char> text)
    {
        if (text.IndexOf('%') < 0)
        {
            return text.ToString();
        }

        var rented = ArrayPool<byte>.Shared.Rent(text.Length);
        try
        {
            var result = new StringBuilder(text.Length);
            var i = 0;
            while (i < text.Length)
            {
                if (text[i] > 0x7F)
                {
                    result.Append(text[i++]);
                    continue;
                }

                var count = 0;
                while (i < text.Length && text[i] <= 0x7F)
                {
                    int high, low;
                    if (text[i] == '%' && i + 2 < text.Length && (high = DatadogIds.HexValue(text[i + 1])) >= 0 && (low = DatadogIds.HexValue(text[i + 2])) >= 0)
                    {
                        rented[count++] = (byte)((high << 4) | low);
                        i += 3;
                    }
                    else
                    {
                        rented[count++] = (byte)text[i++];
                    }
                }

                result.Append(Encoding.UTF8.GetString(rented, 0, count));
            }

            return result.ToString();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Python's <c>urllib.parse.quote</c> of the stripped text with dd-trace-py's safe sets (uppercase hex).</summary>
    internal static void AppendQuoted(ref CharBuffer buffer, string text, bool key)
    {
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in PythonWhitespace.Strip(text).EnumerateRunes())
        {
            if (rune.IsAscii && IsSafe((char)rune.Value, key))
            {
                buffer.Append((char)rune.Value);
                continue;
            }

            var length = rune.EncodeToUtf8(utf8);
            for (var i = 0; i < length; i++)
            {
                buffer.Append('%');
                buffer.Append("0123456789ABCDEF"[utf8[i] >> 4]);
                buffer.Append("0123456789ABCDEF"[utf8[i] & 0xF]);
            }
        }
    }

    private static bool IsSafe(char c, bool key) =>
        char.IsAsciiLetterOrDigit(c)
        || (key ? "!#$%&'*+-.^_`|~" : "!#$%&'()*+-./:<>?@[]^_`{|}~").Contains(c, StringComparison.Ordinal);
}
