// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda.Events;
using Datadog.Otel.Lambda.Extraction;
using Datadog.Otel.Lambda.Internal;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// SQS: the <c>aws.sqs</c> inferred span from <c>Records[0]</c>, the context of the message, and links to the other
/// records' contexts. When the message body is an SNS notification (SNS→SQS) or an EventBridge event (EventBridge→SQS), a
/// second inferred span for that service wraps <c>aws.sqs</c>: it starts at the body's own timestamp and ends when SQS
/// received the message. A message's context is, in order: its <c>_datadog</c> attribute (set by the sender, or by SNS
/// with raw message delivery), the envelope's carrier, and a Datadog context in <c>AWSTraceHeader</c> (tracers that write
/// X-Ray headers, such as dd-trace-java, put one there).
/// </summary>
internal sealed class SqsSource : TriggerSource
{
    private static readonly ArnNameCache Queues = new();
    private static readonly object[] BoxedBatchSizes = [0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L];
    private static readonly Envelope Envelopes = new();

    private MessageAttributeCarrier carrier = null!;
    private int eventSourceArn;
    private int receiptHandle;
    private int body;
    private int sentTimestamp;
    private int senderId;
    private int traceHeader;

    public SqsSource()
        : base(TriggerKind.Sqs)
    {
    }

    public override string EventSource => "sqs";

    public override string FaasTrigger => "pubsub";

    public override string RecordEventSource => "aws:sqs";

    public override bool LinksBatchRecords => true;

    public override void Declare(TriggerSchema schema)
    {
        this.eventSourceArn = schema.RecordField("eventSourceARN");
        this.receiptHandle = schema.RecordField("receiptHandle");
        this.body = schema.RecordField("body");
        this.sentTimestamp = schema.RecordField("attributes", "SentTimestamp");
        this.senderId = schema.RecordField("attributes", "SenderId");
        this.traceHeader = schema.RecordField("attributes", "AWSTraceHeader");
        this.carrier = new MessageAttributeCarrier(schema.Record, "messageAttributes", "_datadog");
    }

    public override bool Matches(TriggerContext context) => context.Registry.RecordIs(context, this);

    public override void Describe(TriggerContext context)
    {
        var record = context.FirstRecord;
        var arn = Queues.Read(record, this.eventSourceArn, out var queue);
        context.EventSourceArn = arn;
        var sent = EventTime.FromEpochMilliseconds(record, this.sentTimestamp);

        // The first record's body is read once, for its envelope's span and for the message's context.
        var envelope = this.ReadEnvelope(context, record);
        try
        {
            if (envelope is not null)
            {
                var view = envelope.Root;
                if (view.StringEquals(Envelopes.Sns.Type, "Notification"u8) && view.String(Envelopes.Sns.TopicArn) is { } topicArn)
                {
                    context.AddSpan(Envelopes.Sns.Span(context, view, topicArn, sent, []));
                }
                else if (view.IsTruthy(Envelopes.EventBridge.DetailType) && view.IsString(Envelopes.EventBridge.Source))
                {
                    context.AddSpan(Envelopes.EventBridge.Span(context, view, sent));
                }
            }

            var count = context.RecordCount;
            var tags = default(TagBuffer);
            tags.Add("queuename", queue);
            tags.Add("event_source_arn", arn);
            tags.Add("receipt_handle", record.String(this.receiptHandle));
            tags.Add("sender_id", record.String(this.senderId));
            tags.Add("messaging.system", "aws_sqs");
            tags.Add("messaging.destination.name", queue);
            tags.Add("messaging.operation.type", "receive");
            tags.Add("messaging.batch.message_count", count < BoxedBatchSizes.Length ? BoxedBatchSizes[count] : (long)count);
            context.AddSpan(new InferredSpanPlan
            {
                OperationName = "aws.sqs",
                Service = ServiceNames.Resolve(context.Settings, queue, "lambda_sqs", queue, "sqs"),
                Resource = queue ?? "sqs",
                EventStart = sent,
                Tags = tags.ToArray(),
            });

            if (context.ExtractsFromEvent)
            {
                context.Upstream = this.MessageContext(context, record, envelope);
            }
        }
        finally
        {
            envelope?.Return();
        }
    }

