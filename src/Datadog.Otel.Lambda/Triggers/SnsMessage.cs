// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Events;
using Datadog.Otel.Lambda.Extraction;
using Datadog.Otel.Lambda.Internal;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// An SNS message object, wherever it is (<c>Records[0].Sns</c>, or a notification delivered to SQS): the members the
/// <c>aws.sns</c> span is made of, and the <c>_datadog</c> message attribute that carries the publisher's context.
/// </summary>
internal sealed class SnsMessage
{
    private readonly int timestamp;
    private readonly int messageId;
    private readonly int subject;
    private readonly MessageAttributeCarrier carrier;

    /// <param name="schema">The schema the message is read with.</param>
    /// <param name="path">The path of the message object (none: the document itself).</param>
    public SnsMessage(EventSchema schema, params string[] path)
    {
        this.TopicArn = schema.Field([.. path, "TopicArn"]);
        this.Type = schema.Field([.. path, "Type"]);
        this.timestamp = schema.Field([.. path, "Timestamp"]);
        this.messageId = schema.Field([.. path, "MessageId"]);
        this.subject = schema.Field([.. path, "Subject"]);
        this.carrier = new MessageAttributeCarrier(schema, [.. path, "MessageAttributes", "_datadog"]);
    }

    public int TopicArn { get; }

    public int Type { get; }

    /// <summary>
    /// The <c>aws.sns</c> span: named after the topic, starting at the message's <c>Timestamp</c>; <paramref name="extraTags"/>
    /// follow its own.
    /// </summary>
    public InferredSpanPlan Span(TriggerContext context, in EventView view, string? topicArn, DateTimeOffset? eventEnd, ReadOnlySpan<KeyValuePair<string, object?>> extraTags)
    {
        var topic = ServiceNames.LastArnSegment(topicArn);
        var tags = default(TagBuffer);
        tags.Add("topicname", topic);
        tags.Add("topic_arn", topicArn);
        tags.Add("message_id", view.String(this.messageId));
        tags.Add("type", view.String(this.Type));

        // Python writes the subject only when there is one (an empty Subject is none).
        if (view.String(this.subject) is { Length: > 0 } subject)
        {
            tags.Add("subject", subject);
        }

        tags.Add("messaging.system", "aws_sns");
        tags.Add("messaging.destination.name", topic);
        foreach (var tag in extraTags)
        {
            tags.Add(tag.Key, tag.Value);
        }

        return new InferredSpanPlan
        {
            OperationName = "aws.sns",
            Service = ServiceNames.Resolve(context.Settings, topic, "lambda_sns", topic, "sns"),
            Resource = topic ?? "sns",
            EventStart = EventTime.FromIso(view, this.timestamp),
            EventEnd = eventEnd,
            Tags = tags.ToArray(),
        };
    }

    /// <summary>The context of the message's <c>_datadog</c> attribute.</summary>
    public UpstreamContext? Extract(TriggerContext context, in EventView view, string carrierName) =>
        this.carrier.TryDecode(context, view) is { } headers ? context.Extractor.FromHeaderMap(headers, carrierName) : null;
}
