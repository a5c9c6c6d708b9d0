// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Invocation;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>CloudFront (Lambda@Edge): the distribution's ARN, no inferred span.</summary>
internal static class CloudFrontTrigger
{
    public static void Describe(TriggerDescription trigger, LambdaSettings settings, FunctionInfo function)
    {
        if (trigger.Root.TryGetFirstRecord("Records", out var record) && record.TryGetObject("cf", out var cf)
            && cf.TryGetObject("config", out var config) && config.GetString("distributionId") is { } distribution && function.AccountId is not null)
        {
            trigger.EventSourceArn = "arn:" + ApiGatewayArns.Partition(function.Region ?? string.Empty) + ":cloudfront::" + function.AccountId + ":distribution/" + distribution;
        }
    }
}
