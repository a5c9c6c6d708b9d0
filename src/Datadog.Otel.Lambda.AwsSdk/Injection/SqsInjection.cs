// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers;
using System.Text.Json;
using Datadog.Otel.Lambda.Diagnostics;

namespace Datadog.Otel.Lambda.AwsSdk.Injection;

/// <summary>
/// SQS over its JSON protocol (AWSSDK.SQS 4.x): <c>SendMessage</c> and every <c>SendMessageBatch</c> entry get the
/// <c>_datadog</c> String attribute; <c>ReceiveMessage</c> asks for it.
/// <para>
/// A message is left alone when it already has <c>_datadog</c> or the new attribute would exceed SQS's limits (10
/// attributes; 1 MiB for the message and, in a batch, for all entries together, from where the earliest entry that
/// would pass it on: that one and those after it are sent unchanged). Sizes are counted as the marshalled JSON bytes,
/// never fewer than what SQS counts (body, attribute names, types and values). AWSSDK.SQS checks the MD5 of the attributes the service stored against the typed request's
/// attributes when the request has some; for such messages the caller passes a list that receives the MD5 correction
/// <see cref="Pipeline.BufferedResponse"/> applies to the response, and without one (or with list values, whose MD5 is not
/// computed here) they are left alone too.
/// </para>
/// </summary>
internal static class SqsInjection
{
    /// <summary>SQS's message size limit (body and attributes), and a batch's (all entries), 1 MiB since 2026.</summary>
    internal const int MaxMessageBytes = 1024 * 1024;

    private const int MaxAttributes = 10;

    private const string UserAttributesReason =
        "the message has attributes AWSSDK.SQS verifies by MD5 that could not be accounted for (list values): add _datadog with DatadogPropagation.GetTraceHeaders()";

    private static int userAttributesReported;

    public static byte[]? SendMessage(byte[] content, byte[] carrier, bool batch, List<SqsMd5Fix>? md5Fixes = null)
    {
        var attribute = AttributeMember(carrier);
        var splice = new JsonSplice();
        var reader = new Utf8JsonReader(content);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        // What a batch may still grow by: the body's JSON bytes over-count its entries (the queue URL, ids, syntax).
        long room = MaxMessageBytes - (long)content.Length;
        if (!batch)
        {
            room = long.MaxValue;
            Message(ref reader, splice, attribute, content, md5Fixes, batch: false, ref room);
        }
        else
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var entries = reader.ValueTextEquals("Entries"u8);
                reader.Read();
                if (entries && reader.TokenType == JsonTokenType.StartArray)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                    {
                        Message(ref reader, splice, attribute, content, md5Fixes, batch: true, ref room);
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        return splice.Count == 0 ? null : splice.Apply(content);
    }

    /// <summary>Adds <c>_datadog</c> to <c>MessageAttributeNames</c> unless it, <c>All</c> or <c>.*</c> is there.</summary>
    public static byte[]? ReceiveMessage(byte[] content)
    {
        var reader = new Utf8JsonReader(content);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        var rootStart = (int)reader.TokenStartIndex + 1;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var names = reader.ValueTextEquals("MessageAttributeNames"u8);
            reader.Read();
            if (!names)
            {
                reader.Skip();
                continue;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                return null;
            }

            var arrayStart = (int)reader.TokenStartIndex + 1;
            var empty = true;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                empty = false;
                if (reader.TokenType == JsonTokenType.String
                    && (reader.ValueTextEquals("_datadog"u8) || reader.ValueTextEquals("All"u8) || reader.ValueTextEquals(".*"u8)))
                {
                    return null;
                }
            }

            var splice = new JsonSplice();
            splice.Insert(arrayStart, empty ? "\"_datadog\""u8.ToArray() : "\"_datadog\","u8.ToArray());
            return splice.Apply(content);
        }

