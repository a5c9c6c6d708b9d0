// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Invocation;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>API Gateway REST API (payload v1): tags on <c>aws.lambda</c> and the <c>aws.apigateway</c> inferred span.</summary>
internal static class ApiGatewayRestTrigger
{
    public static void Describe(TriggerDescription trigger, LambdaSettings settings, FunctionInfo function)
    {
        var root = trigger.Root;
        root.TryGetObject("requestContext", out var requestContext);
        var domain = requestContext.GetString("domainName");
        var method = requestContext.GetString("httpMethod") ?? root.GetString("httpMethod");
        var apiId = requestContext.GetString("apiId");
        var stage = requestContext.GetString("stage");
        trigger.EventSourceArn = ApiGatewayArns.Stage(function, apiId, stage);
        trigger.RequestId = requestContext.GetString("requestId");

        // REST paths include the stage (/prod/orders); the route is the resource template (/orders/{id}).
        var path = requestContext.GetString("path") ?? root.GetString("path");
        var route = ApiGatewayArns.LastToken(root.GetString("resource"));
        trigger.Tag("http.url", domain is null ? null : "https://" + domain + path);
        trigger.Tag("http.method", method);
        trigger.Tag("http.route", route);
        HttpTriggerTags.AddClientTags(trigger, root);

        var span = ApiGatewayInferredSpans.Create(
            trigger,
            settings,
            "aws.apigateway",
            method + " " + ApiGatewayInferredSpans.ResourcePath(root, requestContext),
            apiId,
            domain,
            EventTime.FromEpochMilliseconds(requestContext, "requestTimeEpoch"));
        span.Tag("http.url", domain is null ? null : "https://" + domain + root.GetString("path"));
        span.Tag("endpoint", root.GetString("path"));
        span.Tag("http.method", method);
        span.Tag("http.useragent", requestContext.TryGetObject("identity", out var identity) ? identity.GetString("userAgent") : null);
        span.Tag("http.route", route);
        span.Tag("stage", stage);
        trigger.InferredSpans.Add(span);
        ApiGatewayAuthorizer.Apply(trigger, settings, requestContext, httpApi: false);

        // After the authorizer span copied the API span's tags: the resource key names the API, not its authorizer.
        span.Tag("dd_resource_key", ApiGatewayArns.ResourceKey(function, apiId, httpApi: false));
    }
}
