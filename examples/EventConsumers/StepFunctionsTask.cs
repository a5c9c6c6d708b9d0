// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda;
using OpenTelemetry.Trace;

namespace EventConsumers;

/// <summary>
/// A Step Functions task (Lambda Invoke state). With the payload <c>{"Execution.$":"$$.Execution", "State.$":"$$.State",
/// "StateMachine.$":"$$.StateMachine"}</c> (or JSONata's <c>$states.context</c>) the function's span joins the
/// execution's trace: its ids are derived from the execution and state, as Datadog's libraries do, so every task of
/// one execution lands in one trace without any header.
/// </summary>
public sealed class StepFunctionsTask(Action<DatadogLambdaOptions>? configure = null) : IDisposable
{
    private readonly TracerProvider tracing = ConsumerTracing.Build(configure);

    public Task<string> Handle(Stream @event, DatadogLambdaContext context) =>
        DatadogLambda.TraceAsync(this.tracing, @event, ConsumerJson.Default.JsonElement, context, static (evt, _) =>
        {
            var state = evt.TryGetProperty("State", out var s) && s.TryGetProperty("Name", out var name) ? name.GetString() : null;
            using var span = ConsumerTracing.Source.StartActivity("run task");
            span?.SetTag("state", state);
            return Task.FromResult($"done: {state}");
        });

    public void Dispose() => this.tracing.Dispose();
}
