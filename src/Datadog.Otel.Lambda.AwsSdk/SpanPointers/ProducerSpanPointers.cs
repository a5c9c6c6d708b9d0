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
/// S3 <c>PutObject</c> is covered: its ETag is a response header. <c>CopyObject</c> and
/// <c>CompleteMultipartUpload</c> return the ETag only in the XML body, which the SDK has consumed by then.
/// </summary>
internal static class ProducerSpanPointers
{
    public static void Add(Activity span, in AwsCall call, IExecutionContext context, AwsSdkSettings settings)
    {
        try
        {
            switch (call.Service.Kind)
            {
                case AwsService.S3 when call.Operation == "PutObject":
                    var request = call.Request;
                    if (S3Location.Bucket(request) is { } bucket
                        && S3Location.Key(request) is { } key
                        && context.ResponseContext?.HttpResponse?.GetHeaderValue("ETag") is { Length: > 0 } eTag
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
            Diag.Debug("aws-sdk", $"no span pointer for {call.Service.ServiceId}.{call.Operation}: {exception.Message}");
        }
    }
}
