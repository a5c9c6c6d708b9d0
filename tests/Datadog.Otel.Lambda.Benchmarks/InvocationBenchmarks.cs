// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.Core;
using Amazon.Lambda.SQSEvents;
using BenchmarkDotNet.Attributes;
using Datadog.Otel.Lambda.Benchmarks.Contrib;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.Benchmarks;

/// <summary>
/// One invocation of a typed handler, from the raw event Lambda hands the runtime to the handler's result, three ways in
/// the same run:
/// <list type="bullet">
/// <item><see cref="BareTypedHandler"/>: Lambda's serializer deserializes the event and the handler runs (no tracing);</item>
/// <item><see cref="ContribEquivalent"/>: the same, wrapped in the per-invocation work of OpenTelemetry contrib's
/// <c>AWSLambdaWrapper.TraceAsync</c> (<see cref="ContribEquivalentWrapper"/>) on a provider with a no-op exporter behind a
/// simple processor;</item>
/// <item><see cref="Datadog"/>: the typed overload of <c>DatadogLambda.TraceAsync</c> with the same serializer metadata and
/// <c>ctx.ToDatadog()</c>, every default feature on, on a provider with no exporter (the export is measured on its own,
/// FlushBenchmarks).</item>
/// </list>
/// What a library adds is its time (and allocation) minus the bare handler's. HTTP events get a typed HTTP response, the
/// other events an integer. No X-Ray header is set (Lambda sets one per invocation; contrib would then parse it when the
/// event has no parent, ours reads it only for X-Ray merging and metadata, both off here).
/// </summary>
[MemoryDiagnoser]
public class InvocationBenchmarks
{
    private TracerProvider provider = null!;
    private TracerProvider contribProvider = null!;
    private EventCase current = null!;

    /// <summary>Gets the events measured: all of them, or the comma-separated names in <c>BENCHMARK_EVENTS</c> (in-process runs).</summary>
    public static IEnumerable<string> Events =>
        Environment.GetEnvironmentVariable("BENCHMARK_EVENTS")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        ?? ["sqs", "sqs-10", "api-gateway-rest", "http-api", "sns-sqs", "kinesis", "eventbridge", "s3"];

    [ParamsSource(nameof(Events))]
    public string Event { get; set; } = "sqs";

    [GlobalSetup]
    public void Setup()
    {
        Environment.SetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME", "benchmark");
        var serializer = new BenchmarkLambdaSerializer();
        this.provider = Sdk.CreateTracerProviderBuilder()
            .AddDatadogLambda(o =>
            {
                o.Exporter = DatadogLambdaExporter.None;
                o.FlushTracerProvider = false;
                o.JsonTypeInfoResolver = serializer.Options.TypeInfoResolver;
            })
            .Build()!;

        // The contrib-equivalent gets the provider its users build: its source and an exporter behind a simple processor.
        this.contribProvider = Sdk.CreateTracerProviderBuilder()
            .AddSource(ContribEquivalentWrapper.Name)
            .AddProcessor(new SimpleActivityExportProcessor(new NoopExporter()))
            .Build()!;

        var bytes = Benchmarks.Events.Load(this.Event);
        this.current = this.Event switch
        {
            "sqs" or "sqs-10" or "sns-sqs" => new EventCase<SQSEvent, int>(bytes, serializer, this.provider, this.contribProvider, 1),
            "api-gateway-rest" => new EventCase<APIGatewayProxyRequest, APIGatewayProxyResponse>(bytes, serializer, this.provider, this.contribProvider, new APIGatewayProxyResponse { StatusCode = 200 }),
            "http-api" => new EventCase<APIGatewayHttpApiV2ProxyRequest, APIGatewayHttpApiV2ProxyResponse>(bytes, serializer, this.provider, this.contribProvider, new APIGatewayHttpApiV2ProxyResponse { StatusCode = 200 }),
            _ => new EventCase<JsonElement, int>(bytes, serializer, this.provider, this.contribProvider, 1),
        };

        // Cold starts happen once per process: measure warm invocations.
        this.current.Bare();
        this.current.Contrib();
        this.current.Datadog();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        this.provider.Dispose();
        this.contribProvider.Dispose();
    }

    [Benchmark(Baseline = true)]
    public object? BareTypedHandler() => this.current.Bare();

    /// <summary>OpenTelemetry contrib's per-invocation work (see <see cref="ContribEquivalentWrapper"/>).</summary>
    [Benchmark]
    public object? ContribEquivalent() => this.current.Contrib();

    [Benchmark]
    public object? Datadog() => this.current.Datadog();

    private abstract class EventCase
    {
        public abstract object? Bare();

        public abstract object? Contrib();

        public abstract object? Datadog();
    }

    private sealed class EventCase<TEvent, TResult> : EventCase
    {
        private static readonly ILambdaContext LambdaContext = new BenchmarkLambdaContext();

        private readonly MemoryStream stream;
        private readonly BenchmarkLambdaSerializer serializer;
        private readonly JsonTypeInfo<TEvent> eventType;
        private readonly TracerProvider provider;
        private readonly TracerProvider contribProvider;
        private readonly Func<TEvent, ILambdaContext, Task<TResult>> handler;
        private readonly Func<TEvent, DatadogLambdaContext, Task<TResult>> datadogHandler;

        public EventCase(byte[] bytes, BenchmarkLambdaSerializer serializer, TracerProvider provider, TracerProvider contribProvider, TResult result)
        {
            this.stream = new MemoryStream(bytes);
            this.serializer = serializer;
            this.eventType = serializer.TypeInfo<TEvent>();
            this.provider = provider;
            this.contribProvider = contribProvider;
            var completed = Task.FromResult(result);
            this.handler = (_, _) => completed;
            this.datadogHandler = (_, _) => completed;
        }

        public override object? Bare()
        {
            this.stream.Position = 0;
            var evt = this.serializer.Deserialize<TEvent>(this.stream);
            return this.handler(evt, LambdaContext).GetAwaiter().GetResult();
        }

        public override object? Contrib()
        {
            this.stream.Position = 0;
            var evt = this.serializer.Deserialize<TEvent>(this.stream);
            return ContribEquivalentWrapper.TraceAsync(this.contribProvider, this.handler, evt, LambdaContext).GetAwaiter().GetResult();
        }

        public override object? Datadog()
        {
            this.stream.Position = 0;
            return DatadogLambda.TraceAsync(this.provider, this.stream, this.eventType, LambdaContext.ToDatadog(), this.datadogHandler).GetAwaiter().GetResult();
        }
    }
}

internal sealed class NoopExporter : BaseExporter<Activity>
{
    public override ExportResult Export(in Batch<Activity> batch) => ExportResult.Success;
}
