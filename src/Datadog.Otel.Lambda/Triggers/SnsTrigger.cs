// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Invocation;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>SNS: the <c>aws.sns</c> inferred span, from <c>Records[0].Sns</c> or from an SNS envelope inside an SQS body.</summary>
internal static class SnsTrigger
{
    public static void Describe(TriggerDescription trigger, LambdaSettings settings, FunctionInfo function)
    {
        if (!trigger.Root.TryGetArray("Records", out var records) || records.GetArrayLength() == 0
            || !records[0].TryGetObject("Sns", out var sns))
        {
            return;
        }

        var topicArn = sns.GetString("TopicArn");
        trigger.EventSourceArn = topicArn;
        var span = CreateSpan(settings, sns, topicArn);
        span.Tag("event_subscription_arn", records[0].GetString("EventSubscriptionArn"));
        span.Tag("messaging.batch.message_count", (long)records.GetArrayLength());
        trigger.InferredSpans.Add(span);
    }

    /// <summary>The span for an SNS message object (<c>Records[0].Sns</c>, or a notification delivered to SQS).</summary>
    public static InferredSpanSpec CreateSpan(LambdaSettings settings, JsonElement message, string? topicArn)
    {
        var topic = ServiceNames.LastArnSegment(topicArn);
        var span = new InferredSpanSpec
        {
            OperationName = "aws.sns",
            Service = ServiceNames.Resolve(settings, topic, "lambda_sns", topic, "sns"),
            Resource = topic ?? "sns",
            Start = EventTime.FromIso(message, "Timestamp"),
        };
        span.Tag("topicname", topic);
        span.Tag("topic_arn", topicArn);
        span.Tag("message_id", message.GetString("MessageId"));
        span.Tag("type", message.GetString("Type"));
        span.Tag("subject", message.GetString("Subject"));
        span.Tag("messaging.system", "aws_sns");
        span.Tag("messaging.destination.name", topic);
        return span;
    }
}
