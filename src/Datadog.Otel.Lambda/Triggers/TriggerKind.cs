// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>The AWS source that sent an event, as recognised from the raw event JSON.</summary>
internal enum TriggerKind
{
    Unknown,
    ApiGatewayRest,
    ApiGatewayHttp,
    ApiGatewayWebSocket,
    FunctionUrl,
    ApplicationLoadBalancer,
    Sqs,
    Sns,
    Kinesis,
    DynamoDb,
    S3,
    EventBridge,
    CloudWatchEvents,
    CloudWatchLogs,
    CloudFront,
    StepFunctions,
    AppSync,
    Kafka,
    DurableExecution,
}
