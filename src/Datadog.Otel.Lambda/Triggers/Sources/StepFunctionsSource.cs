// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda.Events;
using Datadog.Otel.Lambda.Extraction;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// Step Functions tasks, recognised by the context object Datadog's instrumentation asks users to pass: the event itself
/// (JSONPath <c>"$$.Execution"…</c>), its <c>Payload</c> (legacy Lambda integration) or its <c>_datadog</c> member (JSONata
/// and <c>serverless-version</c> v1 payloads; such a member counts only with a <c>serverless-version</c>). The state
/// machine's ARN is the only tag (Python's; Node.js also tags the execution's fields); no inferred span; the parent
/// context is derived from the execution (<see cref="StepFunctionsContext"/>).
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

        // Only the state machine's ARN, as in Python: the execution's fields (execution_id, state_name, …) that Node.js
        // also tags on aws.lambda go into the parent context and nowhere else.
        context.EventSourceArn = stepFunctions.StateMachineArn;

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
}
