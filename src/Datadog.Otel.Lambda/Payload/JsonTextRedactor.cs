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
    public static string? Redact(string text, RedactionRules rules, int maxChars, int nesting)
    {
        var readChars = Math.Min(text.Length, maxChars + 1024);
        var complete = readChars == text.Length;
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
            var changed = false;
            using (var writer = new Utf8JsonWriter(output, WriterOptions))
            {
                try
                {
                    changed = Copy(ref reader, writer, rules, maxChars, nesting);
                    writer.Flush();
                }
                catch (JsonException)
                {
                    return null;
                }
            }

            if (!changed)
            {
                return text;
            }

            var redacted = Encoding.UTF8.GetString(output.WrittenSpan);
            return PayloadText.Truncate(redacted.Length <= maxChars ? redacted : redacted[..maxChars]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input);
        }
    }

    /// <summary>Copies tokens until the input ends; true when anything was redacted or scrubbed.</summary>
    private static bool Copy(ref Utf8JsonReader reader, Utf8JsonWriter writer, RedactionRules rules, int maxChars, int nesting)
    {
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
