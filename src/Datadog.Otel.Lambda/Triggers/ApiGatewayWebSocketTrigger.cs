// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Invocation;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// API Gateway WebSocket API: the <c>aws.apigateway.websocket</c> inferred span (Python's name; Node.js reuses
/// <c>aws.apigateway</c>, which hides that the request was a WebSocket message), resource = the route key.
/// </summary>
internal static class ApiGatewayWebSocketTrigger
{
    public static void Describe(TriggerDescription trigger, LambdaSettings settings, FunctionInfo function)
    {
        var root = trigger.Root;
        root.TryGetObject("requestContext", out var requestContext);
        var domain = requestContext.GetString("domainName");
        var apiId = requestContext.GetString("apiId");
        var routeKey = requestContext.GetString("routeKey");
        trigger.EventSourceArn = ApiGatewayArns.Stage(function, apiId, requestContext.GetString("stage"));
        trigger.RequestId = requestContext.GetString("requestId");
        trigger.Tag("http.url", domain is null ? null : "https://" + domain);

        var span = ApiGatewayInferredSpans.Create(
            trigger,
            settings,
            "aws.apigateway.websocket",
            routeKey ?? "$default",
            apiId,
            domain,
            EventTime.FromEpochMilliseconds(requestContext, "requestTimeEpoch"));
        span.Tag("http.url", domain is null ? null : "https://" + domain + routeKey);
        span.Tag("endpoint", routeKey);
        span.Tag("stage", requestContext.GetString("stage"));
        span.Tag("connection_id", requestContext.GetString("connectionId"));
        span.Tag("event_type", requestContext.GetString("eventType"));
        span.Tag("message_direction", requestContext.GetString("messageDirection"));
        trigger.InferredSpans.Add(span);
        ApiGatewayAuthorizer.Apply(trigger, settings, requestContext, httpApi: false);

        // After the authorizer span copied the API span's tags: the resource key names the API, not its authorizer.
        span.Tag("dd_resource_key", ApiGatewayArns.ResourceKey(function, apiId, httpApi: false));
    }
}
