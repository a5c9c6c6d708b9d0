// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda;
using OpenTelemetry.Trace;

namespace EventConsumers;

/// <summary>
/// An S3 notification consumer. S3 carries no trace context: the <c>aws.s3</c> span gets a span pointer per created
/// object (a hash of bucket, key and ETag), and Datadog joins it to the writer's PutObject span, which computes the
/// same hash, in another trace.
/// </summary>
public sealed class S3Consumer(Action<DatadogLambdaOptions>? configure = null) : IDisposable
{
    private readonly TracerProvider tracing = ConsumerTracing.Build(configure);

    public Task<List<string>> Handle(Stream @event, DatadogLambdaContext context) =>
        DatadogLambda.TraceAsync(this.tracing, @event, ConsumerJson.Default.JsonElement, context, static (evt, _) =>
        {
            var keys = new List<string>();
            if (evt.TryGetProperty("Records", out var records) && records.ValueKind == JsonValueKind.Array)
            {
                foreach (var record in records.EnumerateArray())
                {
                    if (record.TryGetProperty("s3", out var s3) && s3.TryGetProperty("object", out var obj) && obj.TryGetProperty("key", out var key))
                    {
                        keys.Add(key.GetString() ?? string.Empty);
                    }
                }
            }

            using var span = ConsumerTracing.Source.StartActivity("index objects");
            span?.SetTag("objects", keys.Count);
            return Task.FromResult(keys);
        });

    public void Dispose() => this.tracing.Dispose();
}
