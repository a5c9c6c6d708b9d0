// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text.Json;
using Datadog.Otel.Lambda.Events;
using Datadog.Otel.Lambda.Propagation;
using Datadog.Otel.Lambda.StepFunctions;

namespace Datadog.Otel.Lambda.Extraction;

/// <summary>
/// The Step Functions context object Datadog's instrumentation asks users to pass to a task (the event itself, its
/// <c>Payload</c> or a <c>_datadog</c> member), read from its text: the state machine's ARN the <c>states</c> trigger
/// tags, and the parent context derived deterministically from the execution, state, entry time and retries, so that
/// the state machine's spans and the function's join without a header (datadog-lambda-behaviour.md §1.7). Sampling
/// priority is always 1.
/// </summary>
internal sealed class StepFunctionsContext
{
    private static readonly EventSchema Schema = new();
    private static readonly int ExecutionId = Schema.Field("Execution", "Id");
    private static readonly int RedriveCount = Schema.Field("Execution", "RedriveCount");
    private static readonly int LegacyTraceId = Schema.Field("Execution", "Input", "_datadog", "x-datadog-trace-id");
    private static readonly int LegacyTags = Schema.Field("Execution", "Input", "_datadog", "x-datadog-tags");
    private static readonly int LegacyDatadog = Schema.Field("Execution", "Input", "_datadog");
    private static readonly int Input = Schema.Field("Execution", "Input");
    private static readonly int Execution = Schema.Field("Execution");
    private static readonly int StateName = Schema.Field("State", "Name");
    private static readonly int EnteredTime = Schema.Field("State", "EnteredTime");
    private static readonly int RetryCount = Schema.Field("State", "RetryCount");
    private static readonly int State = Schema.Field("State");
    private static readonly int StateMachine = Schema.Field("StateMachine");
    private static readonly int StateMachineId = Schema.Field("StateMachine", "Id");
    private static readonly int RootExecution = Schema.Field("RootExecutionId");
    private static readonly int Version = Schema.Field("serverless-version");
    private static readonly int TraceId = Schema.Field("x-datadog-trace-id");
    private static readonly int Tags = Schema.Field("x-datadog-tags");

    static StepFunctionsContext() => Schema.Freeze();

    private StepFunctionsContext()
    {
    }

    public required string ExecutionArn { get; init; }

    public required string StateNameText { get; init; }

    public string? StateMachineArn { get; init; }

    /// <summary>Gets <c>State.EnteredTime</c> when it is a string (an EventBridge span's start); <see cref="EnteredTimeText"/> is hashed.</summary>
    public string? StateEnteredTime { get; init; }

    public string? EnteredTimeText { get; init; }

    public long RetryCountValue { get; init; }

    public long RedriveCountValue { get; init; }

    public string? RootExecutionId { get; init; }

    public string? ServerlessVersion { get; init; }

    public string? UpstreamTraceId { get; init; }

    public string? UpstreamTags { get; init; }

    /// <summary>
    /// <c>Execution</c>, <c>State</c> and <c>StateMachine</c> objects with the execution id and state name: what makes an
    /// object a Step Functions context. The probes are the fields <see cref="Probe"/> declared in a caller's schema.
    /// </summary>
    public static bool HasShape(in EventView view, in Probe probe) =>
        view.IsObject(probe.Execution) && view.IsString(probe.ExecutionId)
        && view.IsObject(probe.State) && view.IsString(probe.StateName)
        && view.IsObject(probe.StateMachine);

    /// <summary>Reads the context object <paramref name="json"/> (its whole text); null when it does not have the shape.</summary>
    public static StepFunctionsContext? Read(ReadOnlyMemory<byte> json, JsonReaderOptions options)
    {
        var fields = EventFields.Rent(Schema, json);
        try
        {
            if (!EventReader.Read(json.Span, Schema, fields, options) || fields.RootKind != JsonTokenType.StartObject)
            {
                return null;
            }

            var view = fields.Root;
            if (!view.IsObject(Execution) || view.String(ExecutionId) is not { } executionId
                || !view.IsObject(State) || view.String(StateName) is not { } stateName || !view.IsObject(StateMachine))
            {
                return null;
            }

            // Where the upstream trace is read depends on the version, as in Python: a v1 context carries it beside
            // Execution; a legacy one only in the execution's input (a trace id beside Execution is not read there).
            var version = view.String(Version);
            string? upstreamTraceId = null;
            string? upstreamTags = null;
            if (version == "v1")
            {
                upstreamTraceId = view.ScalarText(TraceId);
                upstreamTags = view.String(Tags);
            }
            else if (view.IsObject(Input) && view.IsObject(LegacyDatadog))
            {
                upstreamTraceId = view.ScalarText(LegacyTraceId);
                upstreamTags = view.String(LegacyTags);
            }

            return new StepFunctionsContext
            {
                ExecutionArn = executionId,
                StateNameText = stateName,
                StateMachineArn = view.String(StateMachineId),
                StateEnteredTime = view.String(EnteredTime),
                EnteredTimeText = view.ScalarText(EnteredTime),
                RetryCountValue = view.TryGetDouble(RetryCount, out var retry) ? (long)retry : 0,
                RedriveCountValue = view.TryGetDouble(RedriveCount, out var redrive) ? (long)redrive : 0,
                RootExecutionId = view.String(RootExecution),
                ServerlessVersion = version,
                UpstreamTraceId = upstreamTraceId,
                UpstreamTags = upstreamTags,
            };
        }
        finally
        {
            fields.Return();
        }
    }

    /// <summary>The parent context derived from the execution, state, entry time and retries.</summary>
    public bool TryDerive(out ActivityContext parent)
    {
        parent = default;
        var fields = new StepFunctionsContextFields
        {
            ExecutionId = this.ExecutionArn,
            StateName = this.StateNameText,
            StateEnteredTime = this.EnteredTimeText ?? string.Empty,
            RetryCount = this.RetryCountValue,
            RedriveCount = this.RedriveCountValue,
            RootExecutionId = this.RootExecutionId,
            ServerlessVersion = this.ServerlessVersion,
            UpstreamTraceId = this.UpstreamTraceId,
            UpstreamTags = this.UpstreamTags,
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

    /// <summary>The fields of a caller's schema that tell whether an object there is a Step Functions context.</summary>
    internal readonly struct Probe
    {
        public Probe(EventSchema schema, params string[] prefix)
        {
            this.Object = prefix.Length == 0 ? -1 : schema.Field(prefix);
            this.Execution = schema.Field([.. prefix, "Execution"]);
            this.ExecutionId = schema.Field([.. prefix, "Execution", "Id"]);
            this.State = schema.Field([.. prefix, "State"]);
            this.StateName = schema.Field([.. prefix, "State", "Name"]);
            this.StateEnteredTime = schema.Field([.. prefix, "State", "EnteredTime"]);
            this.StateMachine = schema.Field([.. prefix, "StateMachine"]);
        }

        /// <summary>Gets the field of the object itself (-1 for the document's root).</summary>
        public int Object { get; }

        public int Execution { get; }

        public int ExecutionId { get; }

        public int State { get; }

        public int StateName { get; }

        public int StateEnteredTime { get; }

        public int StateMachine { get; }
    }
}
