// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Datadog.Otel.Lambda.AwsSdk.Injection;

/// <summary>
/// Adds <c>"_datadog":{carrier}</c> to a JSON object held as text (an EventBridge Detail, a Step Functions input, a
/// Kinesis record): only when the whole text is one JSON object without a top-level <c>_datadog</c>. The member goes
/// right after the opening brace, so the rest (including a trailing newline) is kept byte for byte.
/// </summary>
internal static class DatadogMember
{
    public static byte[]? AddTo(ReadOnlySpan<byte> json, byte[] carrier, out string? skipped)
    {
        skipped = null;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        int open;
        var empty = true;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                skipped = "the payload is not a JSON object";
                return null;
            }

            open = (int)reader.TokenStartIndex;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                empty = false;
                if (reader.ValueTextEquals("_datadog"u8))
                {
                    skipped = "the payload already has _datadog";
                    return null;
                }

                reader.Read();
                reader.Skip();
            }

            if (reader.Read())
            {
                skipped = "the payload has more than one JSON value";
                return null;
            }
        }
        catch (JsonException)
        {
            skipped = "the payload is not JSON";
            return null;
        }

        var member = new byte[carrier.Length + (empty ? 11 : 12)];
        "\"_datadog\":"u8.CopyTo(member);
        carrier.CopyTo(member.AsSpan(11));
        if (!empty)
        {
            member[^1] = (byte)',';
        }

        var splice = new JsonSplice();
        splice.Insert(open + 1, member);
        return splice.Apply(json);
    }

    /// <summary>A JSON string token's text as the quoted, escaped JSON string that replaces it.</summary>
    public static byte[] Quote(ReadOnlySpan<byte> utf8)
    {
        var buffer = new ArrayBufferWriter<byte>(utf8.Length + 64);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStringValue(utf8);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
