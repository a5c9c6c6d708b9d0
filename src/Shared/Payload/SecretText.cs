// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers;
using System.Buffers.Text;
using System.IO.Compression;
using System.Text;
using System.Text.Unicode;

namespace Datadog.Otel.Lambda.Payload;

/// <summary>
/// Removes secrets from text that is exported as one value (a string that is not expanded as JSON, a header value): the
/// last line of defence behind key redaction, so that a secret never leaves because its container could not be parsed,
/// was too deep or too large, or was encoded. It returns the text itself when it holds nothing to remove.
/// <list type="bullet">
/// <item>JSON objects and arrays (text that starts with <c>{</c> or <c>[</c>): read token by token with no depth limit;
/// the value of every sensitive member becomes <c>"redacted"</c> and every string is scrubbed in turn
/// (<see cref="JsonTextRedactor"/>). When anything was removed the result is that compact JSON, cut to the tag length;
/// text that turns out not to be JSON is scrubbed as plain text.</item>
/// <item>Plain text: the value of every <c>name=value</c> and <c>name: value</c> pair whose name is sensitive (query
/// strings, form bodies, cookies, URLs, header lines; names percent-decoded), multipart form fields named so, the
/// credentials after <c>Bearer</c> and <c>Basic</c>, and JSON Web Tokens, become <c>redacted</c>.</item>
/// <item>Base64 (an API Gateway body with <c>isBase64Encoded</c>, Kinesis and Firehose data, Kafka values, gzip inside
/// base64 such as CloudWatch Logs data): decoded, and when the decoded text holds a secret the whole value becomes
/// <c>redacted</c>.</item>
/// </list>
/// Only the start of a long text is read: the tag keeps its first <see cref="PayloadTagValues.MaxValueLength"/>
/// code points (at most <see cref="PayloadTagValues.MaxValueUtf16Length"/> UTF-16 units), so the rest is never exported. Nesting (JSON in a string in base64 …) is followed
/// <see cref="MaxNesting"/> levels; deeper, a text that could hold a name and a value (JSON, a pair, a credential scheme
/// or a token) is <c>redacted</c> whole.
/// </summary>
internal static class SecretText
{
    public const int MaxNesting = 4;

    /// <summary>Characters read beyond the part that is exported, so that a name cut by the end is still seen.</summary>
    private const int Lookahead = 1024;

    private const int MinBase64Length = 16;

    private static readonly SearchValues<char> Base64Chars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_");

    private static readonly SearchValues<char> ValueEnd = SearchValues.Create("&;,#\"'<>(){}[] \t\r\n");

    /// <summary>Whether the text may hold a pair, a credential scheme or a token: the cheap test before the scan.</summary>
    private static readonly SearchValues<char> Markers = SearchValues.Create("=:");

    /// <summary>The text without secrets, when <paramref name="maxChars"/> of it are exported; the same instance when it has none.</summary>
    public static string Scrub(string text, RedactionRules rules, int maxChars = PayloadTagValues.MaxValueUtf16Length) =>
        Scrub(text, rules, maxChars, MaxNesting);

    internal static string Scrub(string text, RedactionRules rules, int maxChars, int nesting)
    {
        if (text.Length < 3)
        {
            return text;
        }

        if (nesting <= 0)
        {
            return MentionsASecret(text.AsSpan(0, Math.Min(text.Length, maxChars + Lookahead))) ? PayloadTagValues.Redacted : text;
        }

        if (PayloadText.LooksLikeContainer(text))
        {
            return JsonTextRedactor.Redact(text, rules, maxChars, nesting) ?? Plain(text, rules, maxChars, nesting);
        }

        if (LooksLikeBase64(text))
        {
            return Base64HoldsASecret(text, rules, maxChars, nesting) ? PayloadTagValues.Redacted : text;
        }

        return Plain(text, rules, maxChars, nesting);
    }

