// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Invocation;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>API Gateway HTTP API (payload v2): tags on <c>aws.lambda</c> and the <c>aws.httpapi</c> inferred span.</summary>
internal static class ApiGatewayHttpTrigger
{
    public static void Describe(TriggerDescription trigger, LambdaSettings settings, FunctionInfo function)
    {
        var root = trigger.Root;
        root.TryGetObject("requestContext", out var requestContext);
        requestContext.TryGetObject("http", out var http);
        var domain = requestContext.GetString("domainName");
        var method = http.GetString("method");
        var apiId = requestContext.GetString("apiId");
        var rawPath = root.GetString("rawPath") ?? http.GetString("path");
        trigger.EventSourceArn = ApiGatewayArns.Stage(function, apiId, requestContext.GetString("stage"));
        trigger.RequestId = requestContext.GetString("requestId");

        var route = ApiGatewayArns.LastToken(root.GetString("routeKey") ?? requestContext.GetString("routeKey"));
        trigger.Tag("http.url", domain is null ? null : "https://" + domain + (http.GetString("path") ?? rawPath));
        trigger.Tag("http.method", method);
        trigger.Tag("http.route", route);
        HttpTriggerTags.AddClientTags(trigger, root);

        var span = ApiGatewayInferredSpans.Create(
            trigger,
            settings,
            "aws.httpapi",
            method + " " + ApiGatewayInferredSpans.ResourcePath(root, requestContext),
            apiId,
            domain,
            EventTime.FromEpochMilliseconds(requestContext, "timeEpoch"));
        span.Tag("http.url", domain is null ? null : "https://" + domain + rawPath);
        span.Tag("endpoint", rawPath);
        span.Tag("http.method", method);
        span.Tag("http.protocol", http.GetString("protocol"));
        span.Tag("http.source_ip", http.GetString("sourceIp"));
        span.Tag("http.useragent", http.GetString("userAgent"));
        span.Tag("http.route", route);
        span.Tag("stage", requestContext.GetString("stage"));
        trigger.InferredSpans.Add(span);
        ApiGatewayAuthorizer.Apply(trigger, settings, requestContext, httpApi: true);

        // After the authorizer span copied the API span's tags: the resource key names the API, not its authorizer.
        span.Tag("dd_resource_key", ApiGatewayArns.ResourceKey(function, apiId, httpApi: true));
    }
}
