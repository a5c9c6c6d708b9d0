// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Invocation;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>MSK and self-managed Kafka: the cluster's ARN (MSK only).</summary>
internal static class KafkaTrigger
{
    public static void Describe(TriggerDescription trigger, LambdaSettings settings, FunctionInfo function)
    {
        trigger.EventSourceArn = trigger.Root.GetString("eventSourceArn");
        trigger.Tag("messaging.system", "kafka");
    }
}
