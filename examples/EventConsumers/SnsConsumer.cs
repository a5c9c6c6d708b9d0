// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda;
using OpenTelemetry.Trace;

namespace EventConsumers;

/// <summary>
/// An SNS subscriber, directly (SNS event, <c>aws.sns</c> span) or through a queue (SQS event whose body is the SNS
/// notification: <c>aws.sns</c> then <c>aws.sqs</c>). Either way the trace continues from the publisher, whose
/// context SNS carried in the <c>_datadog</c> message attribute. Nothing here depends on which path was taken.
/// </summary>
public sealed class SnsConsumer(Action<DatadogLambdaOptions>? configure = null) : IDisposable
{
    private readonly TracerProvider tracing = ConsumerTracing.Build(configure);

    public Task<int> Handle(Stream @event, DatadogLambdaContext context) =>
        DatadogLambda.TraceAsync(this.tracing, @event, ConsumerJson.Default.JsonElement, context, static (evt, _) =>
        {
            var count = evt.TryGetProperty("Records", out var records) && records.ValueKind == JsonValueKind.Array ? records.GetArrayLength() : 0;
            using var span = ConsumerTracing.Source.StartActivity("handle notifications");
            span?.SetTag("notifications", count);
            return Task.FromResult(count);
        });

    public void Dispose() => this.tracing.Dispose();
}
