// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using System.Text.Json;
using Datadog.Otel.Lambda.Events;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// MSK and self-managed Kafka, recognised by their <c>eventSource</c>: the cluster's ARN (MSK only), and the context of
/// the first record's headers (<c>records.{topic-partition}[0].headers</c>, a list of single-entry objects whose value is
/// the header's bytes as an array of numbers).
/// </summary>
internal sealed class KafkaSource : TriggerSource
{
    private const int MaxHeaderBytes = 8 * 1024;

    private int eventSource;
    private int eventSourceArn;
    private int records;

    public KafkaSource()
        : base(TriggerKind.Kafka)
    {
    }

    public override string EventSource => "kafka";

    public override string FaasTrigger => "pubsub";

    public override void Declare(TriggerSchema schema)
    {
        this.eventSource = schema.Field("eventSource");
        this.eventSourceArn = schema.Field("eventSourceArn");
        this.records = schema.Field("records");
    }

    public override bool Matches(TriggerContext context) =>
        context.Root.StringEquals(this.eventSource, "aws:kafka"u8) || context.Root.StringEquals(this.eventSource, "SelfManagedKafka"u8);

    public override void Describe(TriggerContext context)
    {
        context.EventSourceArn = context.Root.String(this.eventSourceArn);
        context.Tag("messaging.system", "kafka");
        if (context.ExtractsFromEvent && context.Root.IsObject(this.records) && FirstRecordHeaders(context.Root.Raw(this.records)) is { } headers)
        {
            context.Upstream = context.Extractor.FromHeaderDictionary(headers, "kafka-headers");
        }
    }

    /// <summary>The headers of the first record of the first partition whose first record has a header list; null when none has any.</summary>
    internal static Dictionary<string, string>? FirstRecordHeaders(ReadOnlySpan<byte> recordsJson)
    {
        try
        {
            var reader = new Utf8JsonReader(recordsJson, EventReader.EventOptions);
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }

                var found = ReadPartition(ref reader, out var headers);
                if (found)
                {
                    return headers!.Count > 0 ? headers : null;
                }
            }
        }
        catch (JsonException)
        {
            // The event was read whole before: this does not happen.
        }

        return null;
    }

    /// <summary>Reads a partition's array; true (with its headers) when its first record is an object with a header list.</summary>
    private static bool ReadPartition(ref Utf8JsonReader reader, out Dictionary<string, string>? headers)
    {
        headers = null;
        var index = 0;
        var found = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (index++ != 0 || reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isHeaders = reader.ValueTextEquals("headers"u8);
                reader.Read();
                if (!isHeaders || reader.TokenType != JsonTokenType.StartArray)
                {
                    if (isHeaders)
                    {
                        // A later "headers" member decides, as the last duplicate does in a parsed document.
                        found = false;
                        headers = null;
                    }

                    reader.Skip();
                    continue;
                }

                found = true;
                headers = ReadHeaderList(ref reader);
            }
        }

        return found;
    }

    private static Dictionary<string, string> ReadHeaderList(ref Utf8JsonReader reader)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = JsonText.GetString(reader.ValueSpan, reader.ValueIsEscaped);
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray && TryReadBytes(ref reader, out var value))
                {
                    result[name] = value;
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        return result;
    }

    /// <summary>An array of byte values (signed or not); the reader ends on the array's end either way.</summary>
    private static bool TryReadBytes(ref Utf8JsonReader reader, out string value)
    {
        value = string.Empty;
        var bytes = new List<byte>();
        var valid = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (!valid || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var b) || b is < -128 or > 255 || bytes.Count == MaxHeaderBytes)
            {
                valid = false;
                reader.Skip();
                continue;
            }

            bytes.Add(unchecked((byte)b));
        }

        if (!valid)
        {
            return false;
        }

        value = Encoding.UTF8.GetString(bytes.ToArray());
        return true;
    }
}