    /// <summary>Plain text: pairs, multipart fields, credential schemes and tokens.</summary>
    internal static string Plain(string text, RedactionRules rules, int maxChars, int nesting = MaxNesting)
    {
        var scan = text.AsSpan(0, Math.Min(text.Length, maxChars + Lookahead));
        if (scan.IndexOfAny(Markers) < 0 && scan.IndexOf("eyJ", StringComparison.Ordinal) < 0 && scan.IndexOf(' ') < 0)
        {
            return text;
        }

        List<(int Start, int End)>? cuts = null;
        FindPairs(scan, rules, nesting, ref cuts);
        FindSchemes(scan, ref cuts);
        FindJsonWebTokens(scan, ref cuts);
        if (cuts is null)
        {
            return text;
        }

        cuts.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        var builder = new StringBuilder(Math.Min(text.Length, maxChars + 16));
        var at = 0;
        foreach (var (start, end) in cuts)
        {
            if (end <= at)
            {
                continue;
            }

            builder.Append(scan[at..Math.Max(at, start)]).Append(PayloadTagValues.Redacted);
            at = end;
        }

        builder.Append(scan[Math.Min(at, scan.Length)..]);
        return builder.ToString();
    }

    /// <summary>The value of every <c>name=value</c> or <c>name: value</c> pair with a sensitive name.</summary>
    private static void FindPairs(ReadOnlySpan<char> text, RedactionRules rules, int nesting, ref List<(int, int)>? cuts)
    {
        var offset = 0;
        while (offset < text.Length)
        {
            var found = text[offset..].IndexOfAny(Markers);
            if (found < 0)
            {
                return;
            }

            var separator = offset + found;
            offset = separator + 1;
            if (!TryNameBefore(text, separator, out var name, out var nameQuoted))
            {
                continue;
            }

            var valueStart = separator + 1;
            while (valueStart < text.Length && text[valueStart] is ' ' or '\t')
            {
                valueStart++;
            }

            if (IsSensitiveName(name, rules))
            {
                var valueEnd = ValueEndAt(text, valueStart, text[separator] == ':');
                if (valueEnd > valueStart)
                {
                    (cuts ??= []).Add((valueStart, valueEnd));
                    offset = valueEnd;
                }

                continue;
            }

            // A percent-encoded value holds text of its own (JSON, another query string): when that text has a secret,
            // the whole value goes.
            if (nesting > 1 && valueStart < text.Length && (text[valueStart..].IndexOfAny(ValueEnd) is var stop and >= 0 ? valueStart + stop : text.Length) is var encodedEnd
                && encodedEnd > valueStart && HoldsEncodedStructure(text[valueStart..encodedEnd]))
            {
                var decodedValue = Uri.UnescapeDataString(text[valueStart..encodedEnd].ToString().Replace('+', ' '));
                if (!ReferenceEquals(Scrub(decodedValue, rules, decodedValue.Length, nesting - 1), decodedValue))
                {
                    (cuts ??= []).Add((valueStart, encodedEnd));
                    offset = encodedEnd;
                    continue;
                }
            }

            // A multipart form field: name="password" ... blank line ... the value ... --boundary.
            if (!nameQuoted && name.Equals("name", StringComparison.OrdinalIgnoreCase) && valueStart < text.Length && text[valueStart] == '"')
            {
                var close = text[(valueStart + 1)..].IndexOf('"');
                if (close > 0 && IsSensitiveName(text.Slice(valueStart + 1, close), rules))
                {
                    var body = text[valueStart..].IndexOf("\n\n".AsSpan()) is var lf and >= 0 ? valueStart + lf + 2
                        : text[valueStart..].IndexOf("\r\n\r\n".AsSpan()) is var crlf and >= 0 ? valueStart + crlf + 4
                        : -1;
                    if (body >= 0)
                    {
                        var next = text[body..].IndexOf("\n--".AsSpan());
                        var end = next < 0 ? text.Length : body + next;
                        if (end > body && text[end - 1] == '\r')
                        {
                            end--;
                        }

                        (cuts ??= []).Add((body, end));
                        offset = end;
                    }
                }
            }
        }
    }

