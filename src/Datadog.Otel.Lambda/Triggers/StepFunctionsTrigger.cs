// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Invocation;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>Step Functions tasks: the state machine's ARN and the execution's tags (no inferred span; the context is derived).</summary>
internal static class StepFunctionsTrigger
{
    public static void Describe(TriggerDescription trigger, LambdaSettings settings, FunctionInfo function)
    {
        if (!StepFunctionsEvent.TryGetContext(trigger.Root, out var context))
        {
            return;
        }

        context.TryGetObject("StateMachine", out var stateMachine);
        context.TryGetObject("Execution", out var execution);
        context.TryGetObject("State", out var state);
        trigger.EventSourceArn = stateMachine.GetString("Id");
        trigger.Tag("execution_id", execution.GetString("Id"));
        trigger.Tag("state_name", state.GetString("Name"));
        trigger.Tag("state_entered_time", state.GetString("EnteredTime"));
        trigger.Tag("retry_count", state.GetScalarText("RetryCount"));
        trigger.Tag("redrive_count", execution.GetScalarText("RedriveCount"));
        trigger.Tag("root_execution_id", context.GetString("RootExecutionId"));
        trigger.Tag("serverless_version", context.GetString("serverless-version"));

        // A state machine started by a traced Lambda function passes that trace on: Datadog's Node.js library tags it as
        // its context's trace_id and dd_p_tid (the _dd.p.tid text of x-datadog-tags, as given).
        if (context.StringEquals("serverless-version", "v1") && context.GetString("RootExecutionId") is null && context.GetString("x-datadog-trace-id") is { } traceId
            && context.GetString("x-datadog-tags") is { } tags)
        {
            trigger.Tag("trace_id", traceId);
            trigger.Tag("dd_p_tid", TidText(tags));
        }
    }

    private static string TidText(string tags)
    {
        const string Key = "_dd.p.tid=";
        var start = tags.IndexOf(Key, StringComparison.Ordinal);
        if (start < 0)
        {
            return string.Empty;
        }

        start += Key.Length;
        var end = tags.IndexOf(',', start);
        return end < 0 ? tags[start..] : tags[start..end];
    }
}
