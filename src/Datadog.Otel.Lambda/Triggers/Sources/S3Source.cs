// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.SpanPointers;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// S3 event notifications: the <c>aws.s3</c> inferred span from <c>Records[0]</c>, and a span pointer from every record
/// of a created object to the producer's <c>PutObject</c>/<c>CopyObject</c>/<c>CompleteMultipartUpload</c> span (bucket,
/// key, ETag). Keys are hashed as the notification spells them (URL-encoded), as Datadog does.
/// </summary>
internal sealed class S3Source : TriggerSource
{
    private int s3;
    private int bucket;
    private int @object;
    private int bucketName;
    private int bucketArn;
    private int key;
    private int size;
    private int eTag;
    private int eventName;
    private int eventTime;

    public S3Source()
        : base(TriggerKind.S3)
    {
    }

    public override string EventSource => "s3";

    public override string FaasTrigger => "datasource";

    public override string RecordEventSource => "aws:s3";

    public override void Declare(TriggerSchema schema)
    {
        this.s3 = schema.RecordField("s3");
        this.bucket = schema.RecordField("s3", "bucket");
        this.@object = schema.RecordField("s3", "object");
        this.bucketName = schema.RecordField("s3", "bucket", "name");
        this.bucketArn = schema.RecordField("s3", "bucket", "arn");
        this.key = schema.RecordField("s3", "object", "key");
        this.size = schema.RecordField("s3", "object", "size");
        this.eTag = schema.RecordField("s3", "object", "eTag");
        this.eventName = schema.RecordField("eventName");
        this.eventTime = schema.RecordField("eventTime");
    }

    public override bool Matches(TriggerContext context) => context.Registry.RecordIs(context, this, this.s3);

    public override void Describe(TriggerContext context)
    {
        var record = context.FirstRecord;
        var name = record.String(this.bucketName);
        var arn = record.String(this.bucketArn);
        context.EventSourceArn = arn;
        var tags = default(TagBuffer);
        tags.Add("event_name", record.String(this.eventName));
        tags.Add("bucketname", name);
        tags.Add("bucket_arn", arn);
        tags.Add("object_key", record.String(this.key));
        tags.Add("object_size", record.ScalarText(this.size));
        tags.Add("object_etag", record.String(this.eTag));
        context.AddSpan(new InferredSpanPlan
        {
            OperationName = "aws.s3",
            Service = ServiceNames.Resolve(context.Settings, name, "lambda_s3", name, "s3"),
            Resource = name ?? "s3",
            EventStart = EventTime.FromIso(record, this.eventTime),
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
            if (!record.IsObject(context.Registry.Schema.RecordSelf) || record.String(this.eventName) is not { } name
                || !name.StartsWith("ObjectCreated", StringComparison.Ordinal)
                || !record.IsObject(this.s3) || !record.IsObject(this.bucket) || !record.IsObject(this.@object))
            {
                continue;
            }

            if (S3SpanPointer.TryComputeHash(record.String(this.bucketName), record.String(this.key), record.String(this.eTag), out var hash))
            {
                (context.SpanPointers ??= []).Add(SpanPointerLink.Create(SpanPointerAttributes.KindS3Object, SpanPointerAttributes.DirectionUpstream, hash));
            }
        }
    }
}
