// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json.Serialization;
using Datadog.Otel.Lambda;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace AotFunction;

/// <summary>An SQS consumer traced with Datadog.Otel.Lambda, with nothing that needs reflection.</summary>
public sealed class Function
{
    private readonly TracerProvider tracing;
    private readonly ILogger logger;

    public Function(ILoggerFactory logging)
    {
        // AddDatadogLambda: propagators, sampler, processors, resource, OTLP http/protobuf to the extension.
        this.tracing = Sdk.CreateTracerProviderBuilder().AddDatadogLambda().Build()!;
        this.logger = logging.CreateLogger<Function>();
    }

    public TracerProvider Tracing => this.tracing;

    /// <summary>The handler: the SQS event is deserialized once, by source-generated JSON, and traced.</summary>
    public Task<BatchResponse> HandleAsync(Stream @event, DatadogLambdaContext context) =>
        DatadogLambda.TraceAsync(this.tracing, @event, FunctionJson.Default.SqsEvent, context, this.ProcessAsync);

    private Task<BatchResponse> ProcessAsync(SqsEvent sqs, DatadogLambdaContext context)
    {
        foreach (var record in sqs.Records ?? [])
        {
            this.logger.LogInformation("message {MessageId}: {Body}", record.MessageId, record.Body);
        }

        return Task.FromResult(new BatchResponse([]));
    }
}

public sealed record SqsEvent(List<SqsRecord>? Records);

public sealed record SqsRecord(
    [property: JsonPropertyName("messageId")] string? MessageId,
    [property: JsonPropertyName("body")] string? Body);

/// <summary>SQS partial batch response.</summary>
public sealed record BatchResponse([property: JsonPropertyName("batchItemFailures")] List<string> BatchItemFailures);

[JsonSerializable(typeof(SqsEvent))]
[JsonSerializable(typeof(BatchResponse))]
public sealed partial class FunctionJson : JsonSerializerContext;
