// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda;
using OpenTelemetry.Trace;

namespace EventConsumers;

/// <summary>
/// An EventBridge rule target. The <c>aws.eventbridge</c> span starts at the event's time and continues the trace of
/// the producer, which put its context in <c>detail._datadog</c> (the AWS SDK instrumentation does this on PutEvents).
/// </summary>
public sealed class EventBridgeConsumer(Action<DatadogLambdaOptions>? configure = null) : IDisposable
{
    private readonly TracerProvider tracing = ConsumerTracing.Build(configure);

    public Task<string?> Handle(Stream @event, DatadogLambdaContext context) =>
        DatadogLambda.TraceAsync(this.tracing, @event, ConsumerJson.Default.JsonElement, context, static (evt, _) =>
        {
            var type = evt.TryGetProperty("detail-type", out var value) ? value.GetString() : null;
            using var span = ConsumerTracing.Source.StartActivity("handle " + (type ?? "event"));
            return Task.FromResult(type);
        });

    public void Dispose() => this.tracing.Dispose();
}
