// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Internal;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// API Gateway HTTP API (payload v2), recognised by <c>version: 2.0</c> or a <c>routeKey</c> with <c>requestContext.http</c>:
/// tags on <c>aws.lambda</c>, the <c>aws.httpapi</c> inferred span (starting where a Lambda authorizer that ran for the
/// request finished), and the context of the request's headers or its authorizer.
/// </summary>
internal sealed class ApiGatewayHttpSource : TriggerSource
{
    private ApiGatewaySpans api = null!;
    private int version;
    private int routeKey;
    private int contextRouteKey;
    private int http;
    private int method;
    private int httpPath;
    private int protocol;
    private int sourceIp;
    private int userAgent;
    private int rawPath;
    private int timeEpoch;

    public ApiGatewayHttpSource()
        : base(TriggerKind.ApiGatewayHttp)
    {
    }

    public override string EventSource => "api-gateway";

    public override string FaasTrigger => "http";

    public override bool IsHttp => true;

    public override void Declare(TriggerSchema schema)
    {
        this.api = new ApiGatewaySpans(schema);
        this.version = schema.Field("version");
        this.routeKey = schema.Field("routeKey");
        this.contextRouteKey = schema.Field("requestContext", "routeKey");
        this.http = schema.Field("requestContext", "http");
        this.method = schema.Field("requestContext", "http", "method");
        this.httpPath = schema.Field("requestContext", "http", "path");
        this.protocol = schema.Field("requestContext", "http", "protocol");
        this.sourceIp = schema.Field("requestContext", "http", "sourceIp");
        this.userAgent = schema.Field("requestContext", "http", "userAgent");
        this.rawPath = schema.Field("rawPath");
        this.timeEpoch = schema.Field("requestContext", "timeEpoch");
    }

    public override bool Matches(TriggerContext context) =>
        this.api.HasRequestContext(context)
        && (context.Root.StringEquals(this.version, "2.0"u8) || (context.Root.Has(this.routeKey) && context.Root.IsObject(this.http)));

    public override void Describe(TriggerContext context)
    {
        var root = context.Root;
        var domain = root.String(this.api.Domain);
        var requestMethod = root.String(this.method);
        var apiId = root.String(this.api.ApiId);
        var path = root.String(this.httpPath);
        var raw = root.String(this.rawPath) ?? path;
        var stage = root.String(this.api.Stage);
        context.EventSourceArn = ApiGatewayArns.Stage(context.Function, apiId, stage);
        context.ApiRequestId = root.String(this.api.RequestId);

        var route = ApiGatewayArns.LastToken(root.String(this.routeKey) ?? root.String(this.contextRouteKey));
        context.Tag("http.url", domain is null ? null : "https://" + domain + (path ?? raw));
        context.Tag("http.method", requestMethod);
        context.Tag("http.route", route);
        this.api.Headers.AddClientTags(context);

        var (facts, synchronous) = this.api.Facts(context, requestMethod + " " + this.api.ResourcePath(context), apiId, domain);
        var tags = default(TagBuffer);
        ApiGatewaySpans.CommonTags(context, ref tags, apiId);
        tags.Add("http.url", domain is null ? null : "https://" + domain + raw);
        tags.Add("endpoint", raw);
        tags.Add("http.method", requestMethod);
        tags.Add("http.protocol", root.String(this.protocol));
        tags.Add("http.source_ip", root.String(this.sourceIp));
        tags.Add("http.useragent", root.String(this.userAgent));
        tags.Add("http.route", route);
        tags.Add("stage", stage);
        var start = EventTime.FromEpochMilliseconds(root, this.timeEpoch);
        this.api.AddSpan(context, "aws.httpapi", facts, synchronous, start, ref tags, httpApi: true, ApiGatewayArns.ResourceKey(context.Function, apiId, httpApi: true));
    }
}
