// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.Core;
using Amazon.Lambda.SQSEvents;
using BenchmarkDotNet.Attributes;
using Datadog.Otel.Lambda.Benchmarks.Contrib;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.Benchmarks;

/// <summary>
/// One warm invocation, export included, to a loopback OTLP/HTTP receiver (<see cref="LoopbackOtlpSink"/>, in this
/// process): the wrapped handler returns only once its spans were accepted. In the same run:
/// <list type="bullet">
/// <item><see cref="DatadogLambdaExport"/>: this library with its own exporter (one request per invocation).</item>
/// <item><see cref="SameSpansOtlpSimple"/>: the same wrapper and the same spans, exported by OpenTelemetry's
/// <c>OtlpTraceExporter</c> (http/protobuf) behind a <c>SimpleActivityExportProcessor</c>, as its users configure it
/// for Lambda (one request per span, sent as each span ends).</item>
/// <item><see cref="ContribEquivalentOtlpSimple"/>: the contrib-equivalent wrapper (one span with 7 tags) with the
/// same exporter and processor.</item>
/// </list>
/// Each benchmark operation is <see cref="Sequential"/> invocations awaited one after the other, as Lambda's runtime
/// client awaits the handler in its loop: an asynchronous export continues on the thread its response arrived on, as it
/// does in Lambda, instead of waking a thread blocked on the result (which only a benchmark harness does). The request
/// count and bytes per invocation are printed at the end of each case.
/// </summary>
[MemoryDiagnoser]
public class ExportBenchmarks
{
    private static readonly Func<Stream, DatadogLambdaContext, Task<int>> Handler = BenchmarkInvocation.Handler;

    private LoopbackOtlpSink sink = null!;
    private TracerProvider provider = null!;
    private MemoryStream stream = null!;
    private DatadogLambdaContext context = null!;
    private Func<int> contrib = null!;
    private const int Sequential = 16;

    private long invocations;

    [Params("sqs", "api-gateway-rest")]
    public string Event { get; set; } = "sqs";

    [GlobalSetup(Target = nameof(DatadogLambdaExport))]
    public void SetupDatadogLambda() => this.Start(
        (o, endpoint) =>
        {
            o.Exporter = DatadogLambdaExporter.Extension;
            o.Endpoint = endpoint;
        },
        null);

    [GlobalSetup(Target = nameof(SameSpansOtlpSimple))]
    public void SetupSameSpansOtlpSimple() => this.Start(
        (o, _) =>
        {
            o.Exporter = DatadogLambdaExporter.None;
            o.FlushTracerProvider = false;
        },
        (b, endpoint) => b.AddProcessor(new SimpleActivityExportProcessor(OtlpExporter(endpoint))));

    [GlobalSetup(Target = nameof(ContribEquivalentOtlpSimple))]
    public void SetupContribEquivalent()
    {
        this.Prepare();
        this.provider = Sdk.CreateTracerProviderBuilder()
            .AddSource("OpenTelemetry.Instrumentation.AWSLambda")
            .AddProcessor(new SimpleActivityExportProcessor(OtlpExporter(this.sink.Endpoint)))
            .Build()!;
        this.contrib = ContribInvocation(this.provider, this.Event);
        this.Warm(this.ContribEquivalentOtlpSimple);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (this.invocations > 0)
        {
            Console.WriteLine($"// export: {this.sink.Requests / (double)this.invocations:0.##} requests and {this.sink.Bytes / this.invocations} bytes per invocation (last request {this.sink.LastBodyLength} bytes), {this.sink.Connections} connections");
        }

        this.provider.Dispose();
        this.sink.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Sequential)]
    public async Task<int> DatadogLambdaExport()
    {
        var sum = 0;
        for (var i = 0; i < Sequential; i++)
        {
            this.stream.Position = 0;
            sum += await DatadogLambda.TraceAsync(this.provider, this.stream, this.context, Handler).ConfigureAwait(false);
        }

        this.invocations += Sequential;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Sequential)]
    public async Task<int> SameSpansOtlpSimple()
    {
        var sum = 0;
        for (var i = 0; i < Sequential; i++)
        {
            this.stream.Position = 0;
            sum += await DatadogLambda.TraceAsync(this.provider, this.stream, this.context, Handler).ConfigureAwait(false);
        }

        this.invocations += Sequential;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Sequential)]
    public Task<int> ContribEquivalentOtlpSimple()
    {
        // Synchronous throughout: its handler, its span, its simple processor's request.
        var sum = 0;
        for (var i = 0; i < Sequential; i++)
        {
            sum += this.contrib();
        }

        this.invocations += Sequential;
        return Task.FromResult(sum);
    }

    private static OtlpTraceExporter OtlpExporter(Uri endpoint) => BenchmarkInvocation.OtlpExporter(endpoint);

    /// <summary>One contrib-equivalent invocation of the event, typed as contrib's users have it (deserialized once here: the export is measured, not the serializer).</summary>
    private static Func<int> ContribInvocation(TracerProvider provider, string name)
    {
        var serializer = new BenchmarkLambdaSerializer();
        var bytes = Events.Load(name);
        return name == "api-gateway-rest"
            ? Bind(provider, serializer.Deserialize<APIGatewayProxyRequest>(new MemoryStream(bytes)))
            : Bind(provider, serializer.Deserialize<SQSEvent>(new MemoryStream(bytes)));
    }

    private static Func<int> Bind<TEvent>(TracerProvider provider, TEvent @event)
    {
        ILambdaContext context = new BenchmarkLambdaContext();
        var completed = Task.FromResult(1);
        Func<TEvent, ILambdaContext, Task<int>> handler = (_, _) => completed;
        return () => ContribEquivalentWrapper.TraceAsync(provider, handler, @event, context).GetAwaiter().GetResult();
    }

    private void Prepare()
    {
        Environment.SetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME", "benchmark");
        this.sink = LoopbackOtlpSink.Start();
        this.stream = new MemoryStream(Events.Load(this.Event));
        this.context = BenchmarkInvocation.Context();
    }

    private void Start(Action<DatadogLambdaOptions, Uri> configure, Action<TracerProviderBuilder, Uri>? build)
    {
        this.Prepare();
        var builder = Sdk.CreateTracerProviderBuilder().AddDatadogLambda(o => configure(o, this.sink.Endpoint));
        build?.Invoke(builder, this.sink.Endpoint);
        this.provider = builder.Build()!;
        this.Warm(this.DatadogLambdaExport);
    }

    private void Warm(Func<Task<int>> invoke)
    {
        // The cold start and the first connection happen once per process; measure warm invocations.
        invoke().GetAwaiter().GetResult();
        this.sink.Reset();
        this.invocations = 0;
    }
}
