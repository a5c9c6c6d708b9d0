// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json.Serialization;
using Datadog.Otel.Lambda;
using OpenTelemetry.Trace;

namespace EventConsumers;

/// <summary>
/// An SQS batch consumer with partial batch responses. The trace continues from the first message's sender (its
/// <c>_datadog</c> attribute) through an <c>aws.sqs</c> span; the other messages' traces are span links. The event is
/// deserialized once, by source-generated JSON.
/// </summary>
public sealed class SqsBatchConsumer(Action<DatadogLambdaOptions>? configure = null) : IDisposable
{
    private readonly TracerProvider tracing = ConsumerTracing.Build(configure);

    /// <summary>In Lambda: <c>public Task&lt;SqsBatchResponse&gt; Handler(Stream evt, ILambdaContext ctx) =&gt; consumer.Handle(evt, ctx.ToDatadog());</c></summary>
    public Task<SqsBatchResponse> Handle(Stream @event, DatadogLambdaContext context) =>
        DatadogLambda.TraceAsync(this.tracing, @event, ConsumerJson.Default.SqsBatch, context, Process);

    public void Dispose() => this.tracing.Dispose();

    private static Task<SqsBatchResponse> Process(SqsBatch batch, DatadogLambdaContext context)
    {
        var failures = new List<SqsBatchItemFailure>();
        foreach (var message in batch.Records ?? [])
        {
            using var span = ConsumerTracing.Source.StartActivity("process message");
            span?.SetTag("messaging.message.id", message.MessageId);
            if (message.Body == "fail")
            {
                // Only this message goes back to the queue.
                failures.Add(new SqsBatchItemFailure(message.MessageId));
            }
        }

        return Task.FromResult(new SqsBatchResponse(failures));
    }
}

public sealed record SqsBatch([property: JsonPropertyName("Records")] List<SqsMessage>? Records);

public sealed record SqsMessage([property: JsonPropertyName("messageId")] string? MessageId, [property: JsonPropertyName("body")] string? Body);

public sealed record SqsBatchResponse([property: JsonPropertyName("batchItemFailures")] List<SqsBatchItemFailure> BatchItemFailures);

public sealed record SqsBatchItemFailure([property: JsonPropertyName("itemIdentifier")] string? ItemIdentifier);

[JsonSerializable(typeof(System.Text.Json.JsonElement))]
[JsonSerializable(typeof(SqsBatch))]
[JsonSerializable(typeof(SqsBatchResponse))]
public sealed partial class ConsumerJson : JsonSerializerContext;
