// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.AwsSdk.Tracing;

/// <summary>
/// Tags of AWS client spans: Datadog's (dd-trace-dotnet's AWS SDK integration and the peer tags dd-trace-js sets,
/// which Datadog users search by), then OpenTelemetry's semantic conventions for the same facts.
/// </summary>
internal static class AwsTagNames
{
    // Datadog (dd-trace-dotnet AwsSdkTags and the service-specific tags).
    public const string Component = "component";
    public const string ComponentValue = "aws-sdk";
    public const string Agent = "aws.agent";
    public const string AgentValue = "dotnet-aws-sdk";
    public const string Operation = "aws.operation";
    public const string Service = "aws.service";
    public const string ServiceLegacy = "aws_service";
    public const string Region = "aws.region";
    public const string RegionShort = "region";
    public const string RequestIdDatadog = "aws.requestId";
    public const string HttpMethod = "http.method";
    public const string SpanKindClient = "client";
    public const string SpanTypeHttp = "http";
    public const string QueueName = "queuename";
    public const string QueueNameDotnet = "aws.queue.name";
    public const string QueueUrl = "aws.queue.url";
    public const string TopicName = "topicname";
    public const string TopicArnDotnet = "aws.topic.arn";
    public const string TableName = "tablename";
    public const string BucketName = "bucketname";
    public const string StreamName = "streamname";
    public const string RuleName = "rulename";
    public const string StateMachineArn = "statemachinearn";
    public const string FunctionName = "functionname";
    public const string ErrorCode = "aws.error_code";

    // OpenTelemetry semantic conventions (and the attributes AWSSDK.Core sets itself).
    public const string RpcSystem = "rpc.system";
    public const string RpcService = "rpc.service";
    public const string RpcMethod = "rpc.method";
    public const string RequestId = "aws.request_id";
    public const string HttpStatusCodeSdk = "http.status_code";
    public const string HttpResponseStatusCode = "http.response.status_code";
    public const string HttpRequestMethod = "http.request.method";
    public const string ServerAddress = "server.address";
    public const string SqsQueueUrl = "aws.sqs.queue.url";
    public const string SnsTopicArn = "aws.sns.topic.arn";
    public const string DynamoDbTableNames = "aws.dynamodb.table_names";
    public const string S3Bucket = "aws.s3.bucket";
    public const string S3Key = "aws.s3.key";
    public const string KinesisStreamName = "aws.kinesis.stream_name";
    public const string StepFunctionsStateMachineArn = "aws.step_functions.state_machine.arn";
    public const string MessagingSystem = "messaging.system";
    public const string MessagingDestination = "messaging.destination.name";
    public const string MessagingOperationType = "messaging.operation.type";
    public const string MessagingOperationName = "messaging.operation.name";
}
