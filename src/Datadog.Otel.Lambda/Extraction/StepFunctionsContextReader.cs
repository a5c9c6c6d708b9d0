// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text.Json;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Propagation;
using Datadog.Otel.Lambda.StepFunctions;

namespace Datadog.Otel.Lambda.Extraction;

/// <summary>
/// The parent context of a Step Functions task, derived deterministically from its context object (execution,
/// state, entry time, retries), so that the state machine's spans and the function's join without a header
/// (datadog-lambda-behaviour.md §1.7). Sampling priority is always 1.
/// </summary>
internal static class StepFunctionsContextReader
{
    public static bool TryRead(JsonElement context, out ActivityContext parent)
    {
        parent = default;
        if (!context.TryGetObject("Execution", out var execution) || !context.TryGetObject("State", out var state)
            || execution.GetString("Id") is not { } executionId || state.GetString("Name") is not { } stateName)
        {
            return false;
        }

        string? upstreamTraceId = context.GetScalarText("x-datadog-trace-id");
        string? upstreamTags = context.GetString("x-datadog-tags");
        if (upstreamTraceId is null && execution.TryGetObject("Input", out var input) && input.TryGetObject("_datadog", out var legacy))
        {
            upstreamTraceId = legacy.GetScalarText("x-datadog-trace-id");
            upstreamTags = legacy.GetString("x-datadog-tags");
        }

        var fields = new StepFunctionsContextFields
        {
            ExecutionId = executionId,
            StateName = stateName,
            StateEnteredTime = state.GetScalarText("EnteredTime") ?? string.Empty,
            RetryCount = state.TryGetDouble("RetryCount", out var retry) ? (long)retry : 0,
            RedriveCount = execution.TryGetDouble("RedriveCount", out var redrive) ? (long)redrive : 0,
            RootExecutionId = context.GetString("RootExecutionId"),
            ServerlessVersion = context.GetString("serverless-version"),
            UpstreamTraceId = upstreamTraceId,
            UpstreamTags = upstreamTags,
        };
        if (!StepFunctionsTraceContext.TryCreate(fields, out var derived))
        {
            return false;
        }

        parent = new ActivityContext(
            derived.TraceId,
            derived.SpanId,
            ActivityTraceFlags.Recorded,
            DatadogTraceState.WithDecision(null, StepFunctionsTraceContext.SamplingPriority, null),
            isRemote: true);
        return true;
    }
}
