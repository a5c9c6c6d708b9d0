// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Datadog.Otel.Lambda.Invocation;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.Benchmarks;

/// <summary>
/// One flush of a 10-span trace (a root and nine children) over loopback to the extension emulator, http/protobuf:
/// serialization, the HTTP request, and the emulator's decoding and mapping before it answers (as the extension does).
/// <see cref="CreateTenSpans"/> is the cost of the spans alone, to subtract.
/// </summary>
[MemoryDiagnoser]
public class FlushBenchmarks
{
    private static readonly ActivitySource Source = new("benchmark.flush");
    private ExtensionEmulator.ExtensionEmulator emulator = null!;
    private TracerProvider provider = null!;
    private DatadogLambdaRuntime runtime = null!;

    [GlobalSetup]
    public void Setup()
    {
        this.emulator = ExtensionEmulator.ExtensionEmulator.StartAsync(new ExtensionEmulator.ExtensionEmulatorOptions { Port = 0 }).GetAwaiter().GetResult();
        this.provider = Sdk.CreateTracerProviderBuilder()
            .AddDatadogLambda(o =>
            {
                o.Exporter = DatadogLambdaExporter.Extension;
                o.Endpoint = this.emulator.TracesEndpoint;
            })
            .AddSource(Source.Name)
            .Build()!;
        this.runtime = DatadogLambdaRuntime.Find(this.provider)!;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        this.provider.Dispose();
        this.emulator.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [IterationCleanup]
    public void ClearEmulator() => this.emulator.Clear();

    [Benchmark(Baseline = true)]
    public void CreateTenSpans() => CreateTrace();

    [Benchmark]
    public void CreateAndFlushTenSpans()
    {
        CreateTrace();
        this.runtime.FlushAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
    }

    private static void CreateTrace()
    {
        using var root = Source.StartActivity("root");
        for (var i = 0; i < 9; i++)
        {
            using var child = Source.StartActivity("child");
            child?.SetTag("index", i);
        }
    }
}
