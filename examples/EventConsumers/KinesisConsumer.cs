// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using System.Text.Json;
using Datadog.Otel.Lambda;
using OpenTelemetry.Trace;

namespace EventConsumers;

/// <summary>
/// A Kinesis stream consumer. The trace continues from the producer of the first record (a JSON record with a
/// <c>_datadog</c> member) through an <c>aws.kinesis</c> span; records are base64 as Lambda delivers them.
/// </summary>
public sealed class KinesisConsumer(Action<DatadogLambdaOptions>? configure = null) : IDisposable
{
    private readonly TracerProvider tracing = ConsumerTracing.Build(configure);

    public Task<int> Handle(Stream @event, DatadogLambdaContext context) =>
        DatadogLambda.TraceAsync(this.tracing, @event, ConsumerJson.Default.JsonElement, context, static (evt, _) =>
        {
            var bytes = 0;
            if (evt.TryGetProperty("Records", out var records) && records.ValueKind == JsonValueKind.Array)
            {
                foreach (var record in records.EnumerateArray())
                {
                    if (record.TryGetProperty("kinesis", out var kinesis) && kinesis.TryGetProperty("data", out var data) && data.TryGetBytesFromBase64(out var payload))
                    {
                        bytes += Encoding.UTF8.GetCharCount(payload);
                    }
                }
            }

            using var span = ConsumerTracing.Source.StartActivity("aggregate records");
            span?.SetTag("records.characters", bytes);
            return Task.FromResult(bytes);
        });

    public void Dispose() => this.tracing.Dispose();
}
