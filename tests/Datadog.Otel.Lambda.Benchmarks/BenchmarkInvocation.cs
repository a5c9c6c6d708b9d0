// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using OpenTelemetry.Exporter;

namespace Datadog.Otel.Lambda.Benchmarks;

/// <summary>What the export benchmarks share: the Lambda context of a warm invocation and OpenTelemetry's OTLP exporter.</summary>
internal static class BenchmarkInvocation
{
    public static readonly Func<Stream, DatadogLambdaContext, Task<int>> Handler = static (_, _) => Task.FromResult(1);

    public static DatadogLambdaContext Context() => new()
    {
        AwsRequestId = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
        InvokedFunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:benchmark",
        FunctionName = "benchmark",
        Deadline = DateTimeOffset.UtcNow.AddDays(1),
    };

    /// <summary>OpenTelemetry's OTLP exporter, http/protobuf, to <paramref name="endpoint"/> as given.</summary>
    public static OtlpTraceExporter OtlpExporter(Uri endpoint) => new(new OtlpExporterOptions
    {
        Endpoint = endpoint,
        Protocol = OtlpExportProtocol.HttpProtobuf,
    });
}
