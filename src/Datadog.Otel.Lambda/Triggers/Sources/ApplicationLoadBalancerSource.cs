// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Internal;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// Application Load Balancer (single and multi-value headers), recognised by <c>requestContext.elb</c>: tags on
/// <c>aws.lambda</c>, as Datadog's Python library does an <c>aws.alb</c> inferred span (ALB events carry no timestamp,
/// so it starts with the invocation), and the context of the request's headers.
/// </summary>
internal sealed class ApplicationLoadBalancerSource : TriggerSource
{
    private HttpEventHeaders headers = null!;
    private int requestContext;
    private int elb;
    private int targetGroupArn;
    private int httpMethod;
    private int path;

    public ApplicationLoadBalancerSource()
        : base(TriggerKind.ApplicationLoadBalancer)
    {
    }

    public override string EventSource => "application-load-balancer";

    public override string FaasTrigger => "http";

    public override bool IsHttp => true;

    public override void Declare(TriggerSchema schema)
    {
        this.headers = new HttpEventHeaders(schema);
        this.requestContext = schema.Field("requestContext");
        this.elb = schema.Field("requestContext", "elb");
        this.targetGroupArn = schema.Field("requestContext", "elb", "targetGroupArn");
        this.httpMethod = schema.Field("httpMethod");
        this.path = schema.Field("path");
    }

    public override bool Matches(TriggerContext context) =>
        context.Root.IsObject(this.requestContext) && context.Root.IsObject(this.elb);

    public override void Describe(TriggerContext context)
    {
        var root = context.Root;
        var arn = root.String(this.targetGroupArn);
        context.EventSourceArn = arn;
        var method = root.String(this.httpMethod);
        var requestPath = root.String(this.path);
        var host = this.headers.Get(context, "host");
        var scheme = this.headers.Get(context, "x-forwarded-proto") ?? "http";
        var url = host is null ? null : scheme + "://" + host + requestPath;
        var userAgent = this.headers.Get(context, "user-agent");
        context.Tag("http.url", url);
        context.Tag("http.method", method);
        context.Tag("http.route", requestPath);
        context.Tag("http.useragent", userAgent);
        this.headers.AddClientTags(context);

        var tags = default(TagBuffer);
        tags.Add("http.method", method);
        tags.Add("http.url", url);
        tags.Add("http.useragent", userAgent);
        tags.Add("endpoint", requestPath);
        tags.Add("request_id", context.InvocationRequestId);
        tags.Add("target_group_arn", arn);
        context.AddSpan(new InferredSpanPlan
        {
            OperationName = "aws.alb",
            Service = ServiceNames.Resolve(context.Settings, host, "lambda_alb", host, context.Settings.ServiceName),
            Resource = method + " " + requestPath,
            SpanType = "http",
            Synchronous = true,
            Tags = tags.ToArray(),
        });
        this.headers.Extract(context, authorizerHeaders: null);
    }
}
