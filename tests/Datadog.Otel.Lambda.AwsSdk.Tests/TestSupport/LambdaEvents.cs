// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Amazon.SQS.Model;
using Datadog.Otel.Lambda.TestSupport;

namespace Datadog.Otel.Lambda.AwsSdk.Tests.TestSupport;

/// <summary>Lambda events built from what the emulators really returned, in the shape Lambda's event sources deliver.</summary>
internal static class LambdaEvents
{
    /// <summary>The SQS event source's record of a received message (camelCase fields, string attributes as stringValue).</summary>
    public static MemoryStream Sqs(Message message, string queueName) =>
        SqsLambdaEvent.From([message], $"arn:aws:sqs:us-east-1:000000000000:{queueName}");

    /// <summary>The S3 notification Lambda receives for an object the test really wrote (its key, size and unquoted ETag).</summary>
    public static MemoryStream S3(string bucket, string key, long size, string eTag) => Json(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartArray("Records");
        writer.WriteStartObject();
        writer.WriteString("eventVersion", "2.1");
        writer.WriteString("eventSource", "aws:s3");
        writer.WriteString("awsRegion", "us-east-1");
        writer.WriteString("eventTime", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
        writer.WriteString("eventName", "ObjectCreated:Put");
        writer.WriteStartObject("s3");
        writer.WriteString("s3SchemaVersion", "1.0");
        writer.WriteStartObject("bucket");
        writer.WriteString("name", bucket);
        writer.WriteString("arn", $"arn:aws:s3:::{bucket}");
        writer.WriteEndObject();
        writer.WriteStartObject("object");
        writer.WriteString("key", key);
        writer.WriteNumber("size", size);
        writer.WriteString("eTag", eTag.Trim('"'));
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    /// <summary>A DynamoDB stream INSERT record for an item the test really wrote (read back from the table).</summary>
    public static MemoryStream DynamoDbInsert(string table, string keysJson, string newImageJson) => Json(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartArray("Records");
        writer.WriteStartObject();
        writer.WriteString("eventID", "1");
        writer.WriteString("eventName", "INSERT");
        writer.WriteString("eventVersion", "1.1");
        writer.WriteString("eventSource", "aws:dynamodb");
        writer.WriteString("awsRegion", "us-east-1");
        writer.WriteStartObject("dynamodb");
        writer.WriteNumber("ApproximateCreationDateTime", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        writer.WritePropertyName("Keys");
        writer.WriteRawValue(keysJson);
        writer.WritePropertyName("NewImage");
        writer.WriteRawValue(newImageJson);
        writer.WriteString("SequenceNumber", "111");
        writer.WriteNumber("SizeBytes", 26);
        writer.WriteString("StreamViewType", "NEW_AND_OLD_IMAGES");
        writer.WriteEndObject();
        writer.WriteString("eventSourceARN", $"arn:aws:dynamodb:us-east-1:000000000000:table/{table}/stream/2026-11-25T00:00:00.000");
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    private static MemoryStream Json(Action<Utf8JsonWriter> write)
    {
        var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            write(writer);
        }

        stream.Position = 0;
        return stream;
    }
}
