// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda.Events;
using Datadog.Otel.Lambda.Extraction;
using Datadog.Otel.Lambda.Internal;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// Kinesis Data Streams: the <c>aws.kinesis</c> inferred span from <c>Records[0]</c>; a record's context is the
/// <c>_datadog</c> member of its data, when that is base64 of a JSON object (non-JSON or compressed data is common: no
/// diagnostic, just no context); the other records' contexts become links.
/// </summary>
internal sealed class KinesisSource : TriggerSource
{
    /// <summary>Base64 characters of data decoded at most (records are at most 1 MB).</summary>
    private const int MaxDataChars = 1 << 21;

    private static readonly EventSchema Payload = new();
    private static readonly int PayloadDatadog = Payload.Field("_datadog");

    private int kinesis;
    private int eventSourceArn;
    private int eventId;
    private int eventName;
    private int eventVersion;
    private int partitionKey;
    private int arrival;
    private int data;

    static KinesisSource() => Payload.Freeze();

    public KinesisSource()
        : base(TriggerKind.Kinesis)
    {
    }

    public override string EventSource => "kinesis";

    public override string FaasTrigger => "pubsub";

    public override string RecordEventSource => "aws:kinesis";

    public override bool LinksBatchRecords => true;

    public override void Declare(TriggerSchema schema)
    {
        this.kinesis = schema.RecordField("kinesis");
        this.eventSourceArn = schema.RecordField("eventSourceARN");
        this.eventId = schema.RecordField("eventID");
        this.eventName = schema.RecordField("eventName");
        this.eventVersion = schema.RecordField("eventVersion");
        this.partitionKey = schema.RecordField("kinesis", "partitionKey");
        this.arrival = schema.RecordField("kinesis", "approximateArrivalTimestamp");
        this.data = schema.RecordField("kinesis", "data");
    }

    public override bool Matches(TriggerContext context) => context.Registry.RecordIs(context, this, this.kinesis);

    public override void Describe(TriggerContext context)
    {
        var record = context.FirstRecord;
        var arn = record.String(this.eventSourceArn);
        context.EventSourceArn = arn;

        // arn:aws:kinesis:{region}:{account}:stream/{name}
        var stream = ServiceNames.LastArnSegment(arn);
        if (stream is not null && stream.StartsWith("stream/", StringComparison.Ordinal))
        {
            stream = stream["stream/".Length..];
        }

        var id = record.String(this.eventId);

        // Python's reading: the shard is the part of the event id before the first colon (shardId-000000000000).
        var colon = id?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        var tags = default(TagBuffer);
        tags.Add("streamname", stream);
        tags.Add("shardid", colon > 0 ? id![..colon] : id);
        tags.Add("event_source_arn", arn);
        tags.Add("event_id", id);
        tags.Add("event_name", record.String(this.eventName));
        tags.Add("event_version", record.String(this.eventVersion));
        tags.Add("partition_key", record.String(this.partitionKey));
        tags.Add("messaging.system", "aws_kinesis");
        tags.Add("messaging.destination.name", stream);
        tags.Add("messaging.batch.message_count", (long)context.RecordCount);
        context.AddSpan(new InferredSpanPlan
        {
            OperationName = "aws.kinesis",
            Service = ServiceNames.Resolve(context.Settings, stream, "lambda_kinesis", stream, "kinesis"),
            Resource = stream ?? "kinesis",
            EventStart = EventTime.FromEpochSeconds(record, this.arrival),
            Tags = tags.ToArray(),
        });

        if (context.ExtractsFromEvent)
        {
            context.Upstream = this.RecordContext(context, record);
        }
    }

    public override UpstreamContext? RecordContext(TriggerContext context, int index) => this.RecordContext(context, context.Fields.Record(index));

    private UpstreamContext? RecordContext(TriggerContext context, in EventView record)
    {
        if (!record.IsObject(this.kinesis) || !EmbeddedJson.TryDecodeBase64(context, record, this.data, MaxDataChars, out var bytes)
            || !EmbeddedJson.StartsAnObject(bytes.Span) || bytes.Length > EmbeddedJson.MaxObjectChars || !EmbeddedJson.FitsOneParse(bytes.Span))
        {
            return null;
        }

        var payload = EventFields.Rent(Payload, bytes);
        try
        {
            if (!EventReader.Read(bytes.Span, Payload, payload, EventReader.EmbeddedOptions) || payload.RootKind != JsonTokenType.StartObject
                || !payload.Root.IsObject(PayloadDatadog))
            {
                return null;
            }

            return context.Map(payload.Root.RawMemory(PayloadDatadog), EventReader.EmbeddedOptions) is { } headers ? context.Extractor.FromHeaderMap(headers, "kinesis") : null;
        }
        finally
        {
            payload.Return();
        }
    }
}
