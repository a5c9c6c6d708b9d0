// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Invocation;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// EventBridge: the <c>aws.eventbridge</c> inferred span, named after the event's <c>source</c>, starting at its
/// <c>time</c> — or at the state's entry time when the detail carries a Step Functions context, whose <c>time</c> is
/// only second-precise.
/// </summary>
internal static class EventBridgeTrigger
{
    public static void Describe(TriggerDescription trigger, LambdaSettings settings, FunctionInfo function)
    {
        trigger.InferredSpans.Add(CreateSpan(settings, trigger.Root));
    }

    public static InferredSpanSpec CreateSpan(LambdaSettings settings, JsonElement @event)
    {
        var source = @event.GetString("source");
        var start = EventTime.FromIso(@event, "time");
        if (@event.TryGetObject("detail", out var detail) && detail.TryGetObject("_datadog", out var datadog)
            && StepFunctionsEvent.HasContextShape(datadog) && datadog.TryGetObject("State", out var state))
        {
            start = EventTime.FromIso(state, "EnteredTime") ?? start;
        }

        var span = new InferredSpanSpec
        {
            OperationName = "aws.eventbridge",
            Service = ServiceNames.Resolve(settings, source, "lambda_eventbridge", source, "eventbridge"),
            Resource = source ?? "eventbridge",
            Start = start,
        };
        span.Tag("detail_type", @event.GetString("detail-type"));
        span.Tag("messaging.system", "aws_eventbridge");
        span.Tag("messaging.destination.name", source);
        return span;
    }
}
