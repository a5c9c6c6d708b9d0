// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Amazon.SQS.Model;

namespace Datadog.Otel.Lambda.AwsSdk.Tests.TestSupport;

/// <summary>Lambda events built from what the emulators really returned, in the shape Lambda's event sources deliver.</summary>
internal static class LambdaEvents
{
    /// <summary>The SQS event source's record of a received message (camelCase fields, string attributes as stringValue).</summary>
    public static MemoryStream Sqs(Message message, string queueName)
    {
        var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("Records");
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
            writer.WriteString("eventSourceARN", $"arn:aws:sqs:us-east-1:000000000000:{queueName}");
            writer.WriteString("awsRegion", "us-east-1");
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        stream.Position = 0;
        return stream;
    }
}
