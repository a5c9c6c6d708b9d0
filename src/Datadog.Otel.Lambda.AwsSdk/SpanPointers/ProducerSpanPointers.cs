// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text.Json;
using Amazon.Runtime;
using Datadog.Otel.Lambda.AwsSdk.Pipeline;
using Datadog.Otel.Lambda.AwsSdk.Services;
using Datadog.Otel.Lambda.Diagnostics;
using Datadog.Otel.Lambda.SpanPointers;

namespace Datadog.Otel.Lambda.AwsSdk.SpanPointers;

/// <summary>
/// Span pointers (<c>ptr.dir = d</c>) on the client span of a successful S3 or DynamoDB write, so that Datadog joins it to
/// the Lambda function that the S3 notification or the DynamoDB stream record invokes (which adds the <c>u</c> side).
/// S3 <c>PutObject</c> has its ETag in a response header; <c>CopyObject</c> and <c>CompleteMultipartUpload</c> in the
/// XML body, kept for this by <see cref="BufferedResponse"/> (the destination object is the one pointed at).
/// </summary>
internal static class ProducerSpanPointers
{
    public static void Add(Activity span, in AwsCall call, IExecutionContext context, AwsSdkSettings settings)
    {
        try
        {
            switch (call.Service.Kind)
            {
                case AwsService.S3 when call.Operation is "PutObject" or "CopyObject" or "CompleteMultipartUpload":
                    var request = call.Request;
                    var eTag = call.Operation == "PutObject"
                        ? context.ResponseContext?.HttpResponse?.GetHeaderValue("ETag")
                        : ResponseReaders.Body(context.RequestContext) is { } xml ? S3ETag.FromXml(xml) : null;
                    if (S3Location.Bucket(request) is { } bucket
                        && S3Location.Key(request) is { } key
                        && eTag is { Length: > 0 }
                        && S3SpanPointer.TryComputeHash(bucket, key, eTag, out var hash))
                    {
                        span.AddLink(SpanPointerLink.Create(SpanPointerAttributes.KindS3Object, SpanPointerAttributes.DirectionDownstream, hash));
                    }

                    break;
                case AwsService.DynamoDb when call.Json is { } body && call.Operation is "PutItem" or "UpdateItem" or "DeleteItem" or "BatchWriteItem" or "TransactWriteItems":
                    var hashes = new List<string>(1);
                    DynamoDbWritePointers.Collect(call.Operation, body, settings.PrimaryKeys, hashes);
                    foreach (var item in hashes)
                    {
                        span.AddLink(SpanPointerLink.Create(SpanPointerAttributes.KindDynamoDbItem, SpanPointerAttributes.DirectionDownstream, item));
                    }

                    break;
            }
        }
        catch (JsonException exception)
        {
            Diag.Debug("aws-sdk", $"no span pointer for {call.Service.ServiceId}.{call.Operation}: {Internal.ExceptionText.Message(exception, diagnostic: true)}");
        }
    }
}
