// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Datadog.Otel.Lambda;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ExistingOtelSetup;

/// <summary>
/// A function whose team already had an OpenTelemetry setup: their resource, their ActivitySource, HttpClient
/// instrumentation and their own OTLP exporter (to a Collector, say). Adding Datadog is the one marked line: the
/// provider keeps everything it had, gains the Datadog invocation and inferred spans, propagation and sampler, and
/// since an OTLP exporter is already configured, no second one is added (the spans go where they went before; point it
/// at the extension's 4318 or at a Collector with the Datadog exporter, see otel-collector-config/). Resource
/// attributes added after AddDatadogLambda win over its defaults (here the service name); DD_SERVICE works too.
/// </summary>
public sealed class ReportFunction : IDisposable
{
    private static readonly ActivitySource Source = new("Reports");

    private readonly TracerProvider tracing;

    public ReportFunction(Uri otlpTracesEndpoint, Action<DatadogLambdaOptions>? configure = null)
    {
        this.tracing = Sdk.CreateTracerProviderBuilder()
            .AddDatadogLambda(configure) // <- the one added call (first, so that the resource set below keeps its service name)
            .ConfigureResource(r => r.AddService("reports"))
            .AddSource(Source.Name)
            .AddHttpClientInstrumentation()
            .AddOtlpExporter(o =>
            {
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.Endpoint = otlpTracesEndpoint;
            })
            .Build()!;
    }

    public Task<int> Handle(Stream @event, DatadogLambdaContext context) =>
        DatadogLambda.TraceAsync(this.tracing, @event, ReportJson.Default.JsonElement, context, static (evt, _) =>
        {
            using var span = Source.StartActivity("build report");
            var rows = evt.TryGetProperty("rows", out var value) && value.TryGetInt32(out var n) ? n : 0;
            span?.SetTag("report.rows", rows);
            return Task.FromResult(rows);
        });

    public void Dispose() => this.tracing.Dispose();
}

/// <summary>Source-generated JSON metadata: the function reads its event as <see cref="JsonElement"/>.</summary>
[JsonSerializable(typeof(JsonElement))]
public sealed partial class ReportJson : JsonSerializerContext;
