// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda.Internal;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// Recognises which AWS source sent an event from its shape. Where Datadog's Python and Node.js libraries disagree,
/// the rule that recognises more real events wins (documented in docs/triggers.md): HTTP events by their
/// <c>requestContext</c>; records by <c>Records[0].eventSource</c> (either case) or their source-specific member;
/// scheduled rules (<c>source: aws.events</c>) before generic EventBridge events.
/// </summary>
internal static class TriggerDetector
{
    public static TriggerKind Detect(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return TriggerKind.Unknown;
        }

        if (root.TryGetObject("requestContext", out var requestContext))
        {
            var http = DetectHttp(root, requestContext);
            if (http != TriggerKind.Unknown)
            {
                return http;
            }
        }

        if (root.TryGetFirstRecord("Records", out var record))
        {
            var fromRecord = DetectRecord(record);
            if (fromRecord != TriggerKind.Unknown)
            {
                return fromRecord;
            }
        }

        if (root.IsTruthy("awslogs"))
        {
            return TriggerKind.CloudWatchLogs;
        }

        if (root.StringEquals("source", "aws.events") || (root.TryGetObject("detail", out var detail) && detail.Has("EventCategories")))
        {
            return TriggerKind.CloudWatchEvents;
        }

        if (root.IsTruthy("detail-type"))
        {
            return TriggerKind.EventBridge;
        }

        if (root.StringEquals("eventSource", "aws:kafka") || root.StringEquals("eventSource", "SelfManagedKafka"))
        {
            return TriggerKind.Kafka;
        }

        if (StepFunctionsEvent.IsContext(root))
        {
            return TriggerKind.StepFunctions;
        }

        if (root.TryGetObject("info", out var info) && info.Has("selectionSetGraphQL"))
        {
            return TriggerKind.AppSync;
        }

        return TriggerKind.Unknown;
    }

    private static TriggerKind DetectHttp(JsonElement root, JsonElement requestContext)
    {
        // Function URLs look like HTTP API v2 events; only their domain tells them apart: <id>.lambda-url.<region>.on.aws.
        if (requestContext.GetString("domainName") is { } domain && IsFunctionUrlDomain(domain))
        {
            return TriggerKind.FunctionUrl;
        }

        if (requestContext.TryGetObject("elb", out _))
        {
            return TriggerKind.ApplicationLoadBalancer;
        }

        if (requestContext.IsTruthy("messageDirection"))
        {
            return TriggerKind.ApiGatewayWebSocket;
        }

        if (root.StringEquals("version", "2.0") || root.Has("routeKey") && requestContext.TryGetObject("http", out _))
        {
            return TriggerKind.ApiGatewayHttp;
        }

        if (requestContext.IsTruthy("stage") && (root.Has("httpMethod") || requestContext.Has("httpMethod")))
        {
            return TriggerKind.ApiGatewayRest;
        }

        return TriggerKind.Unknown;
    }

    private static TriggerKind DetectRecord(JsonElement record)
    {
        var source = record.GetString("eventSource") ?? record.GetString("EventSource");
        switch (source)
        {
            case "aws:sqs":
                return TriggerKind.Sqs;
            case "aws:sns":
                return TriggerKind.Sns;
            case "aws:kinesis":
                return TriggerKind.Kinesis;
            case "aws:dynamodb":
                return TriggerKind.DynamoDb;
            case "aws:s3":
                return TriggerKind.S3;
        }

        if (record.Has("cf"))
        {
            return TriggerKind.CloudFront;
        }

        if (record.TryGetObject("Sns", out _))
        {
            return TriggerKind.Sns;
        }

        if (record.TryGetObject("dynamodb", out _))
        {
            return TriggerKind.DynamoDb;
        }

        if (record.TryGetObject("kinesis", out _))
        {
            return TriggerKind.Kinesis;
        }

        if (record.TryGetObject("s3", out _))
        {
            return TriggerKind.S3;
        }

        return TriggerKind.Unknown;
    }

    internal static bool IsFunctionUrlDomain(string domain)
    {
        var firstDot = domain.IndexOf('.', StringComparison.Ordinal);
        if (firstDot < 0)
        {
            return false;
        }

        var rest = domain.AsSpan(firstDot + 1);
        var secondDot = rest.IndexOf('.');
        var label = secondDot < 0 ? rest : rest[..secondDot];
        return label.SequenceEqual("lambda-url");
    }
}
