// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>Datadog's and OpenTelemetry's names for a trigger.</summary>
internal static class TriggerKindExtensions
{
    /// <summary>Datadog's <c>function_trigger.event_source</c> value; null when Datadog emits none (AppSync, direct invoke).</summary>
    public static string? EventSource(this TriggerKind kind) => kind switch
    {
        TriggerKind.ApiGatewayRest or TriggerKind.ApiGatewayHttp or TriggerKind.ApiGatewayWebSocket => "api-gateway",
        TriggerKind.FunctionUrl => "lambda-function-url",
        TriggerKind.ApplicationLoadBalancer => "application-load-balancer",
        TriggerKind.Sqs => "sqs",
        TriggerKind.Sns => "sns",
        TriggerKind.Kinesis => "kinesis",
        TriggerKind.DynamoDb => "dynamodb",
        TriggerKind.S3 => "s3",
        TriggerKind.EventBridge => "eventbridge",
        TriggerKind.CloudWatchEvents => "cloudwatch-events",
        TriggerKind.CloudWatchLogs => "cloudwatch-logs",
        TriggerKind.CloudFront => "cloudfront",
        TriggerKind.StepFunctions => "states",
        TriggerKind.Kafka => "kafka",
        _ => null,
    };

    /// <summary>True for the triggers whose response is an HTTP response (status code tagged, 5xx is an error).</summary>
    public static bool IsHttp(this TriggerKind kind) => kind is TriggerKind.ApiGatewayRest or TriggerKind.ApiGatewayHttp
        or TriggerKind.ApiGatewayWebSocket or TriggerKind.FunctionUrl or TriggerKind.ApplicationLoadBalancer;

    /// <summary>The OpenTelemetry <c>faas.trigger</c> value.</summary>
    public static string FaasTrigger(this TriggerKind kind) => kind switch
    {
        TriggerKind.ApiGatewayRest or TriggerKind.ApiGatewayHttp or TriggerKind.ApiGatewayWebSocket
            or TriggerKind.FunctionUrl or TriggerKind.ApplicationLoadBalancer or TriggerKind.AppSync => "http",
        TriggerKind.Sqs or TriggerKind.Sns or TriggerKind.Kinesis or TriggerKind.EventBridge or TriggerKind.Kafka => "pubsub",
        TriggerKind.DynamoDb or TriggerKind.S3 => "datasource",
        TriggerKind.CloudWatchEvents => "timer",
        _ => "other",
    };
}