    public override UpstreamContext? RecordContext(TriggerContext context, int index)
    {
        var record = context.Fields.Record(index);

        // The attribute first: a record's body is read only when the attribute has no context.
        if (this.FromAttribute(context, record) is { } fromAttribute)
        {
            return fromAttribute;
        }

        var envelope = this.ReadEnvelope(context, record);
        try
        {
            return this.FromEnvelope(context, envelope) ?? this.FromTraceHeader(record);
        }
        finally
        {
            envelope?.Return();
        }
    }

    private UpstreamContext? MessageContext(TriggerContext context, in EventView record, EventFields? envelope) =>
        this.FromAttribute(context, record) ?? this.FromEnvelope(context, envelope) ?? this.FromTraceHeader(record);

    private UpstreamContext? FromAttribute(TriggerContext context, in EventView record) =>
        this.carrier.TryDecode(context, record) is { } headers && context.Extractor.FromHeaderMap(headers, "sqs") is { HasParent: true } found ? found : null;

    private UpstreamContext? FromEnvelope(TriggerContext context, EventFields? envelope)
    {
        if (envelope is null)
        {
            return null;
        }

        var view = envelope.Root;
        if (view.StringEquals(Envelopes.Sns.Type, "Notification"u8) && view.IsString(Envelopes.Sns.TopicArn)
            && Envelopes.Sns.Extract(context, view, "sns-sqs") is { HasParent: true } fromSns)
        {
            return fromSns;
        }

        return Envelopes.EventBridge.Extract(context, view, EventReader.EmbeddedOptions, "eventbridge-sqs") is { HasParent: true } fromEventBridge ? fromEventBridge : null;
    }

    private UpstreamContext? FromTraceHeader(in EventView record) =>
        record.String(this.traceHeader) is { } header && XRayContext.TryReadDatadogContext(header, out var context)
            ? new UpstreamContext(context, UpstreamSource.Event) { Carrier = "sqs-awstraceheader" }
            : null;

    /// <summary>
    /// The JSON object in a record's body when it can be an SNS or EventBridge envelope (the only bodies tracing reads).
    /// Application bodies are the common case: they are recognised without reading them. Member names written with \u
    /// escapes are not recognised; no AWS service writes them that way.
    /// </summary>
    private EventFields? ReadEnvelope(TriggerContext context, in EventView record)
    {
        if (!record.IsString(this.body))
        {
            return null;
        }

        var raw = record.Raw(this.body);
        if (raw.IndexOf("TopicArn"u8) < 0 && raw.IndexOf("detail-type"u8) < 0)
        {
            return null;
        }

        if (!EmbeddedJson.TryGetObjectText(context, record, this.body, EmbeddedJson.MaxObjectChars, out var json) || !EmbeddedJson.FitsOneParse(json.Span))
        {
            return null;
        }

        var fields = EventFields.Rent(Envelopes.Schema, json);
        if (EventReader.Read(json.Span, Envelopes.Schema, fields, EventReader.EmbeddedOptions) && fields.RootKind == JsonTokenType.StartObject)
        {
            return fields;
        }

        fields.Return();
        return null;
    }

    /// <summary>What tracing reads of a message body that is an SNS notification or an EventBridge event.</summary>
    private sealed class Envelope
    {
        public Envelope()
        {
            this.Schema = new EventSchema();
            this.Sns = new SnsMessage(this.Schema);
            this.EventBridge = new EventBridgeMessage(this.Schema);
            this.Schema.Freeze();
        }

        public EventSchema Schema { get; }

        public SnsMessage Sns { get; }

        public EventBridgeMessage EventBridge { get; }
    }
}
