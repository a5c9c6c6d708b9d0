// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Datadog.Otel.Lambda.Payload;

/// <summary>
/// JSON text read token by token, without a depth limit and without building a document, and written back compact with
/// the value of every sensitive member replaced by <c>"redacted"</c> and every string scrubbed
/// (<see cref="SecretText"/>): what payload capture exports for JSON it does not expand (nested past the parser's depth,
/// past the expansion budget, or below the maximum depth). Only the start of the text is read: the part the tag can hold
/// and a little more, so that a member cut by the end of the tag is still seen.
/// </summary>
internal static class JsonTextRedactor
{
    /// <summary>Nesting the reader follows (one bit of state per level): far beyond any text the tag can hold.</summary>
    private const int MaxReaderDepth = 1 << 20;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
        MaxDepth = MaxReaderDepth,
    };

    /// <summary>
    /// The text itself when it holds nothing to remove; the compact redacted JSON (cut to <paramref name="maxChars"/>) when
    /// it does; null when it is not JSON (the caller scrubs it as plain text).
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="rules">The names to redact.</param>
    /// <param name="maxChars">Characters of the result that can be exported.</param>
    /// <param name="nesting">Levels of text inside text still followed.</param>
    /// <param name="truncated">Whether <paramref name="text"/> is itself the start of a longer text (a string cut by the read).</param>
    public static string? Redact(string text, RedactionRules rules, int maxChars, int nesting, bool truncated = false)
    {
        // Bracketed text that is not JSON ("[INFO] …", "{name}") is common: it goes to the plain scrubber without the
        // cost of a reader exception.
        if (!StartsLikeJson(text))
        {
            return null;
        }

        var readChars = Math.Min(text.Length, maxChars + 1024);
        var complete = !truncated && readChars == text.Length;
        var input = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(readChars));
        var output = new ArrayBufferWriter<byte>(256);
        try
        {
            var length = Encoding.UTF8.GetBytes(text.AsSpan(0, readChars), input);
            ReadOnlySpan<byte> json = input.AsSpan(0, length);

            // Escaped surrogates that do not pair ("\ud800") would make GetString throw: repaired first, as events are.
            if (Internal.SafeJson.NeedsRepair(json))
            {
                json = Internal.SafeJson.Repair(json);
            }

            var reader = new Utf8JsonReader(json, complete, new JsonReaderState(new JsonReaderOptions { MaxDepth = MaxReaderDepth }));
            bool changed;
            bool dropped;
            using (var writer = new Utf8JsonWriter(output, WriterOptions))
            {
                try
                {
                    changed = Copy(ref reader, writer, rules, maxChars, nesting, out dropped);
                    writer.Flush();
                }
                catch (JsonException)
                {
                    return null;
                }
            }

            // The read part of a long text can end inside a token (a string holding more JSON, cut): the reader never
            // returned it, so it is scrubbed as text, the form it has there (escaped JSON, pairs, tokens).
            string? rest = null;
            if (!dropped && reader.BytesConsumed < json.Length)
            {
                var tail = Encoding.UTF8.GetString(json[(int)reader.BytesConsumed..]);
                rest = ScrubCutToken(tail, rules, maxChars, nesting);
                changed |= !ReferenceEquals(rest, tail);
            }

            if (!changed)
            {
                return text;
            }

            var redacted = Encoding.UTF8.GetString(output.WrittenSpan) + rest;
            return PayloadText.Truncate(redacted.Length <= maxChars ? redacted : redacted[..maxChars]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input);
        }
    }

    /// <summary>Whether the text after its opening bracket starts as JSON does (a member name or a value).</summary>
    private static bool StartsLikeJson(string text)
    {
        var i = 0;
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        var open = i < text.Length ? text[i++] : '\0';
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        if (i >= text.Length)
        {
            return true;
        }

        var next = text[i];
        return open == '{'
            ? next is '"' or '}'
            : next is '{' or '[' or '"' or '-' or ']' or 't' or 'f' or 'n' || char.IsAsciiDigit(next);
    }

    /// <summary>
    /// The token the read part ended in: a string is unescaped as far as it goes and scrubbed as the text it holds (often
    /// JSON itself), then written back as a string; anything else is scrubbed as plain text.
    /// </summary>
    private static string ScrubCutToken(string tail, RedactionRules rules, int maxChars, int nesting)
    {
        // The reader stops after the last whole token: separators may come first.
        var start = 0;
        while (start < tail.Length && (char.IsWhiteSpace(tail[start]) || tail[start] is ':' or ','))
        {
            start++;
        }

        if (start >= tail.Length || tail[start] != '"')
        {
            return SecretText.Plain(tail, rules, tail.Length, nesting - 1);
        }

        // The string is cut, so the text it holds is too: JSON in it is read as the start of a longer text.
        var inner = Unescape(tail.AsSpan(start + 1));
        var scrubbed = nesting <= 1 || !PayloadText.LooksLikeContainer(inner)
            ? SecretText.Scrub(inner, rules, maxChars, nesting - 1)
            : Redact(inner, rules, maxChars, nesting - 1, truncated: true) ?? SecretText.Plain(inner, rules, inner.Length, nesting - 1);
        return ReferenceEquals(scrubbed, inner) ? tail : string.Concat(tail.AsSpan(0, start), "\"", JavaScriptEncoder.UnsafeRelaxedJsonEscaping.Encode(scrubbed));
    }

    /// <summary>The characters of a JSON string's content, up to its end or to an escape cut short.</summary>
    private static string Unescape(ReadOnlySpan<char> content)
    {
        var builder = new StringBuilder(content.Length);
        for (var i = 0; i < content.Length; i++)
        {
            var c = content[i];
            if (c == '"')
            {
                break;
            }

            if (c != '\\')
            {
                builder.Append(c);
                continue;
            }

            if (i + 1 >= content.Length)
            {
                break;
            }

            var escaped = content[++i];
            if (escaped == 'u')
            {
                if (i + 4 >= content.Length || !int.TryParse(content.Slice(i + 1, 4), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var unit))
                {
                    break;
                }

                builder.Append((char)unit);
                i += 4;
                continue;
            }

            builder.Append(escaped switch { 'b' => '\b', 'f' => '\f', 'n' => '\n', 'r' => '\r', 't' => '\t', _ => escaped });
        }

        return builder.ToString();
    }

    /// <summary>
    /// Copies tokens until the input ends; true when anything was redacted or scrubbed. <paramref name="dropped"/>: the
    /// input ended inside a redacted value, and the copy ends there.
    /// </summary>
    private static bool Copy(ref Utf8JsonReader reader, Utf8JsonWriter writer, RedactionRules rules, int maxChars, int nesting, out bool dropped)
    {
        dropped = false;
        var changed = false;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    writer.WriteStartObject();
                    break;
                case JsonTokenType.EndObject:
                    writer.WriteEndObject();
                    break;
                case JsonTokenType.StartArray:
                    writer.WriteStartArray();
                    break;
                case JsonTokenType.EndArray:
                    writer.WriteEndArray();
                    break;
                case JsonTokenType.PropertyName:
                    var name = reader.GetString()!;
                    writer.WritePropertyName(name);
                    if (rules.IsSensitiveLastSegment(name))
                    {
                        writer.WriteStringValue(PayloadTagValues.Redacted);
                        changed = true;

                        // The value is dropped unread; when the input ends inside it, so does the copy.
                        if (!reader.TrySkip())
                        {
                            dropped = true;
                            return true;
                        }
                    }

                    break;
                case JsonTokenType.String:
                    var value = reader.GetString()!;
                    var scrubbed = SecretText.Scrub(value, rules, maxChars, nesting - 1);
                    changed |= !ReferenceEquals(scrubbed, value);
                    writer.WriteStringValue(scrubbed);
                    break;
                case JsonTokenType.Number:
                    writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                    break;
                case JsonTokenType.True:
                    writer.WriteBooleanValue(true);
                    break;
                case JsonTokenType.False:
                    writer.WriteBooleanValue(false);
                    break;
                case JsonTokenType.Null:
                    writer.WriteNullValue();
                    break;
            }
        }

        return changed;
    }
}
