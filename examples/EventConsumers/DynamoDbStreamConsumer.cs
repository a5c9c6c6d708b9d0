// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda;
using OpenTelemetry.Trace;

namespace EventConsumers;

/// <summary>
/// A DynamoDB Streams consumer. Like S3, streams carry no trace context: each record gives the <c>aws.dynamodb</c> span a
/// span pointer (table, primary key), which Datadog joins to the writer's PutItem/UpdateItem/DeleteItem span.
/// </summary>
public sealed class DynamoDbStreamConsumer(Action<DatadogLambdaOptions>? configure = null) : IDisposable
{
    private readonly TracerProvider tracing = ConsumerTracing.Build(configure);

    public Task<int> Handle(Stream @event, DatadogLambdaContext context) =>
        DatadogLambda.TraceAsync(this.tracing, @event, ConsumerJson.Default.JsonElement, context, static (evt, _) =>
        {
            var changes = evt.TryGetProperty("Records", out var records) && records.ValueKind == JsonValueKind.Array ? records.GetArrayLength() : 0;
            using var span = ConsumerTracing.Source.StartActivity("project changes");
            span?.SetTag("changes", changes);
            return Task.FromResult(changes);
        });

    public void Dispose() => this.tracing.Dispose();
}
