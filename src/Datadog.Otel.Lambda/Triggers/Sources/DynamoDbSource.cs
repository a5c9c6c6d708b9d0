// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Events;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.SpanPointers;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// DynamoDB Streams: the <c>aws.dynamodb</c> inferred span from <c>Records[0]</c>, and a span pointer from every record
/// to the producer's write of that item (table and primary key).
/// </summary>
internal sealed class DynamoDbSource : TriggerSource
{
    private int dynamodb;
    private int eventSourceArn;
    private int eventId;
    private int eventName;
    private int eventVersion;
    private int streamViewType;
    private int sizeBytes;
    private int created;
    private int keys;

    public DynamoDbSource()
        : base(TriggerKind.DynamoDb)
    {
    }

    public override string EventSource => "dynamodb";

    public override string FaasTrigger => "datasource";

    public override string RecordEventSource => "aws:dynamodb";

    public override void Declare(TriggerSchema schema)
    {
        this.dynamodb = schema.RecordField("dynamodb");
        this.eventSourceArn = schema.RecordField("eventSourceARN");
        this.eventId = schema.RecordField("eventID");
        this.eventName = schema.RecordField("eventName");
        this.eventVersion = schema.RecordField("eventVersion");
        this.streamViewType = schema.RecordField("dynamodb", "StreamViewType");
        this.sizeBytes = schema.RecordField("dynamodb", "SizeBytes");
        this.created = schema.RecordField("dynamodb", "ApproximateCreationDateTime");
        this.keys = schema.RecordField("dynamodb", "Keys");
    }

    public override bool Matches(TriggerContext context) => context.Registry.RecordIs(context, this, this.dynamodb);

    public override void Describe(TriggerContext context)
    {
        var record = context.FirstRecord;
        var arn = record.String(this.eventSourceArn);
        context.EventSourceArn = arn;
        var table = DynamoDbSpanPointer.TryGetTableName(arn, out var name) ? name : null;
        var tags = default(TagBuffer);
        tags.Add("tablename", table);
        tags.Add("event_source_arn", arn);
        tags.Add("event_id", record.String(this.eventId));
        tags.Add("event_name", record.String(this.eventName));
        tags.Add("event_version", record.String(this.eventVersion));
        tags.Add("stream_view_type", record.String(this.streamViewType));
        tags.Add("size_bytes", record.ScalarText(this.sizeBytes));
        tags.Add("db.system", "dynamodb");
        tags.Add("messaging.batch.message_count", (long)context.RecordCount);
        context.AddSpan(new InferredSpanPlan
        {
            OperationName = "aws.dynamodb",
            Service = ServiceNames.Resolve(context.Settings, table, "lambda_dynamodb", table, "dynamodb"),
            Resource = table ?? "dynamodb",
            SpanType = "web",
            EventStart = EventTime.FromWholeEpochSeconds(record, this.created),
            Tags = tags.ToArray(),
        });

        if (context.Settings.AddSpanPointers)
        {
            this.AddSpanPointers(context);
        }
    }

    private void AddSpanPointers(TriggerContext context)
    {
        var max = context.Settings.MaxBatchLinks;
        for (var i = 0; i < context.Fields.RecordCount; i++)
        {
            if ((context.SpanPointers?.Count ?? 0) >= max)
            {
                return;
            }

            var record = context.Fields.Record(i);
            if (!record.IsObject(context.Registry.Schema.RecordSelf) || !DynamoDbSpanPointer.TryGetTableName(record.String(this.eventSourceArn), out var table)
                || !record.IsObject(this.dynamodb) || !record.IsObject(this.keys))
            {
                continue;
            }

            if (DynamoDbSpanPointer.TryComputeHashFromJson(table, record.Raw(this.keys), out var hash))
            {
                (context.SpanPointers ??= []).Add(SpanPointerLink.Create(SpanPointerAttributes.KindDynamoDbItem, SpanPointerAttributes.DirectionUpstream, hash));
            }
        }
    }
}
