// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Invocation;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>CloudWatch Events and scheduled rules (<c>source: aws.events</c>): the rule's ARN, no inferred span.</summary>
internal static class CloudWatchEventsTrigger
{
    public static void Describe(TriggerDescription trigger, LambdaSettings settings, FunctionInfo function)
    {
        if (trigger.Root.TryGetArray("resources", out var resources) && resources.GetArrayLength() > 0)
        {
            trigger.EventSourceArn = resources[0].ValueKind == System.Text.Json.JsonValueKind.String ? resources[0].GetString() : null;
        }
    }
}
