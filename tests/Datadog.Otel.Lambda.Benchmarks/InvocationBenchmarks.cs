// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.Benchmarks;

/// <summary>
/// Per-invocation overhead of the wrapper with every default feature on (trigger detection, extraction, inferred spans,
/// aws.lambda, sampling, the span processor) and the export replaced by a no-op (no exporter is added), against two
/// baselines: the bare handler, and the least any OpenTelemetry tracing costs (one activity with one attribute through
/// the same provider).
/// </summary>
[MemoryDiagnoser]
public class InvocationBenchmarks
{
    private static readonly ActivitySource Baseline = new("benchmark.baseline");
    private static readonly Func<Stream, DatadogLambdaContext, Task<int>> Handler = static (_, _) => Task.FromResult(1);

    private TracerProvider provider = null!;
    private MemoryStream stream = null!;
    private DatadogLambdaContext context = null!;
    private TracerProvider contribProvider = null!;
    private ContribEquivalentWrapper contrib = null!;

    [Params("api-gateway-rest", "http-api", "sqs", "sqs-10", "sns-sqs", "kinesis", "eventbridge", "s3")]
    public string Event { get; set; } = "sqs";

    [GlobalSetup]
    public void Setup()
    {
        Environment.SetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME", "benchmark");
        this.provider = Sdk.CreateTracerProviderBuilder()
            .AddDatadogLambda(o =>
            {
                // The export is measured on its own (FlushBenchmarks); here it is a no-op.
                o.Exporter = DatadogLambdaExporter.None;
                o.FlushTracerProvider = false;
            })
            .AddSource(Baseline.Name)
            .Build()!;
        this.stream = new MemoryStream(Events.Load(this.Event));
        this.context = new DatadogLambdaContext
        {
            AwsRequestId = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
            InvokedFunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:benchmark",
            FunctionName = "benchmark",
            Deadline = DateTimeOffset.UtcNow.AddDays(1),
        };

        // The contrib-equivalent baseline gets a plain provider with a no-op exporter, as its users would configure.
        this.contribProvider = Sdk.CreateTracerProviderBuilder()
            .AddSource("OpenTelemetry.Instrumentation.AWSLambda")
            .AddProcessor(new SimpleActivityExportProcessor(new NoopExporter()))
            .Build()!;
        this.contrib = new ContribEquivalentWrapper(this.contribProvider, Events.Load(this.Event));

        // The cold start happens once per process; measure warm invocations.
        this.Wrapped();
        this.ContribEquivalent();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        this.provider.Dispose();
        this.contribProvider.Dispose();
    }

    [Benchmark(Baseline = true)]
    public int BareHandler()
    {
        this.stream.Position = 0;
        return Handler(this.stream, this.context).GetAwaiter().GetResult();
    }

    [Benchmark]
    public int OneActivity()
    {
        this.stream.Position = 0;
        using (var activity = Baseline.StartActivity("invocation"))
        {
            activity?.SetTag("faas.invocation_id", this.context.AwsRequestId);
            return Handler(this.stream, this.context).GetAwaiter().GetResult();
        }
    }

    /// <summary>OpenTelemetry.Instrumentation.AWSLambda's per-invocation work (see <see cref="ContribEquivalentWrapper"/>).</summary>
    [Benchmark]
    public int ContribEquivalent()
    {
        this.stream.Position = 0;
        return this.contrib.Invoke(() => Handler(this.stream, this.context).GetAwaiter().GetResult(), this.context);
    }

    [Benchmark]
    public int Wrapped()
    {
        this.stream.Position = 0;
        return DatadogLambda.TraceAsync(this.provider, this.stream, this.context, Handler).GetAwaiter().GetResult();
    }
}

internal sealed class NoopExporter : BaseExporter<Activity>
{
    public override ExportResult Export(in Batch<Activity> batch) => ExportResult.Success;
}
