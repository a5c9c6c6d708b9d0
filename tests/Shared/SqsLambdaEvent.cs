// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Amazon.SQS.Model;

namespace Datadog.Otel.Lambda.TestSupport;

/// <summary>
/// The SQS event Lambda's event source mapping builds from received messages (camelCase fields, system attributes as
/// strings, message attributes as <c>stringValue</c>/<c>binaryValue</c> with empty list values), for invoking a
/// consumer with messages an emulator really delivered.
/// </summary>
internal static class SqsLambdaEvent
{
    public static MemoryStream From(IEnumerable<Message> messages, string queueArn)
    {
        var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("Records");
            foreach (var message in messages)
            {
                WriteRecord(writer, message, queueArn);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        stream.Position = 0;
        return stream;
    }

    private static void WriteRecord(Utf8JsonWriter writer, Message message, string queueArn)
    {
        writer.WriteStartObject();
        writer.WriteString("messageId", message.MessageId);
        writer.WriteString("receiptHandle", message.ReceiptHandle);
        writer.WriteString("body", message.Body);
        writer.WriteStartObject("attributes");
        foreach (var pair in message.Attributes ?? [])
        {
            writer.WriteString(pair.Key, pair.Value);
        }

        writer.WriteEndObject();
        writer.WriteStartObject("messageAttributes");
        foreach (var pair in message.MessageAttributes ?? [])
        {
            writer.WriteStartObject(pair.Key);
            if (pair.Value.StringValue is { } text)
            {
                writer.WriteString("stringValue", text);
            }

            if (pair.Value.BinaryValue is { } binary)
            {
                writer.WriteBase64String("binaryValue", binary.ToArray());
            }

            writer.WriteStartArray("stringListValues");
            writer.WriteEndArray();
            writer.WriteStartArray("binaryListValues");
            writer.WriteEndArray();
            writer.WriteString("dataType", pair.Value.DataType);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteString("md5OfBody", message.MD5OfBody);
        writer.WriteString("eventSource", "aws:sqs");
        writer.WriteString("eventSourceARN", queueArn);
        writer.WriteString("awsRegion", queueArn.Split(':') is { Length: > 3 } parts ? parts[3] : "us-east-1");
        writer.WriteEndObject();
    }
}
