// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Invocation;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>Kinesis Data Streams: the <c>aws.kinesis</c> inferred span from <c>Records[0]</c>.</summary>
internal static class KinesisTrigger
{
    public static void Describe(TriggerDescription trigger, LambdaSettings settings, FunctionInfo function)
    {
        if (!trigger.Root.TryGetFirstRecord("Records", out var record))
        {
            return;
        }

        var arn = record.GetString("eventSourceARN");
        trigger.EventSourceArn = arn;

        // arn:aws:kinesis:{region}:{account}:stream/{name}
        var stream = ServiceNames.LastArnSegment(arn);
        if (stream is not null && stream.StartsWith("stream/", StringComparison.Ordinal))
        {
            stream = stream["stream/".Length..];
        }

        record.TryGetObject("kinesis", out var kinesis);
        var eventId = record.GetString("eventID");
        var span = new InferredSpanSpec
        {
            OperationName = "aws.kinesis",
            Service = ServiceNames.Resolve(settings, stream, "lambda_kinesis", stream, "kinesis"),
            Resource = stream ?? "kinesis",
            Start = EventTime.FromEpochSeconds(kinesis, "approximateArrivalTimestamp"),
        };
        span.Tag("streamname", stream);

        // Python's reading: the shard is the part of the event id before the first colon (shardId-000000000000).
        var colon = eventId?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        span.Tag("shardid", colon > 0 ? eventId![..colon] : eventId);
        span.Tag("event_source_arn", arn);
        span.Tag("event_id", eventId);
        span.Tag("event_name", record.GetString("eventName"));
        span.Tag("event_version", record.GetString("eventVersion"));
        span.Tag("partition_key", kinesis.GetString("partitionKey"));
        span.Tag("messaging.system", "aws_kinesis");
        span.Tag("messaging.destination.name", stream);
        span.Tag("messaging.batch.message_count", trigger.Root.TryGetArray("Records", out var records) ? (long)records.GetArrayLength() : 1L);
        trigger.InferredSpans.Add(span);
    }
}
