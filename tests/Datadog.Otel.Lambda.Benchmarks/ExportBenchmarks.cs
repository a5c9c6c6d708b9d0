// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using BenchmarkDotNet.Attributes;
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
/// The request count and bytes per invocation are printed at the end of each case.
/// </summary>
[MemoryDiagnoser]
public class ExportBenchmarks
{
    private static readonly Func<Stream, DatadogLambdaContext, Task<int>> Handler = BenchmarkInvocation.Handler;

    private LoopbackOtlpSink sink = null!;
    private TracerProvider provider = null!;
    private MemoryStream stream = null!;
    private DatadogLambdaContext context = null!;
    private ContribEquivalentWrapper contrib = null!;
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
        this.contrib = new ContribEquivalentWrapper(this.provider, Events.Load(this.Event));
        this.Warm(this.ContribEquivalentOtlpSimple);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (this.invocations > 0)
        {
            Console.WriteLine($"// export: {this.sink.Requests / (double)this.invocations:0.##} requests and {this.sink.Bytes / this.invocations} bytes per invocation (last request {this.sink.LastBodyLength} bytes)");
        }

        this.provider.Dispose();
        this.sink.Dispose();
    }

    [Benchmark(Baseline = true)]
    public int DatadogLambdaExport()
    {
        this.stream.Position = 0;
        this.invocations++;
        return DatadogLambda.TraceAsync(this.provider, this.stream, this.context, Handler).GetAwaiter().GetResult();
    }

    [Benchmark]
    public int SameSpansOtlpSimple()
    {
        this.stream.Position = 0;
        this.invocations++;
        return DatadogLambda.TraceAsync(this.provider, this.stream, this.context, Handler).GetAwaiter().GetResult();
    }

    [Benchmark]
    public int ContribEquivalentOtlpSimple()
    {
        this.stream.Position = 0;
        this.invocations++;
        return this.contrib.Invoke(() => Handler(this.stream, this.context).GetAwaiter().GetResult(), this.context);
    }

    private static OtlpTraceExporter OtlpExporter(Uri endpoint) => BenchmarkInvocation.OtlpExporter(endpoint);

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

    private void Warm(Func<int> invoke)
    {
        // The cold start and the first connection happen once per process; measure warm invocations.
        invoke();
        invoke();
        this.sink.Reset();
        this.invocations = 0;
    }
}
