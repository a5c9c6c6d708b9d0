// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Invocation;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>DynamoDB Streams: the <c>aws.dynamodb</c> inferred span from <c>Records[0]</c>.</summary>
internal static class DynamoDbTrigger
{
    public static void Describe(TriggerDescription trigger, LambdaSettings settings, FunctionInfo function)
    {
        if (!trigger.Root.TryGetFirstRecord("Records", out var record))
        {
            return;
        }

        var arn = record.GetString("eventSourceARN");
        trigger.EventSourceArn = arn;
        var table = TableName(arn);
        record.TryGetObject("dynamodb", out var dynamodb);
        var span = new InferredSpanSpec
        {
            OperationName = "aws.dynamodb",
            Service = ServiceNames.Resolve(settings, table, "lambda_dynamodb", table, "dynamodb"),
            Resource = table ?? "dynamodb",
            Start = EventTime.FromEpochSeconds(dynamodb, "ApproximateCreationDateTime"),
        };
        span.Tag("tablename", table);
        span.Tag("event_source_arn", arn);
        span.Tag("event_id", record.GetString("eventID"));
        span.Tag("event_name", record.GetString("eventName"));
        span.Tag("event_version", record.GetString("eventVersion"));
        span.Tag("stream_view_type", dynamodb.GetString("StreamViewType"));
        span.Tag("size_bytes", dynamodb.GetScalarText("SizeBytes"));
        span.Tag("db.system", "dynamodb");
        span.Tag("messaging.batch.message_count", trigger.Root.TryGetArray("Records", out var records) ? (long)records.GetArrayLength() : 1L);
        trigger.InferredSpans.Add(span);
    }

    /// <summary>The table in <c>arn:aws:dynamodb:{region}:{account}:table/{name}/stream/{label}</c>.</summary>
    internal static string? TableName(string? arn)
    {
        if (arn is null)
        {
            return null;
        }

        var parts = arn.Split('/');
        return parts.Length > 1 && parts[1].Length > 0 ? parts[1] : null;
    }
}
