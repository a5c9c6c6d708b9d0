// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Events;
using Datadog.Otel.Lambda.Internal;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>What the API Gateway sources (REST, HTTP, WebSocket) share: the members they read and their inferred span's common parts.</summary>
internal sealed class ApiGatewaySpans
{
    private readonly int requestContext;
    private readonly int routeKey;
    private readonly int rootRouteKey;
    private readonly int rawPath;
    private readonly int resourcePath;
    private readonly int path;

    public ApiGatewaySpans(TriggerSchema schema)
    {
        this.Headers = new HttpEventHeaders(schema);
        this.Authorizer = new ApiGatewayAuthorizer(schema);
        this.requestContext = schema.Field("requestContext");
        this.Domain = schema.Field("requestContext", "domainName");
        this.ApiId = schema.Field("requestContext", "apiId");
        this.Stage = schema.Field("requestContext", "stage");
        this.RequestId = schema.Field("requestContext", "requestId");
        this.routeKey = schema.Field("requestContext", "routeKey");
        this.resourcePath = schema.Field("requestContext", "resourcePath");
        this.rootRouteKey = schema.Field("routeKey");
        this.rawPath = schema.Field("rawPath");
        this.path = schema.Field("path");
    }

    public HttpEventHeaders Headers { get; }

    public ApiGatewayAuthorizer Authorizer { get; }

    public int Domain { get; }

    public int ApiId { get; }

    public int Stage { get; }

    public int RequestId { get; }

    /// <summary>Whether the event has a <c>requestContext</c> object (every HTTP source requires one).</summary>
    public bool HasRequestContext(TriggerContext context) => context.Root.IsObject(this.requestContext);

    /// <summary>
    /// The facts of the API's span: its service (<c>DD_SERVICE_MAPPING</c> by API id, else the domain) and whether API
    /// Gateway waited for the function: an integration invoked asynchronously (<c>X-Amz-Invocation-Type: Event</c>) does not.
    /// </summary>
    public (ApiSpanFacts Facts, bool Synchronous) Facts(TriggerContext context, string resource, string? apiId, string? domain)
    {
        var service = ServiceNames.Resolve(context.Settings, apiId, "lambda_api_gateway", domain, context.Settings.ServiceName);
        var synchronous = !this.Headers.HeaderEquals(context, "X-Amz-Invocation-Type"u8, "Event");
        return (new ApiSpanFacts(service, resource, "web"), synchronous);
    }

    /// <summary>The tags every API Gateway span starts with: the API id (also as its name) and the invocation's request id.</summary>
    public static void CommonTags(TriggerContext context, ref TagBuffer tags, string? apiId)
    {
        tags.Add("apiid", apiId);
        tags.Add("apiname", apiId);
        tags.Add("request_id", context.InvocationRequestId);
    }

    /// <summary>
    /// The path part of the resource, in Datadog's order: the route key's path when it is a template (contains <c>{</c>),
    /// else the raw path, else the REST resource path, else the route key.
    /// </summary>
    public string ResourcePath(TriggerContext context)
    {
        var root = context.Root;
        var key = root.String(this.routeKey) ?? root.String(this.rootRouteKey);
        var routePath = ApiGatewayArns.LastToken(key);
        if (routePath is not null && routePath.Contains('{', StringComparison.Ordinal))
        {
            return routePath;
        }

        return root.String(this.rawPath) ?? root.String(this.resourcePath) ?? key ?? root.String(this.path) ?? "/";
    }

    /// <summary>
    /// Adds the API span, after the authorizer's when this request ran a Lambda authorizer, and the request's trace
    /// context (the authorizer's, else the headers'). <c>dd_resource_key</c> names the API, so it goes on the API span only.
    /// </summary>
    public void AddSpan(TriggerContext context, string operationName, ApiSpanFacts facts, bool synchronous, DateTimeOffset? start, ref TagBuffer tags, bool httpApi, string? resourceKey)
    {
        var headers = this.Authorizer.Apply(context, facts, tags.Items, httpApi, ref start);
        tags.Add("dd_resource_key", resourceKey);
        context.AddSpan(new InferredSpanPlan
        {
            OperationName = operationName,
            Service = facts.Service,
            Resource = facts.Resource,
            SpanType = facts.SpanType,
            EventStart = start,
            Synchronous = synchronous,
            TagOperationName = operationName is not ("aws.apigateway" or "aws.httpapi"),
            TagSpanKind = !httpApi,
            Tags = tags.ToArray(),
        });
        this.Headers.Extract(context, headers);
    }
}