        var rootSplice = new JsonSplice();
        rootSplice.Insert(rootStart, content.Length > 2 ? "\"MessageAttributeNames\":[\"_datadog\"],"u8.ToArray() : "\"MessageAttributeNames\":[\"_datadog\"]"u8.ToArray());
        return rootSplice.Apply(content);
    }

    /// <summary>
    /// The MD5 the service will return for the attributes with <c>_datadog</c>, and the one AWSSDK.SQS expects (the
    /// user's attributes only); null when either cannot be computed (list values), and then nothing is injected.
    /// </summary>
    private static SqsMd5Fix? Md5Fix(ReadOnlySpan<byte> userAttributes, byte[] attribute, string? id)
    {
        var splice = new JsonSplice();
        splice.Insert(1, Comma(attribute));
        using var user = JsonDocument.Parse(userAttributes.ToArray());
        using var sent = JsonDocument.Parse(splice.Apply(userAttributes));
        return SqsAttributeMd5.Compute(user.RootElement) is { } expected && SqsAttributeMd5.Compute(sent.RootElement) is { } withDatadog
            ? new SqsMd5Fix(id, withDatadog, expected)
            : null;
    }

    private static byte[] Comma(byte[] member)
    {
        var result = new byte[member.Length + 1];
        member.CopyTo(result, 0);
        result[^1] = (byte)',';
        return result;
    }

    /// <summary><c>"_datadog":{"DataType":"String","StringValue":"…"}</c>, the carrier as an escaped JSON string.</summary>
    private static byte[] AttributeMember(byte[] carrier)
    {
        var buffer = new ArrayBufferWriter<byte>(carrier.Length + 96);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("_datadog"u8);
            writer.WriteString("DataType"u8, "String"u8);
            writer.WriteString("StringValue"u8, System.Text.Encoding.UTF8.GetString(carrier));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan[1..^1].ToArray();
    }

    /// <summary>
    /// Decides for the message object the reader is at (its start) and leaves the reader at its end. <paramref name="room"/>
    /// is what the batch may still grow by, negative once an entry did not fit (no later entry is injected then).
    /// </summary>
    private static void Message(ref Utf8JsonReader reader, JsonSplice splice, byte[] attribute, byte[] content, List<SqsMd5Fix>? md5Fixes, bool batch, ref long room)
    {
        var messageStart = (int)reader.TokenStartIndex;
        var attributesStart = -1;
        var attributesEnd = -1;
        var attributeCount = 0;
        var hasDatadog = false;
        var members = false;
        string? id = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            members = true;
            var isAttributes = reader.ValueTextEquals("MessageAttributes"u8);
            var isId = reader.ValueTextEquals("Id"u8);
            reader.Read();
            if (isAttributes && reader.TokenType == JsonTokenType.StartObject)
            {
                attributesStart = (int)reader.TokenStartIndex + 1;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    attributeCount++;
                    hasDatadog |= reader.ValueTextEquals("_datadog"u8);
                    reader.Read();
                    reader.Skip();
                }

                attributesEnd = (int)reader.BytesConsumed;
            }
            else if (isId && reader.TokenType == JsonTokenType.String)
            {
                id = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }

        if (room < 0)
        {
            return;
        }

        // The bytes the injection adds: after the user's attributes (with a comma), into an empty map, or a new map.
        var added = attributeCount > 0 ? attribute.Length + 1
            : attributesStart >= 0 ? attribute.Length
            : attribute.Length + "\"MessageAttributes\":{},".Length;
        var messageBytes = (int)reader.BytesConsumed - messageStart;
        string? reason = hasDatadog ? "the message already has a _datadog attribute"
            : attributeCount >= MaxAttributes ? "the message already has 10 attributes"
            : (long)messageBytes + added > MaxMessageBytes ? "the message would exceed the SQS size limit"
            : null;
        if (reason is null && added > room)
        {
            room = -1;
            reason = "the batch would exceed the SQS size limit (this entry and the ones after it are sent unchanged)";
        }

        if (reason is not null)
        {
            Diag.InjectionSkipped("SQS message", reason);
            return;
        }

        if (attributeCount > 0 && md5Fixes is not null && (id is not null || !batch)
            && Md5Fix(content.AsSpan(attributesStart - 1, attributesEnd - attributesStart + 1), attribute, id) is { } fix)
        {
            md5Fixes.Add(fix);
            splice.Insert(attributesStart, Comma(attribute));
            room -= added;
            return;
        }

        if (attributeCount > 0)
        {
            // Common and expected for applications that use attributes: say it once at warning level, then at debug.
            if (Interlocked.Exchange(ref userAttributesReported, 1) == 0)
            {
                Diag.InjectionSkipped("SQS message", UserAttributesReason + " (reported once; see docs/aws-sdk.md)");
            }
            else
            {
                Diag.Debug("inject", UserAttributesReason);
            }

            return;
        }

        room -= added;
        if (attributesStart >= 0)
        {
            splice.Insert(attributesStart, attribute);
        }
        else
        {
            // The comma separates the new member from the message's first one; a message with none ({}) takes it without.
            var member = new byte[attribute.Length + (members ? "\"MessageAttributes\":{},".Length : "\"MessageAttributes\":{}".Length)];
            "\"MessageAttributes\":{"u8.CopyTo(member);
            attribute.CopyTo(member.AsSpan("\"MessageAttributes\":{".Length));
            (members ? "},"u8 : "}"u8).CopyTo(member.AsSpan(member.Length - (members ? 2 : 1)));
            splice.Insert(messageStart + 1, member);
        }
    }
}
