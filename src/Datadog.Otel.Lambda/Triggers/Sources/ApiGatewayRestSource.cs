// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Internal;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// API Gateway REST API (payload v1), recognised by <c>requestContext.stage</c> and an HTTP method: tags on
/// <c>aws.lambda</c>, the <c>aws.apigateway</c> inferred span (after an <c>aws.apigateway.authorizer</c> span when a Lambda
/// authorizer ran for the request), and the context of the request's headers or its authorizer.
/// </summary>
internal sealed class ApiGatewayRestSource : TriggerSource
{
    private ApiGatewaySpans api = null!;
    private int httpMethod;
    private int contextHttpMethod;
    private int contextPath;
    private int path;
    private int resource;
    private int userAgent;
    private int requestTimeEpoch;

    public ApiGatewayRestSource()
        : base(TriggerKind.ApiGatewayRest)
    {
    }

    public override string EventSource => "api-gateway";

    public override string FaasTrigger => "http";

    public override bool IsHttp => true;

    public override void Declare(TriggerSchema schema)
    {
        this.api = new ApiGatewaySpans(schema);
        this.httpMethod = schema.Field("httpMethod");
        this.contextHttpMethod = schema.Field("requestContext", "httpMethod");
        this.contextPath = schema.Field("requestContext", "path");
        this.path = schema.Field("path");
        this.resource = schema.Field("resource");
        this.userAgent = schema.Field("requestContext", "identity", "userAgent");
        this.requestTimeEpoch = schema.Field("requestContext", "requestTimeEpoch");
    }

    public override bool Matches(TriggerContext context) =>
        this.api.HasRequestContext(context) && context.Root.IsTruthy(this.api.Stage)
        && (context.Root.Has(this.httpMethod) || context.Root.Has(this.contextHttpMethod));

    public override void Describe(TriggerContext context)
    {
        var root = context.Root;
        var domain = root.String(this.api.Domain);
        var method = root.String(this.contextHttpMethod) ?? root.String(this.httpMethod);
        var apiId = root.String(this.api.ApiId);
        var stage = root.String(this.api.Stage);
        context.EventSourceArn = ApiGatewayArns.Stage(context.Function, apiId, stage);
        context.ApiRequestId = root.String(this.api.RequestId);

        // REST paths include the stage (/prod/orders); the route is the resource template (/orders/{id}).
        var requestPath = root.String(this.contextPath) ?? root.String(this.path);
        var route = ApiGatewayArns.LastToken(root.String(this.resource));
        context.Tag("http.url", domain is null ? null : "https://" + domain + requestPath);
        context.Tag("http.method", method);
        context.Tag("http.route", route);
        this.api.Headers.AddClientTags(context);

        var (facts, synchronous) = this.api.Facts(context, method + " " + this.api.ResourcePath(context), apiId, domain);
        var tags = default(TagBuffer);
        ApiGatewaySpans.CommonTags(context, ref tags, apiId);
        var endpoint = root.String(this.path);
        tags.Add("http.url", domain is null ? null : "https://" + domain + endpoint);
        tags.Add("endpoint", endpoint);
        tags.Add("http.method", method);
        tags.Add("http.useragent", root.String(this.userAgent));
        tags.Add("http.route", route);
        tags.Add("stage", stage);
        var start = EventTime.FromEpochMilliseconds(root, this.requestTimeEpoch);
        this.api.AddSpan(context, "aws.apigateway", facts, synchronous, start, ref tags, httpApi: false, ApiGatewayArns.ResourceKey(context.Function, apiId, httpApi: false));
    }
}
