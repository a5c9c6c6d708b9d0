// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Events;
using Datadog.Otel.Lambda.Extraction;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// SNS: the <c>aws.sns</c> inferred span from <c>Records[0].Sns</c>, the context of its <c>_datadog</c> message attribute,
/// and links to the other records' contexts. The same span and carrier describe an SNS notification delivered to an SQS
/// queue (<see cref="SnsMessage"/>, read by <see cref="SqsSource"/>).
/// </summary>
internal sealed class SnsSource : TriggerSource
{
    private SnsMessage message = null!;
    private int sns;

    public SnsSource()
        : base(TriggerKind.Sns)
    {
    }

    public override string EventSource => "sns";

    public override string FaasTrigger => "pubsub";

    public override string RecordEventSource => "aws:sns";

    public override bool LinksBatchRecords => true;

    public override void Declare(TriggerSchema schema)
    {
        this.sns = schema.RecordField("Sns");
        this.message = new SnsMessage(schema.Record, "Sns");
    }

    public override bool Matches(TriggerContext context) => context.Registry.RecordIs(context, this, this.sns);

    public override void Describe(TriggerContext context)
    {
        var record = context.FirstRecord;
        if (!record.IsObject(this.sns))
        {
            return;
        }

        var topicArn = record.String(this.message.TopicArn);
        context.EventSourceArn = topicArn;
        context.AddSpan(this.message.Span(context, record, topicArn, eventEnd: null, [new("messaging.batch.message_count", (long)context.RecordCount)]));
        if (context.ExtractsFromEvent)
        {
            context.Upstream = this.message.Extract(context, record, "sns");
        }
    }

    public override UpstreamContext? RecordContext(TriggerContext context, int index)
    {
        var record = context.Fields.Record(index);
        return record.IsObject(this.sns) ? this.message.Extract(context, record, "sns") : null;
    }
}