    /// <summary>Whether a percent-encoded value encodes JSON or pairs of its own ({ [ " = : &amp;), the only ones worth decoding.</summary>
    private static bool HoldsEncodedStructure(ReadOnlySpan<char> value)
    {
        for (var at = value.IndexOf('%'); at >= 0 && at + 2 < value.Length; at = value[(at + 1)..].IndexOf('%') is var next and >= 0 ? at + 1 + next : -1)
        {
            var code = value.Slice(at + 1, 2);
            if (code.Equals("7B", StringComparison.OrdinalIgnoreCase) || code.Equals("5B", StringComparison.OrdinalIgnoreCase) || code.Equals("22", StringComparison.Ordinal)
                || code.Equals("3D", StringComparison.OrdinalIgnoreCase) || code.Equals("3A", StringComparison.OrdinalIgnoreCase) || code.Equals("26", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The name that ends just before a separator: letters, digits and <c>-_.%+[]</c>, or a quoted name.</summary>
    private static bool TryNameBefore(ReadOnlySpan<char> text, int separator, out ReadOnlySpan<char> name, out bool quoted)
    {
        name = default;
        quoted = false;
        var end = separator;
        while (end > 0 && text[end - 1] is ' ' or '\t')
        {
            end--;
        }

        if (end > 0 && text[end - 1] is '"' or '\'')
        {
            // Names longer than 256 characters are not names: the search looks no further back.
            var quote = text[end - 1];
            var windowStart = Math.Max(0, end - 258);
            var open = text[windowStart..(end - 1)].LastIndexOf(quote);
            if (open < 0)
            {
                return false;
            }

            open += windowStart;

            // Escaped JSON inside a string quotes with \" (or more backslashes): they are not part of the name.
            name = text.Slice(open + 1, end - 2 - open).Trim('\\');
            quoted = true;
            return !name.IsEmpty;
        }

        var start = end;
        while (start > 0 && end - start < 256 && IsNameChar(text[start - 1]))
        {
            start--;
        }

        name = text[start..end];
        return !name.IsEmpty;
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || (c >= 0x80 && char.IsLetter(c)) || c is '-' or '_' or '.' or '%' or '+' or '[' or ']' or '$';

    private static bool IsSensitiveName(ReadOnlySpan<char> name, RedactionRules rules)
    {
        if (name.IndexOfAny('%', '+') < 0)
        {
            return rules.IsSensitive(name) || rules.IsSensitiveLastSegment(name);
        }

        // Percent-encoded names (access%5Ftoken, pass%77ord) mean what they decode to.
        Span<char> decoded = name.Length <= 256 ? stackalloc char[name.Length] : new char[name.Length];
        var length = 0;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c == '%' && i + 2 < name.Length && Uri.IsHexDigit(name[i + 1]) && Uri.IsHexDigit(name[i + 2]))
            {
                c = (char)((Uri.FromHex(name[i + 1]) << 4) | Uri.FromHex(name[i + 2]));
                i += 2;
            }
            else if (c == '+')
            {
                c = ' ';
            }

            decoded[length++] = c;
        }

        return rules.IsSensitive(decoded[..length]) || rules.IsSensitiveLastSegment(decoded[..length]);
    }

    /// <summary>
    /// Where a value ends: at the closing quote of a quoted value, at the end of the text for an object or array (the rest
    /// is dropped rather than parsed), else at the next delimiter; after a colon, a credential scheme keeps its token.
    /// </summary>
    private static int ValueEndAt(ReadOnlySpan<char> text, int start, bool afterColon)
    {
        if (start >= text.Length)
        {
            return start;
        }

        var first = text[start];
        if (first == '\\')
        {
            // JSON text inside a string, still escaped once or more (\" or \\\"): the value runs to the same sequence.
            var slashes = 0;
            while (start + slashes < text.Length && text[start + slashes] == '\\')
            {
                slashes++;
            }

            if (start + slashes < text.Length && text[start + slashes] == '"')
            {
                var quote = text.Slice(start, slashes + 1);
                var close = text[(start + slashes + 1)..].IndexOf(quote);
                return close < 0 ? text.Length : start + slashes + 1 + close + quote.Length;
            }
        }

        if (first is '"' or '\'')
        {
            for (var i = start + 1; i < text.Length; i++)
            {
                if (text[i] == '\\')
                {
                    i++;
                }
                else if (text[i] == first)
                {
                    return i + 1;
                }
            }

            return text.Length;
        }

        if (first is '{' or '[')
        {
            return text.Length;
        }

        var end = text[start..].IndexOfAny(ValueEnd) is var stop and >= 0 ? start + stop : text.Length;
        if (afterColon && end < text.Length && text[end] == ' ' && IsScheme(text[start..end]))
        {
            var after = end + 1;
            end = text[after..].IndexOfAny(ValueEnd) is var stop2 and >= 0 ? after + stop2 : text.Length;
        }

        return end;
    }

    private static bool IsScheme(ReadOnlySpan<char> word) =>
        word.Equals("bearer", StringComparison.OrdinalIgnoreCase) || word.Equals("basic", StringComparison.OrdinalIgnoreCase)
        || word.Equals("digest", StringComparison.OrdinalIgnoreCase) || word.Equals("token", StringComparison.OrdinalIgnoreCase)
        || word.Equals("negotiate", StringComparison.OrdinalIgnoreCase) || word.Equals("aws4-hmac-sha256", StringComparison.OrdinalIgnoreCase);

    /// <summary>The credentials after <c>Bearer</c> or <c>Basic</c>, wherever they are (an identity source, a log line).</summary>
    private static void FindSchemes(ReadOnlySpan<char> text, ref List<(int, int)>? cuts)
    {
        foreach (var scheme in (ReadOnlySpan<string>)["bearer ", "basic "])
        {
            var offset = 0;
            while (offset < text.Length && text[offset..].IndexOf(scheme, StringComparison.OrdinalIgnoreCase) is var found and >= 0)
            {
                var at = offset + found;
                offset = at + scheme.Length;
                if (at > 0 && char.IsAsciiLetterOrDigit(text[at - 1]))
                {
                    continue;
                }

                var start = at + scheme.Length;
                while (start < text.Length && text[start] == ' ')
                {
                    start++;
                }

                var end = start;
                while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] is '-' or '.' or '_' or '~' or '+' or '/' or '='))
                {
                    end++;
                }

                // A credential, not a word of prose ("a basic idea").
                if (end - start >= 8)
                {
                    (cuts ??= []).Add((start, end));
                    offset = end;
                }
            }
        }
    }

