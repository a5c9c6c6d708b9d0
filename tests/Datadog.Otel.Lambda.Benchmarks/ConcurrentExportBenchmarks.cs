// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using BenchmarkDotNet.Attributes;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.Benchmarks;

/// <summary>
/// <see cref="Concurrency"/> SQS invocations at once (Lambda Managed Instances), each started on the thread pool,
/// with their export to a loopback receiver (<see cref="LoopbackOtlpSink"/>): the time until all of them returned.
/// <list type="bullet">
/// <item><see cref="DatadogLambdaExport"/>: this library's exporter, awaited asynchronously; concurrent invocations
/// share requests.</item>
/// <item><see cref="SameSpansOtlpSimple"/>: OpenTelemetry's OTLP exporter behind a simple processor: each span's
/// request sent synchronously on the thread-pool thread that ends it.</item>
/// <item><see cref="SameSpansOtlpBatchForceFlush"/>: OpenTelemetry's OTLP exporter behind its batch processor, with a
/// synchronous <c>TracerProvider.ForceFlush()</c> after each invocation on its thread-pool thread.</item>
/// </list>
/// The requests per invocation are printed at the end of each case.
/// </summary>
[MemoryDiagnoser]
public class ConcurrentExportBenchmarks
{
    private LoopbackOtlpSink sink = null!;
    private TracerProvider provider = null!;
    private byte[] sqs = null!;
    private long invocations;

    [Params(16, 64)]
    public int Concurrency { get; set; } = 16;

    [GlobalSetup(Target = nameof(DatadogLambdaExport))]
    public void SetupDatadogLambda() => this.Start(o => o.Exporter = DatadogLambdaExporter.Extension, null);

    [GlobalSetup(Target = nameof(SameSpansOtlpSimple))]
    public void SetupOtlpSimple() => this.Start(
        o => o.Exporter = DatadogLambdaExporter.None,
        (b, endpoint) => b.AddProcessor(new SimpleActivityExportProcessor(BenchmarkInvocation.OtlpExporter(endpoint))));

    [GlobalSetup(Target = nameof(SameSpansOtlpBatchForceFlush))]
    public void SetupOtlpBatch() => this.Start(
        o => o.Exporter = DatadogLambdaExporter.None,
        (b, endpoint) => b.AddProcessor(new BatchActivityExportProcessor(BenchmarkInvocation.OtlpExporter(endpoint))));

    [GlobalCleanup]
    public void Cleanup()
    {
        if (this.invocations > 0)
        {
            Console.WriteLine($"// export: {this.sink.Requests / (double)this.invocations:0.###} requests per invocation, {this.sink.Bytes / this.invocations} bytes per invocation");
        }

        this.provider.Dispose();
        this.sink.Dispose();
    }

    [Benchmark(Baseline = true)]
    public Task DatadogLambdaExport() => this.RunAll(forceFlush: false);

    [Benchmark]
    public Task SameSpansOtlpSimple() => this.RunAll(forceFlush: false);

    [Benchmark]
    public Task SameSpansOtlpBatchForceFlush() => this.RunAll(forceFlush: true);

    private Task RunAll(bool forceFlush)
    {
        var all = new Task[this.Concurrency];
        for (var i = 0; i < all.Length; i++)
        {
            all[i] = Task.Run(async () =>
            {
                await DatadogLambda.TraceAsync(this.provider, new MemoryStream(this.sqs), BenchmarkInvocation.Context(), BenchmarkInvocation.Handler).ConfigureAwait(false);
                if (forceFlush)
                {
                    this.provider.ForceFlush();
                }
            });
        }

        Interlocked.Add(ref this.invocations, all.Length);
        return Task.WhenAll(all);
    }

    private void Start(Action<DatadogLambdaOptions> configure, Action<TracerProviderBuilder, Uri>? build)
    {
        Environment.SetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME", "benchmark");
        this.sink = LoopbackOtlpSink.Start();
        this.sqs = Events.Load("sqs");
        var builder = Sdk.CreateTracerProviderBuilder().AddDatadogLambda(o =>
        {
            o.Endpoint = this.sink.Endpoint;
            o.FlushTracerProvider = false;
            configure(o);
        });
        build?.Invoke(builder, this.sink.Endpoint);
        this.provider = builder.Build()!;
        this.RunAll(forceFlush: false).GetAwaiter().GetResult();
        this.sink.Reset();
        this.invocations = 0;
    }
}
