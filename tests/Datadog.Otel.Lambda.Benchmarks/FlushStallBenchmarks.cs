// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.Benchmarks;

/// <summary>
/// The worst single invocation, not the mean: each iteration is one warm SQS invocation with its export to a loopback
/// receiver (<see cref="LoopbackOtlpSink"/>), and the Max column is the slowest of them. OpenTelemetry's batch
/// processor wakes a <c>ForceFlush</c> caller with a pulse that a caller arriving late misses, and that caller then
/// sleeps until its 1 s poll.
/// <list type="bullet">
/// <item><see cref="DatadogLambdaExport"/>: this library's own exporter.</item>
/// <item><see cref="UserBatchExporterFlushedByDatadogLambda"/>: no exporter of ours; the user's OTLP exporter behind
/// OpenTelemetry's batch processor, flushed by the wrapper (its flush thread, in short steps).</item>
/// <item><see cref="UserBatchExporterForceFlush"/>: the same, flushed as OpenTelemetry's own Lambda wrapper does it, with
/// <c>TracerProvider.ForceFlush()</c> after the handler.</item>
/// </list>
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 20, iterationCount: 300, invocationCount: 1)]
[MinColumn]
[MaxColumn]
[MedianColumn]
public class FlushStallBenchmarks
{
    private LoopbackOtlpSink sink = null!;
    private TracerProvider provider = null!;
    private MemoryStream stream = null!;
    private DatadogLambdaContext context = null!;

    [GlobalSetup(Target = nameof(DatadogLambdaExport))]
    public void SetupDatadogLambda() => this.Start(DatadogLambdaExporter.Extension, flushProvider: false, userBatch: false);

    [GlobalSetup(Target = nameof(UserBatchExporterFlushedByDatadogLambda))]
    public void SetupFlushedByDatadogLambda() => this.Start(DatadogLambdaExporter.None, flushProvider: true, userBatch: true);

    [GlobalSetup(Target = nameof(UserBatchExporterForceFlush))]
    public void SetupForceFlush() => this.Start(DatadogLambdaExporter.None, flushProvider: false, userBatch: true);

    [GlobalCleanup]
    public void Cleanup()
    {
        Console.WriteLine($"// export: {this.sink.Requests} requests, {this.sink.Bytes} bytes");
        this.provider.Dispose();
        this.sink.Dispose();
    }

    [Benchmark(Baseline = true)]
    public int DatadogLambdaExport() => this.Invoke();

    [Benchmark]
    public int UserBatchExporterFlushedByDatadogLambda() => this.Invoke();

    [Benchmark]
    public int UserBatchExporterForceFlush()
    {
        var result = this.Invoke();
        this.provider.ForceFlush();
        return result;
    }

    private int Invoke()
    {
        this.stream.Position = 0;
        return DatadogLambda.TraceAsync(this.provider, this.stream, this.context, BenchmarkInvocation.Handler).GetAwaiter().GetResult();
    }

    private void Start(DatadogLambdaExporter exporter, bool flushProvider, bool userBatch)
    {
        Environment.SetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME", "benchmark");
        this.sink = LoopbackOtlpSink.Start();
        this.stream = new MemoryStream(Events.Load("sqs"));
        this.context = BenchmarkInvocation.Context();
        var builder = Sdk.CreateTracerProviderBuilder().AddDatadogLambda(o =>
        {
            o.Exporter = exporter;
            o.Endpoint = this.sink.Endpoint;
            o.FlushTracerProvider = flushProvider;
        });
        if (userBatch)
        {
            builder.AddProcessor(new BatchActivityExportProcessor(BenchmarkInvocation.OtlpExporter(this.sink.Endpoint)));
        }

        this.provider = builder.Build()!;
    }
}