    /// <summary>JSON Web Tokens: <c>eyJ…</c> segments joined by dots (their header and claims are base64 JSON objects).</summary>
    private static void FindJsonWebTokens(ReadOnlySpan<char> text, ref List<(int, int)>? cuts)
    {
        var offset = 0;
        while (offset < text.Length && text[offset..].IndexOf("eyJ", StringComparison.Ordinal) is var found and >= 0)
        {
            var start = offset + found;
            var end = start;
            var dots = 0;
            while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] is '-' or '_' or '.' or '='))
            {
                dots += text[end] == '.' ? 1 : 0;
                end++;
            }

            offset = end;
            if (dots >= 1 && end - start >= 20 && (start == 0 || !char.IsAsciiLetterOrDigit(text[start - 1])))
            {
                (cuts ??= []).Add((start, end));
            }
        }
    }

    /// <summary>
    /// Past the nesting bound nothing is parsed any more: text that could hold a name and a value (JSON, a pair, a
    /// credential scheme, a token) is dropped whole; plain words are kept.
    /// </summary>
    private static bool MentionsASecret(ReadOnlySpan<char> text)
    {
        var trimmed = text.TrimStart();
        if (!trimmed.IsEmpty && trimmed[0] is '{' or '[')
        {
            return true;
        }

        if (text.IndexOfAny(Markers) >= 0 || text.IndexOf("eyJ", StringComparison.Ordinal) >= 0
            || text.IndexOf("bearer ", StringComparison.OrdinalIgnoreCase) >= 0 || text.IndexOf("basic ", StringComparison.OrdinalIgnoreCase) >= 0)
        {
            return true;
        }

        return false;
    }

    private static bool LooksLikeBase64(string text)
    {
        if (text.Length < MinBase64Length || text.AsSpan().IndexOfAnyExcept(Base64Chars) >= 0)
        {
            return false;
        }

        // Padding only at the end; standard (+/) and URL-safe (-_) alphabets not mixed.
        var padding = text.AsSpan().IndexOf('=');
        if (padding >= 0 && (padding < text.Length - 2 || text.AsSpan(padding).IndexOfAnyExcept('=') >= 0))
        {
            return false;
        }

        return !(text.AsSpan().IndexOfAny('+', '/') >= 0 && text.AsSpan().IndexOfAny('-', '_') >= 0);
    }

    /// <summary>Decodes the exported part of a base64 value (and gzip inside it) and looks for secrets in what it holds.</summary>
    private static bool Base64HoldsASecret(string text, RedactionRules rules, int maxChars, int nesting)
    {
        var length = Math.Min(text.Length, maxChars + Lookahead) & ~3;
        var span = text.AsSpan(0, length);
        char[]? standard = null;
        byte[] decoded = ArrayPool<byte>.Shared.Rent((length / 4 * 3) + 3);
        try
        {
            if (span.IndexOfAny('-', '_') >= 0)
            {
                standard = ArrayPool<char>.Shared.Rent(length);
                for (var i = 0; i < length; i++)
                {
                    standard[i] = span[i] switch { '-' => '+', '_' => '/', var c => c };
                }

                span = standard.AsSpan(0, length);
            }

            if (!Convert.TryFromBase64Chars(span, decoded, out var written) || written == 0)
            {
                return false;
            }

            var bytes = decoded.AsSpan(0, written);
            byte[]? inflated = null;
            try
            {
                if (bytes.Length > 2 && bytes[0] == 0x1F && bytes[1] == 0x8B)
                {
                    inflated = ArrayPool<byte>.Shared.Rent(maxChars + Lookahead);
                    bytes = inflated.AsSpan(0, Inflate(decoded, written, inflated));
                }

                if (Utf8.IsValid(bytes))
                {
                    var decodedText = Encoding.UTF8.GetString(bytes);
                    return !ReferenceEquals(Scrub(decodedText, rules, maxChars, nesting - 1), decodedText);
                }

                // Binary: a secret can still sit in it as text (a protocol buffer's string field), without reliable
                // separators around it: a sensitive name anywhere is enough.
                return BinaryNamesASecret(bytes, rules);
            }
            finally
            {
                if (inflated is not null)
                {
                    ArrayPool<byte>.Shared.Return(inflated);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(decoded);
            if (standard is not null)
            {
                ArrayPool<char>.Shared.Return(standard);
            }
        }
    }

    private static bool BinaryNamesASecret(ReadOnlySpan<byte> bytes, RedactionRules rules)
    {
        var lower = ArrayPool<byte>.Shared.Rent(bytes.Length);
        try
        {
            var span = lower.AsSpan(0, bytes.Length);
            for (var i = 0; i < bytes.Length; i++)
            {
                var b = bytes[i];
                span[i] = b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b + 32) : b;
            }

            foreach (var fragment in SensitiveKeys.Fragments)
            {
                if (ContainsAscii(span, fragment))
                {
                    return true;
                }
            }

            foreach (var name in rules.UserNames)
            {
                if (ContainsAscii(span, name))
                {
                    return true;
                }
            }

            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(lower);
        }
    }

    /// <summary>Whether lower-case ASCII <paramref name="word"/> occurs in <paramref name="bytes"/>.</summary>
    private static bool ContainsAscii(ReadOnlySpan<byte> bytes, string word)
    {
        Span<byte> needle = stackalloc byte[Math.Min(word.Length, 256)];
        for (var i = 0; i < needle.Length; i++)
        {
            needle[i] = (byte)word[i];
        }

        return bytes.IndexOf(needle) >= 0;
    }

    /// <summary>Inflates the start of a gzip stream into <paramref name="output"/>; returns the bytes written (a truncated stream yields what it holds).</summary>
    private static int Inflate(byte[] compressed, int length, byte[] output)
    {
        var total = 0;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(compressed, 0, length, writable: false), CompressionMode.Decompress);
            int read;
            while (total < output.Length && (read = gzip.Read(output, total, output.Length - total)) > 0)
            {
                total += read;
            }
        }
        catch (InvalidDataException)
        {
        }
        catch (EndOfStreamException)
        {
        }

        return total;
    }
}
