// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Invocation;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>Lambda Function URL: tags on <c>aws.lambda</c> and the <c>aws.lambda.url</c> inferred span.</summary>
internal static class FunctionUrlTrigger
{
    public static void Describe(TriggerDescription trigger, LambdaSettings settings, FunctionInfo function)
    {
        var root = trigger.Root;
        root.TryGetObject("requestContext", out var requestContext);
        requestContext.TryGetObject("http", out var http);
        var domain = requestContext.GetString("domainName");
        var method = http.GetString("method");
        var path = http.GetString("path") ?? root.GetString("rawPath");
        var apiId = requestContext.GetString("apiId");
        trigger.RequestId = requestContext.GetString("requestId");

        // Python's form (Node.js sets none): arn:aws:lambda:{region}:{account}:url:{function}[:{qualifier}].
        if (function.Region is not null && function.AccountId is not null)
        {
            trigger.EventSourceArn = "arn:" + (function.Partition ?? "aws") + ":lambda:" + function.Region + ":" + function.AccountId + ":url:" + function.FunctionName
                + (function.Qualifier is null ? string.Empty : ":" + function.Qualifier);
        }

        trigger.Tag("http.url", domain is null ? null : "https://" + domain + path);
        trigger.Tag("http.method", method);
        HttpTriggerTags.AddClientTags(trigger, root);

        var span = new InferredSpanSpec
        {
            OperationName = "aws.lambda.url",
            Service = ServiceNames.Resolve(settings, apiId, "lambda_url", domain, settings.ServiceName),
            Resource = method + " " + path,
            SpanType = "http",
            Start = EventTime.FromEpochMilliseconds(requestContext, "timeEpoch"),
            Synchronous = true,
        };
        span.Tag("http.url", domain is null ? null : "https://" + domain + path);
        span.Tag("endpoint", path);
        span.Tag("http.method", method);
        span.Tag("request_id", trigger.InvocationRequestId);
        trigger.InferredSpans.Add(span);
    }
}
