// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Amazon.Lambda.Core;
using Amazon.Lambda.SQSEvents;
using BenchmarkDotNet.Attributes;
using Datadog.Otel.Lambda.Benchmarks.Contrib;
using Datadog.Otel.Lambda.Planning;
using Datadog.Otel.Lambda.Propagation;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.Benchmarks;

/// <summary>
/// The parts of one SQS invocation of <see cref="InvocationBenchmarks"/>, each alone on the same provider: the context
/// conversion (<c>ctx.ToDatadog()</c>), the plan (<see cref="InvocationPlanner"/>), deserializing the typed event from
/// its bytes, the whole invocation with the raw-stream overload (no deserialization), and with the typed overload.
/// </summary>
[MemoryDiagnoser]
public class InvocationPartsBenchmarks
{
    private static readonly ILambdaContext LambdaContext = new BenchmarkLambdaContext();
    private readonly Task<int> completed = Task.FromResult(1);
    private TracerProvider provider = null!;
    private MemoryStream stream = null!;
    private byte[] bytes = null!;
    private BenchmarkLambdaSerializer serializer = null!;
    private InvocationPlanner planner = null!;
    private DatadogLambdaContext ctx = null!;

    [GlobalCleanup]
    public void Cleanup() => this.provider.Dispose();

    [GlobalSetup]
    public void Setup()
    {
        Environment.SetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME", "benchmark");
        this.serializer = new BenchmarkLambdaSerializer();
        this.provider = Sdk.CreateTracerProviderBuilder().AddDatadogLambda(o =>
        {
            o.Exporter = DatadogLambdaExporter.None;
            o.FlushTracerProvider = false;
            o.JsonTypeInfoResolver = this.serializer.Options.TypeInfoResolver;
        }).Build()!;
        this.bytes = Events.Load("sqs");
        this.stream = new MemoryStream(this.bytes);
        var env = EnvironmentSource.FromDictionary(new Dictionary<string, string?>());
        this.planner = new InvocationPlanner(LambdaSettings.Resolve(env, new DatadogLambdaOptions()), PropagationSettings.FromEnvironment(env).CreatePropagator(), null, static () => null, false);
        this.ctx = LambdaContext.ToDatadog();
        this.StreamOverload();
        this.Typed();
    }

    [Benchmark]
    public object ToDatadog() => LambdaContext.ToDatadog();

    [Benchmark]
    public object Plan() => this.planner.Plan(this.bytes, this.ctx, ColdStartState.Warm, default, DateTimeOffset.UtcNow);

    [Benchmark]
    public object? Deserialize() => JsonSerializer.Deserialize(this.bytes, this.serializer.TypeInfo<SQSEvent>());

    [Benchmark]
    public int StreamOverload()
    {
        this.stream.Position = 0;
        return DatadogLambda.TraceAsync(this.provider, this.stream, this.ctx, (_, _) => this.completed).GetAwaiter().GetResult();
    }

    [Benchmark]
    public int Typed()
    {
        this.stream.Position = 0;
        return DatadogLambda.TraceAsync(this.provider, this.stream, this.serializer.TypeInfo<SQSEvent>(), this.ctx, (_, _) => this.completed).GetAwaiter().GetResult();
    }
}
