// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text.Json;
using AotFunction;
using Datadog.Otel.Lambda;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;

// The entry point of a custom-runtime function (provided.al2023). In your function this is one line with
// Amazon.Lambda.RuntimeSupport:
//
//     await LambdaBootstrapBuilder.Create<Stream, BatchResponse>(
//         (evt, ctx) => function.HandleAsync(evt, ctx.ToDatadog()), new SourceGeneratorLambdaJsonSerializer<FunctionJson>())
//         .Build().RunAsync();
//
// That package is not in this repository's package registry, so RuntimeApiLoop below speaks the same Lambda Runtime API
// (next invocation, response, error) itself; the tests run this executable against a Runtime API emulator.
//
// COLDSTART_TRACING selects what the cold-start harness compares (tests/Datadog.Otel.Lambda.ColdStart): the function
// traced with this distribution ("datadog": the example without its console logging), without tracing ("none"), or
// with the plain OpenTelemetry SDK and OTLP exporter doing the same work ("otel": one server span per invocation,
// exported before the response is sent). Unset, it is the example as you would deploy it, logging included.
var mode = Environment.GetEnvironmentVariable("COLDSTART_TRACING");
using var logging = mode is null
    ? LoggerFactory.Create(b => b.AddDatadogLambdaConsole().AddDatadogLambdaCorrelation())
    : Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;
Func<Stream, DatadogLambdaContext, Task<BatchResponse>> handler;
TracerProvider? provider = null;
switch (mode)
{
    case "none":
        var untracedLogger = logging.CreateLogger<Function>();
        handler = (evt, _) => Untraced(evt, untracedLogger);
        break;
    case "otel":
        var source = new ActivitySource("AotFunction");
        var endpoint = Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") ?? "http://127.0.0.1:4318/v1/traces";
        provider = Sdk.CreateTracerProviderBuilder()
            .AddSource("AotFunction")
            .AddOtlpExporter(o =>
            {
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.Endpoint = new Uri(endpoint);
                o.ExportProcessorType = ExportProcessorType.Simple;
            })
            .Build();
        var logger = logging.CreateLogger<Function>();
        handler = (evt, ctx) =>
        {
            using var span = source.StartActivity("aws.lambda", ActivityKind.Server);
            span?.SetTag("faas.invocation_id", ctx.AwsRequestId);
            return Untraced(evt, logger);
        };
        break;
    default:
        var function = new Function(logging);
        provider = function.Tracing;
        handler = function.HandleAsync;
        break;
}

var exitAfter = int.TryParse(Environment.GetEnvironmentVariable("EXIT_AFTER_INVOCATIONS"), out var n) ? n : int.MaxValue;
await RuntimeApiLoop.RunAsync(handler, FunctionJson.Default.BatchResponse, exitAfter);

// The cold-start harness reads the CPU time the process used up to here (start-up and its invocations; all threads).
if (mode is not null)
{
    Console.WriteLine("CPU_MS " + Environment.CpuUsage.TotalTime.TotalMilliseconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture));
}

provider?.Dispose();

// The cold-start harness reads the peak resident set of the process from this line.
if (File.Exists("/proc/self/status"))
{
    foreach (var line in File.ReadLines("/proc/self/status"))
    {
        if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
        {
            Console.WriteLine("PEAK_RSS_KB " + line["VmHWM:".Length..].Trim().Split(' ')[0]);
        }
    }
}

// The same work as Function's handler without its tracing (the event deserialized by source-generated JSON, a log line
// per record), so that the harness's comparison measures the tracing alone.
static Task<BatchResponse> Untraced(Stream evt, ILogger logger)
{
    var sqs = JsonSerializer.Deserialize(evt, FunctionJson.Default.SqsEvent);
    foreach (var record in sqs?.Records ?? [])
    {
        logger.LogInformation("message {MessageId}: {Body}", record.MessageId, record.Body);
    }

    return Task.FromResult(new BatchResponse([]));
}
