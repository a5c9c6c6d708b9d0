// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Events;
using Datadog.Otel.Lambda.Extraction;
using Datadog.Otel.Lambda.Internal;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// An EventBridge event, wherever it is (the event itself, or one delivered to SQS): the members the
/// <c>aws.eventbridge</c> span is made of, and <c>detail._datadog</c>, the producer's trace headers (or the Step
/// Functions context of a state machine that put the event).
/// </summary>
internal sealed class EventBridgeMessage
{
    private readonly int time;
    private readonly int datadog;
    private readonly int serverlessVersion;
    private readonly StepFunctionsContext.Probe stepFunctions;

    /// <param name="schema">The schema the event is read with.</param>
    /// <param name="path">The path of the event object (none: the document itself).</param>
    public EventBridgeMessage(EventSchema schema, params string[] path)
    {
        this.Source = schema.Field([.. path, "source"]);
        this.DetailType = schema.Field([.. path, "detail-type"]);
        this.Detail = schema.Field([.. path, "detail"]);
        this.time = schema.Field([.. path, "time"]);
        this.datadog = schema.Field([.. path, "detail", "_datadog"]);
        this.serverlessVersion = schema.Field([.. path, "detail", "_datadog", "serverless-version"]);
        this.stepFunctions = new StepFunctionsContext.Probe(schema, [.. path, "detail", "_datadog"]);
    }

    public int Source { get; }

    public int DetailType { get; }

    public int Detail { get; }

    /// <summary>
    /// The <c>aws.eventbridge</c> span, named after the event's <c>source</c>, starting at its <c>time</c> — or at the state's
    /// entry time when the detail carries a Step Functions context, whose <c>time</c> is only second-precise. The context
    /// counts as one only with its <c>serverless-version</c> member, as Python's <c>is_step_function_event(detail)</c> has it.
    /// </summary>
    public InferredSpanPlan Span(TriggerContext context, in EventView view, DateTimeOffset? eventEnd)
    {
        var source = view.String(this.Source);
        var start = EventTime.FromIso(view, this.time);
        if (view.IsObject(this.Detail) && view.IsObject(this.datadog) && view.Has(this.serverlessVersion) && StepFunctionsContext.HasShape(view, this.stepFunctions))
        {
            start = EventTime.FromIso(view, this.stepFunctions.StateEnteredTime) ?? start;
        }

        var tags = default(TagBuffer);
        tags.Add("detail_type", view.String(this.DetailType));
        tags.Add("messaging.system", "aws_eventbridge");
        tags.Add("messaging.destination.name", source);
        return new InferredSpanPlan
        {
            OperationName = "aws.eventbridge",
            Service = ServiceNames.Resolve(context.Settings, source, "lambda_eventbridge", source, "eventbridge"),
            Resource = source ?? "eventbridge",
            EventStart = start,
            EventEnd = eventEnd,
            Tags = tags.ToArray(),
        };
    }

    /// <summary>The context of <c>detail._datadog</c>.</summary>
    public UpstreamContext? Extract(TriggerContext context, in EventView view, System.Text.Json.JsonReaderOptions options, string carrierName)
    {
        if (!view.IsObject(this.Detail) || !view.IsObject(this.datadog))
        {
            return null;
        }

        return context.Map(view.RawMemory(this.datadog), options) is { } headers ? context.Extractor.FromHeaderMap(headers, carrierName) : null;
    }
}
