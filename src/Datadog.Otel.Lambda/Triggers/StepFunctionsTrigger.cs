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
    }
}
