// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Invocation;
using Datadog.Otel.Lambda.SpanPointers;

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
        var table = DynamoDbSpanPointer.TryGetTableName(arn, out var name) ? name : null;
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
        if (settings.AddSpanPointers)
        {
            AddSpanPointers(trigger, settings.MaxBatchLinks);
        }
    }

    /// <summary>Every stream record points at the producer's write of that item (table and primary key).</summary>
    private static void AddSpanPointers(TriggerDescription trigger, int max)
    {
        if (!trigger.Root.TryGetArray("Records", out var records))
        {
            return;
        }

        foreach (var record in records.EnumerateArray())
        {
            if (trigger.SpanPointers?.Count >= max)
            {
                return;
            }

            if (!DynamoDbSpanPointer.TryGetTableName(record.GetString("eventSourceARN"), out var table)
                || !record.TryGetObject("dynamodb", out var dynamodb) || !dynamodb.TryGetObject("Keys", out var keys))
            {
                continue;
            }

            if (DynamoDbSpanPointer.TryComputeHash(table, keys, out var hash))
            {
                (trigger.SpanPointers ??= new()).Add(SpanPointerLink.Create(SpanPointerAttributes.KindDynamoDbItem, SpanPointerAttributes.DirectionUpstream, hash));
            }
        }
    }
}
