// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda.Internal;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// Finds the Step Functions context object Datadog's instrumentation asks users to pass to a task: the event itself
/// (JSONPath <c>"$$.Execution"…</c>), its <c>Payload</c> (legacy Lambda integration) or its <c>_datadog</c> member
/// (JSONata and <c>serverless-version</c> v1 payloads).
/// </summary>
internal static class StepFunctionsEvent
{
    public static bool IsContext(JsonElement root) => TryGetContext(root, out _);

    public static bool TryGetContext(JsonElement root, out JsonElement context)
    {
        var candidate = root;
        if (candidate.TryGetObject("Payload", out var payload))
        {
            candidate = payload;
        }

        if (candidate.TryGetObject("_datadog", out var datadog) && HasContextShape(datadog))
        {
            context = datadog;
            return true;
        }

        if (HasContextShape(candidate))
        {
            context = candidate;
            return true;
        }

        context = default;
        return false;
    }

    /// <summary><c>Execution</c>, <c>State</c> and <c>StateMachine</c> objects with the execution id and state name.</summary>
    public static bool HasContextShape(JsonElement candidate) =>
        candidate.TryGetObject("Execution", out var execution) && execution.GetString("Id") is not null
        && candidate.TryGetObject("State", out var state) && state.GetString("Name") is not null
        && candidate.TryGetObject("StateMachine", out _);
}
