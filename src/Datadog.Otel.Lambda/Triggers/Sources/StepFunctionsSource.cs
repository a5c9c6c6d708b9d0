// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda.Events;
using Datadog.Otel.Lambda.Extraction;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// Step Functions tasks, recognised by the context object Datadog's instrumentation asks users to pass: the event itself
/// (JSONPath <c>"$$.Execution"…</c>), its <c>Payload</c> (legacy Lambda integration) or its <c>_datadog</c> member (JSONata
/// and <c>serverless-version</c> v1 payloads; such a member counts only with a <c>serverless-version</c>). The state machine's ARN and the execution's tags; no inferred span; the
/// parent context is derived from the execution (<see cref="StepFunctionsContext"/>).
/// </summary>
internal sealed class StepFunctionsSource : TriggerSource
{
    private int payload;
    private int datadog;
    private int payloadDatadog;
    private int version;
    private int payloadVersion;
    private StepFunctionsContext.Probe root;
    private StepFunctionsContext.Probe inPayload;
    private StepFunctionsContext.Probe inDatadog;
    private StepFunctionsContext.Probe inPayloadDatadog;

    public StepFunctionsSource()
        : base(TriggerKind.StepFunctions)
    {
    }

    public override string EventSource => "states";

    public override void Declare(TriggerSchema schema)
    {
        this.payload = schema.Field("Payload");
        this.datadog = schema.Field("_datadog");
        this.payloadDatadog = schema.Field("Payload", "_datadog");
        this.version = schema.Field("_datadog", "serverless-version");
        this.payloadVersion = schema.Field("Payload", "_datadog", "serverless-version");
        this.root = new StepFunctionsContext.Probe(schema.Root);
        this.inPayload = new StepFunctionsContext.Probe(schema.Root, "Payload");
        this.inDatadog = new StepFunctionsContext.Probe(schema.Root, "_datadog");
        this.inPayloadDatadog = new StepFunctionsContext.Probe(schema.Root, "Payload", "_datadog");
    }

    public override bool Matches(TriggerContext context) => context.Fields.RootKind == JsonTokenType.StartObject && this.ContextField(context) != int.MinValue;

    public override void Describe(TriggerContext context)
    {
        if (this.Read(context) is not { } stepFunctions)
        {
            return;
        }

        context.EventSourceArn = stepFunctions.StateMachineArn;
        context.Tag("execution_id", stepFunctions.ExecutionArn);
        context.Tag("state_name", stepFunctions.StateNameText);
        context.Tag("state_entered_time", stepFunctions.StateEnteredTime);
        context.Tag("retry_count", stepFunctions.RetryCountText);
        context.Tag("redrive_count", stepFunctions.RedriveCountText);
        context.Tag("root_execution_id", stepFunctions.RootExecutionId);
        context.Tag("serverless_version", stepFunctions.ServerlessVersion);

        // A state machine started by a traced Lambda function passes that trace on: Datadog's Node.js library tags it as
        // its context's trace_id and dd_p_tid (the _dd.p.tid text of x-datadog-tags, as given).
        if (stepFunctions.ServerlessVersion == "v1" && stepFunctions.RootExecutionId is null && stepFunctions.TraceIdString is { } traceId
            && stepFunctions.TagsString is { } tags)
        {
            context.Tag("trace_id", traceId);
            context.Tag("dd_p_tid", TidText(tags));
        }

        if (context.ExtractsFromEvent && stepFunctions.TryDerive(out var derived))
        {
            context.Upstream = new UpstreamContext(derived, UpstreamSource.Event) { Carrier = "states" };
        }
    }

    /// <summary>
    /// The field of the context object: the candidate is <c>Payload</c> when it is an object, else the event; its
    /// <c>_datadog</c> when that has the shape and a <c>serverless-version</c> member (JSONata, as Python's
    /// <c>is_step_function_event</c> requires), else the candidate itself when it has the shape. -1 is the event itself;
    /// <see cref="int.MinValue"/> when there is none.
    /// </summary>
    private int ContextField(TriggerContext context)
    {
        var view = context.Root;
        var inPayloadObject = view.IsObject(this.payload);
        if (inPayloadObject)
        {
            if (view.IsObject(this.payloadDatadog) && view.Has(this.payloadVersion) && StepFunctionsContext.HasShape(view, this.inPayloadDatadog))
            {
                return this.payloadDatadog;
            }

            return StepFunctionsContext.HasShape(view, this.inPayload) ? this.payload : int.MinValue;
        }

        if (view.IsObject(this.datadog) && view.Has(this.version) && StepFunctionsContext.HasShape(view, this.inDatadog))
        {
            return this.datadog;
        }

        return StepFunctionsContext.HasShape(view, this.root) ? -1 : int.MinValue;
    }

    private StepFunctionsContext? Read(TriggerContext context)
    {
        var field = this.ContextField(context);
        if (field == int.MinValue)
        {
            return null;
        }

        var json = field == -1 ? context.Fields.Json : context.Root.RawMemory(field);
        return StepFunctionsContext.Read(json, EventReader.EventOptions);
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
