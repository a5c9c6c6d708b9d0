// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.AwsSdk.Pipeline;
using Datadog.Otel.Lambda.AwsSdk.Services;

namespace Datadog.Otel.Lambda.AwsSdk.Tracing;

/// <summary>
/// The tags naming what a call is about, read from the marshalled request: dd-trace's <c>queuename</c>,
/// <c>topicname</c>, <c>tablename</c>, <c>bucketname</c>, <c>streamname</c>, <c>rulename</c>, <c>statemachinearn</c>,
/// <c>functionname</c>, and the OpenTelemetry attributes for the same facts; plus the region.
/// </summary>
internal static class RequestTags
{
    /// <summary>Tags known only after the endpoint was resolved (the S3 bucket).</summary>
    public static void ApplyResolved(Activity span, in AwsCall call)
    {
        if (call.Service.Kind == AwsService.S3 && S3Location.Bucket(call.Request) is { } bucket)
        {
            span.SetTag(AwsTagNames.BucketName, bucket);
            span.SetTag(AwsTagNames.S3Bucket, bucket);
        }
    }

    public static void Apply(Activity span, in AwsCall call, string? region)
    {
        if (region is { Length: > 0 })
        {
            span.SetTag(AwsTagNames.Region, region);
            span.SetTag(AwsTagNames.RegionShort, region);
            span.SetTag("cloud.region", region);
        }

        var request = call.Request;
        switch (call.Service.Kind)
        {
            case AwsService.Sqs when (TopLevelJson.GetString(call.Json, "QueueUrl"u8) ?? Parameter(request, "QueueUrl")) is { } url:
                span.SetTag(AwsTagNames.QueueUrl, url);
                span.SetTag(AwsTagNames.SqsQueueUrl, url);
                span.SetTag(AwsTagNames.QueueName, LastSegment(url, '/'));
                break;
            case AwsService.Sqs when TopLevelJson.GetString(call.Json, "QueueName"u8) is { } name:
                span.SetTag(AwsTagNames.QueueName, name);
                break;
            case AwsService.Sns when (Parameter(request, "TopicArn") ?? Parameter(request, "TargetArn")) is { } arn:
                span.SetTag(AwsTagNames.TopicArnDotnet, arn);
                span.SetTag(AwsTagNames.SnsTopicArn, arn);
                span.SetTag(AwsTagNames.TopicName, LastSegment(arn, ':'));
                break;
            case AwsService.DynamoDb when TopLevelJson.GetString(call.Json, "TableName"u8) is { } table:
                span.SetTag(AwsTagNames.TableName, table);
                span.SetTag(AwsTagNames.DynamoDbTableNames, new[] { table });
                break;
            case AwsService.S3 when S3Location.Key(request) is { } key:
                // The bucket is known once the endpoint is resolved: see ResolvedTags.
                span.SetTag(AwsTagNames.S3Key, key);
                break;
            case AwsService.Kinesis when TopLevelJson.GetString(call.Json, "StreamName"u8) is { } stream:
                span.SetTag(AwsTagNames.StreamName, stream);
                span.SetTag(AwsTagNames.KinesisStreamName, stream);
                break;
            case AwsService.Kinesis when TopLevelJson.GetString(call.Json, "StreamARN"u8) is { } streamArn:
                span.SetTag(AwsTagNames.StreamName, LastSegment(streamArn, '/'));
                break;
            case AwsService.EventBridge when (TopLevelJson.GetString(call.Json, "Rule"u8) ?? TopLevelJson.GetString(call.Json, "Name"u8)) is { } rule:
                span.SetTag(AwsTagNames.RuleName, rule);
                break;
            case AwsService.StepFunctions when TopLevelJson.GetString(call.Json, "stateMachineArn"u8) is { } stateMachine:
                span.SetTag(AwsTagNames.StateMachineArn, stateMachine);
                span.SetTag(AwsTagNames.StepFunctionsStateMachineArn, stateMachine);
                break;
            case AwsService.Lambda when PathResource(request, "{FunctionName}") is { } function:
                span.SetTag(AwsTagNames.FunctionName, function);
                break;
        }
    }

    private static string? Parameter(Amazon.Runtime.Internal.IRequest request, string name) =>
        request.Parameters is { Count: > 0 } parameters && parameters.TryGetValue(name, out var value) ? value : null;

    private static string? PathResource(Amazon.Runtime.Internal.IRequest request, string name) =>
        request.PathResources is { Count: > 0 } resources && resources.TryGetValue(name, out var value) ? value : null;

    private static string LastSegment(string text, char separator)
    {
        var trimmed = text.TrimEnd(separator);
        var index = trimmed.LastIndexOf(separator);
        return index < 0 ? trimmed : trimmed[(index + 1)..];
    }
}
