// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda.Invocation;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>Detects an event's source and lets that source's module describe it (one module per source).</summary>
internal static class TriggerParser
{
    /// <param name="event">The event, when it is JSON.</param>
    /// <param name="settings">The provider's settings.</param>
    /// <param name="function">The invoked function.</param>
    /// <param name="invocationRequestId">The Lambda invocation's request id (Datadog's <c>request_id</c> on HTTP inferred spans).</param>
    public static TriggerDescription Describe(JsonElement? @event, LambdaSettings settings, FunctionInfo function, string? invocationRequestId = null)
    {
        if (@event is not { } root)
        {
            return TriggerDescription.None;
        }

        var kind = TriggerDetector.Detect(root);
        var trigger = new TriggerDescription(kind, root) { InvocationRequestId = invocationRequestId };
        switch (kind)
        {
            case TriggerKind.ApiGatewayRest:
                ApiGatewayRestTrigger.Describe(trigger, settings, function);
                break;
            case TriggerKind.ApiGatewayHttp:
                ApiGatewayHttpTrigger.Describe(trigger, settings, function);
                break;
            case TriggerKind.ApiGatewayWebSocket:
                ApiGatewayWebSocketTrigger.Describe(trigger, settings, function);
                break;
            case TriggerKind.FunctionUrl:
                FunctionUrlTrigger.Describe(trigger, settings, function);
                break;
            case TriggerKind.ApplicationLoadBalancer:
                ApplicationLoadBalancerTrigger.Describe(trigger, settings, function);
                break;
            case TriggerKind.Sqs:
                SqsTrigger.Describe(trigger, settings, function);
                break;
            case TriggerKind.Sns:
                SnsTrigger.Describe(trigger, settings, function);
                break;
            case TriggerKind.Kinesis:
                KinesisTrigger.Describe(trigger, settings, function);
                break;
            case TriggerKind.DynamoDb:
                DynamoDbTrigger.Describe(trigger, settings, function);
                break;
            case TriggerKind.S3:
                S3Trigger.Describe(trigger, settings, function);
                break;
            case TriggerKind.EventBridge:
                EventBridgeTrigger.Describe(trigger, settings, function);
                break;
            case TriggerKind.CloudWatchEvents:
                CloudWatchEventsTrigger.Describe(trigger, settings, function);
                break;
            case TriggerKind.CloudWatchLogs:
                CloudWatchLogsTrigger.Describe(trigger, settings, function);
                break;
            case TriggerKind.CloudFront:
                CloudFrontTrigger.Describe(trigger, settings, function);
                break;
            case TriggerKind.StepFunctions:
                StepFunctionsTrigger.Describe(trigger, settings, function);
                break;
            case TriggerKind.Kafka:
                KafkaTrigger.Describe(trigger, settings, function);
                break;
        }

        return trigger;
    }
}
