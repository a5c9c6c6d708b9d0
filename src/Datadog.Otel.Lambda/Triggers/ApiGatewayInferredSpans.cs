// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda.Internal;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>What the API Gateway flavours (REST, HTTP, WebSocket) share in their inferred span.</summary>
internal static class ApiGatewayInferredSpans
{
    public static InferredSpanSpec Create(TriggerDescription trigger, LambdaSettings settings, string operationName, string resource, string? apiId, string? domain, DateTimeOffset? start)
    {
        var root = trigger.Root;

        // An API Gateway integration invoked asynchronously (X-Amz-Invocation-Type: Event) does not wait for the function.
        var synchronous = !(root.TryGetObject("headers", out var headers) && headers.StringEquals("X-Amz-Invocation-Type", "Event"));
        var span = new InferredSpanSpec
        {
            OperationName = operationName,
            Service = ServiceNames.Resolve(settings, apiId, "lambda_api_gateway", domain, settings.ServiceName),
            Resource = resource,
            SpanType = "web",
            Start = start,
            Synchronous = synchronous,
            TagOperationName = operationName is not ("aws.apigateway" or "aws.httpapi"),
        };
        span.Tag("apiid", apiId);
        span.Tag("apiname", apiId);
        span.Tag("request_id", trigger.InvocationRequestId);
        return span;
    }

    /// <summary>
    /// The path part of the resource, in Datadog's order: the route key's path when it is a template (contains <c>{</c>),
    /// else the raw path, else the REST resource path, else the route key.
    /// </summary>
    public static string ResourcePath(JsonElement root, JsonElement requestContext)
    {
        var routeKey = requestContext.GetString("routeKey") ?? root.GetString("routeKey");
        var routePath = ApiGatewayArns.LastToken(routeKey);
        if (routePath is not null && routePath.Contains('{', StringComparison.Ordinal))
        {
            return routePath;
        }

        return root.GetString("rawPath") ?? requestContext.GetString("resourcePath") ?? routeKey ?? root.GetString("path") ?? "/";
    }
}
