// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Invocation;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// SQS: the <c>aws.sqs</c> inferred span from <c>Records[0]</c>. When the message body is an SNS notification (SNS→SQS)
/// or an EventBridge event (EventBridge→SQS), a second inferred span for that service wraps <c>aws.sqs</c>: it starts at
/// the body's own timestamp and ends when SQS received the message.
/// </summary>
internal static class SqsTrigger
{
    private static readonly ArnNameCache Queues = new();
    private static readonly object[] BoxedBatchSizes = [0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L];

    public static void Describe(TriggerDescription trigger, LambdaSettings settings, FunctionInfo function)
    {
        if (!trigger.Root.TryGetArray("Records", out var records) || records.GetArrayLength() == 0 || records[0].ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var record = records[0];
        var arn = Queues.Read(record, "eventSourceARN", out var queue);
        trigger.EventSourceArn = arn;
        record.TryGetObject("attributes", out var attributes);
        var sent = EventTime.FromEpochMilliseconds(attributes, "SentTimestamp");

        if (trigger.TryParseFirstRecordBody(record, out var body))
        {
            if (body.StringEquals("Type", "Notification") && body.GetString("TopicArn") is not null)
            {
                var sns = SnsTrigger.CreateSpan(settings, body, body.GetString("TopicArn"));
                sns.End = sent;
                trigger.InferredSpans.Add(sns);
            }
            else if (body.IsTruthy("detail-type") && body.GetString("source") is not null)
            {
                var eventBridge = EventBridgeTrigger.CreateSpan(settings, body);
                eventBridge.End = sent;
                trigger.InferredSpans.Add(eventBridge);
            }
        }

        var span = new InferredSpanSpec
        {
            OperationName = "aws.sqs",
            Service = ServiceNames.Resolve(settings, queue, "lambda_sqs", queue, "sqs"),
            Resource = queue ?? "sqs",
            Start = sent,
        };
        span.Tag("queuename", queue);
        span.Tag("event_source_arn", arn);
        span.Tag("receipt_handle", record.GetString("receiptHandle"));
        span.Tag("sender_id", attributes.GetString("SenderId"));

        span.Tag("messaging.system", "aws_sqs");
        span.Tag("messaging.destination.name", queue);
        span.Tag("messaging.operation.type", "receive");
        var count = records.GetArrayLength();
        span.Tag("messaging.batch.message_count", count < BoxedBatchSizes.Length ? BoxedBatchSizes[count] : (long)count);
        trigger.InferredSpans.Add(span);
    }
}
