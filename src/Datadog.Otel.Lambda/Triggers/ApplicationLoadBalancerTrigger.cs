// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Invocation;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// Application Load Balancer (single and multi-value headers): tags on <c>aws.lambda</c> and, as Datadog's Python
/// library does, an <c>aws.alb</c> inferred span. ALB events carry no timestamp, so the span starts with the invocation.
/// </summary>
internal static class ApplicationLoadBalancerTrigger
{
    public static void Describe(TriggerDescription trigger, LambdaSettings settings, FunctionInfo function)
    {
        var root = trigger.Root;
        root.TryGetObject("requestContext", out var requestContext);
        requestContext.TryGetObject("elb", out var elb);
        trigger.EventSourceArn = elb.GetString("targetGroupArn");
        var method = root.GetString("httpMethod");
        var path = root.GetString("path");
        var host = HttpEventHeaders.Get(root, "host");
        var scheme = HttpEventHeaders.Get(root, "x-forwarded-proto") ?? "http";
        var url = host is null ? null : scheme + "://" + host + path;
        trigger.Tag("http.url", url);
        trigger.Tag("http.method", method);
        trigger.Tag("http.route", path);
        trigger.Tag("http.useragent", HttpEventHeaders.Get(root, "user-agent"));
        HttpTriggerTags.AddClientTags(trigger, root);

        var span = new InferredSpanSpec
        {
            OperationName = "aws.alb",
            Service = ServiceNames.Resolve(settings, host, "lambda_alb", host, settings.ServiceName),
            Resource = method + " " + path,
            SpanType = "http",
            Synchronous = true,
        };
        span.Tag("http.method", method);
        span.Tag("http.url", url);
        span.Tag("http.useragent", HttpEventHeaders.Get(root, "user-agent"));
        span.Tag("endpoint", path);
        span.Tag("request_id", trigger.InvocationRequestId);
        span.Tag("target_group_arn", trigger.EventSourceArn);
        trigger.InferredSpans.Add(span);
    }
}
