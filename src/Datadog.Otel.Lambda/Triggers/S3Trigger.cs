// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Invocation;
using Datadog.Otel.Lambda.SpanPointers;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>S3 event notifications: the <c>aws.s3</c> inferred span from <c>Records[0]</c>.</summary>
internal static class S3Trigger
{
    public static void Describe(TriggerDescription trigger, LambdaSettings settings, FunctionInfo function)
    {
        if (!trigger.Root.TryGetFirstRecord("Records", out var record))
        {
            return;
        }

        record.TryGetObject("s3", out var s3);
        s3.TryGetObject("bucket", out var bucket);
        s3.TryGetObject("object", out var s3Object);
        var bucketName = bucket.GetString("name");
        var bucketArn = bucket.GetString("arn");
        trigger.EventSourceArn = bucketArn;
        var span = new InferredSpanSpec
        {
            OperationName = "aws.s3",
            Service = ServiceNames.Resolve(settings, bucketName, "lambda_s3", bucketName, "s3"),
            Resource = bucketName ?? "s3",
            Start = EventTime.FromIso(record, "eventTime"),
        };
        span.Tag("event_name", record.GetString("eventName"));
        span.Tag("bucketname", bucketName);
        span.Tag("bucket_arn", bucketArn);
        span.Tag("object_key", s3Object.GetString("key"));
        span.Tag("object_size", s3Object.GetScalarText("size"));
        span.Tag("object_etag", s3Object.GetString("eTag"));
        trigger.InferredSpans.Add(span);
        if (settings.AddSpanPointers)
        {
            AddSpanPointers(trigger, settings.MaxBatchLinks);
        }
    }

    /// <summary>
    /// Every record of a created object points at the producer's <c>PutObject</c>/<c>CopyObject</c>/<c>CompleteMultipartUpload</c>
    /// span (bucket, key, ETag). Keys are hashed as the notification spells them (URL-encoded), as Datadog does.
    /// </summary>
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

            if (record.GetString("eventName") is not { } name || !name.StartsWith("ObjectCreated", StringComparison.Ordinal)
                || !record.TryGetObject("s3", out var s3) || !s3.TryGetObject("bucket", out var bucket) || !s3.TryGetObject("object", out var s3Object))
            {
                continue;
            }

            if (S3SpanPointer.TryComputeHash(bucket.GetString("name"), s3Object.GetString("key"), s3Object.GetString("eTag"), out var hash))
            {
                (trigger.SpanPointers ??= new()).Add(SpanPointerLink.Create(SpanPointerAttributes.KindS3Object, SpanPointerAttributes.DirectionUpstream, hash));
            }
        }
    }
}
