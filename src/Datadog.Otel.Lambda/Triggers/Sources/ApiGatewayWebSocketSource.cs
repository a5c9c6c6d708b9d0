// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Internal;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// API Gateway WebSocket API, recognised by <c>requestContext.messageDirection</c>: the <c>aws.apigateway.websocket</c>
/// inferred span (Python's name; Node.js reuses <c>aws.apigateway</c>, which hides that the request was a WebSocket
/// message), resource = the route key, and the context of the message's headers or its authorizer.
/// </summary>
internal sealed class ApiGatewayWebSocketSource : TriggerSource
{
    private ApiGatewaySpans api = null!;
    private int messageDirection;
    private int routeKey;
    private int connectionId;
    private int eventType;
    private int requestTimeEpoch;

    public ApiGatewayWebSocketSource()
        : base(TriggerKind.ApiGatewayWebSocket)
    {
    }

    public override string EventSource => "api-gateway";

    public override string FaasTrigger => "http";

    public override bool IsHttp => true;

    public override void Declare(TriggerSchema schema)
    {
        this.api = new ApiGatewaySpans(schema);
        this.messageDirection = schema.Field("requestContext", "messageDirection");
        this.routeKey = schema.Field("requestContext", "routeKey");
        this.connectionId = schema.Field("requestContext", "connectionId");
        this.eventType = schema.Field("requestContext", "eventType");
        this.requestTimeEpoch = schema.Field("requestContext", "requestTimeEpoch");
    }

    public override bool Matches(TriggerContext context) =>
        this.api.HasRequestContext(context) && context.Root.IsTruthy(this.messageDirection);

    public override void Describe(TriggerContext context)
    {
        var root = context.Root;
        var domain = root.String(this.api.Domain);
        var apiId = root.String(this.api.ApiId);
        var route = root.String(this.routeKey);
        var stage = root.String(this.api.Stage);
        context.EventSourceArn = ApiGatewayArns.Stage(context.Function, apiId, stage);
        context.ApiRequestId = root.String(this.api.RequestId);
        context.Tag("http.url", domain is null ? null : "https://" + domain);

        // Python's extract_http_tags reads the referer of every HTTP event, WebSocket messages included (Node.js does not).
        this.api.Headers.AddClientTags(context);

        var (facts, synchronous) = this.api.Facts(context, route ?? "$default", apiId, domain);
        var tags = default(TagBuffer);
        ApiGatewaySpans.CommonTags(context, ref tags, apiId);
        tags.Add("http.url", domain is null ? null : "https://" + domain + route);
        tags.Add("endpoint", route);
        tags.Add("stage", stage);
        tags.Add("connection_id", root.String(this.connectionId));
        tags.Add("event_type", root.String(this.eventType));
        tags.Add("message_direction", root.String(this.messageDirection));
        var start = EventTime.FromEpochMilliseconds(root, this.requestTimeEpoch);
        this.api.AddSpan(context, "aws.apigateway.websocket", facts, synchronous, start, ref tags, httpApi: false, ApiGatewayArns.ResourceKey(context.Function, apiId, httpApi: false));
    }
}
