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
using Datadog.Otel.Lambda.Invocation;
using Datadog.Otel.Lambda.Planning;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.Benchmarks;

/// <summary>
/// The parts of one invocation of <see cref="InvocationBenchmarks"/> (SQS, API Gateway REST, HTTP API), each alone on the
/// same provider as the whole: the context conversion (<c>ctx.ToDatadog()</c>), copying the event into a pooled buffer
/// (the typed path), the plan (<see cref="InvocationPlanner"/>), the spans made from a plan and ended
/// (<see cref="SpanBuilder"/>), deserializing the typed event from its bytes, and the whole invocation with the raw-stream
/// overload (no copy, no deserialization) and with the typed overload. What the whole stream overload costs beyond the
/// plan and the spans is the lifecycle (scope, invocation state, deadline watch, end, flush).
/// </summary>
[MemoryDiagnoser]
public class InvocationPartsBenchmarks
{
    private static readonly ILambdaContext LambdaContext = new BenchmarkLambdaContext();
    private TracerProvider provider = null!;
    private DatadogLambdaRuntime runtime = null!;
    private MemoryStream stream = null!;
    private byte[] bytes = null!;
    private BenchmarkLambdaSerializer serializer = null!;
    private DatadogLambdaContext ctx = null!;
    private InvocationPlan plan = null!;
    private EventCase typed = null!;

    /// <summary>Gets the events measured: <c>BENCHMARK_EVENTS</c> as for <see cref="InvocationBenchmarks"/>, SQS, REST and HTTP API when unset.</summary>
    public static IEnumerable<string> Events =>
        Environment.GetEnvironmentVariable("BENCHMARK_EVENTS")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        ?? ["sqs", "api-gateway-rest", "http-api"];

    [ParamsSource(nameof(Events))]
    public string Event { get; set; } = "sqs";

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
        this.runtime = DatadogLambdaRuntime.Find(this.provider)!;
        this.bytes = Benchmarks.Events.Load(this.Event);
        this.stream = new MemoryStream(this.bytes);
        this.ctx = LambdaContext.ToDatadog();
        this.typed = this.Event switch
        {
            "api-gateway-rest" => new EventCase<APIGatewayProxyRequest, APIGatewayProxyResponse>(this.serializer, new APIGatewayProxyResponse { StatusCode = 200 }),
            "http-api" => new EventCase<APIGatewayHttpApiV2ProxyRequest, APIGatewayHttpApiV2ProxyResponse>(this.serializer, new APIGatewayHttpApiV2ProxyResponse { StatusCode = 200 }),
            _ => new EventCase<SQSEvent, int>(this.serializer, 1),
        };
        this.plan = this.runtime.Planner.Plan(this.bytes, this.ctx, ColdStartState.Warm, default, DateTimeOffset.UtcNow);

        // Cold starts happen once per process: measure warm invocations.
        this.StreamOverload();
        this.TypedOverload();
    }

    [Benchmark]
    public object ToDatadog() => LambdaContext.ToDatadog();

    [Benchmark]
    public int CopyEvent()
    {
        this.stream.Position = 0;
        using var copy = InvocationEvent.FromWholeStream(this.stream);
        return copy.Bytes.Length;
    }

    [Benchmark]
    public object Plan() => this.runtime.Planner.Plan(this.bytes, this.ctx, ColdStartState.Warm, default, DateTimeOffset.UtcNow);

    /// <summary>The spans of a plan made beforehand, started and ended with the invocation's outcome (what <see cref="SpanBuilder"/> does, without the lifecycle).</summary>
    [Benchmark]
    public object Spans()
    {
        var spans = this.runtime.Spans.Start(this.plan);
        SpanBuilder.Finish(this.plan, spans, null, this.plan.IsHttp ? "200" : null);
        return spans;
    }

    [Benchmark]
    public object? Deserialize() => this.typed.Deserialize(this.bytes);

    [Benchmark]
    public object? StreamOverload()
    {
        this.stream.Position = 0;
        return this.typed.Stream(this.provider, this.stream, this.ctx);
    }

    [Benchmark]
    public object? TypedOverload()
    {
        this.stream.Position = 0;
        return this.typed.Typed(this.provider, this.stream, this.ctx);
    }

    private abstract class EventCase
    {
        public abstract object? Deserialize(byte[] bytes);

        public abstract object? Stream(TracerProvider provider, Stream stream, DatadogLambdaContext context);

        public abstract object? Typed(TracerProvider provider, Stream stream, DatadogLambdaContext context);
    }

    private sealed class EventCase<TEvent, TResult> : EventCase
    {
        private readonly JsonTypeInfo<TEvent> eventType;
        private readonly Func<Stream, DatadogLambdaContext, Task<TResult>> streamHandler;
        private readonly Func<TEvent, DatadogLambdaContext, Task<TResult>> typedHandler;

        public EventCase(BenchmarkLambdaSerializer serializer, TResult result)
        {
            this.eventType = serializer.TypeInfo<TEvent>();
            var completed = Task.FromResult(result);
            this.streamHandler = (_, _) => completed;
            this.typedHandler = (_, _) => completed;
        }

        public override object? Deserialize(byte[] bytes) => JsonSerializer.Deserialize(bytes, this.eventType);

        public override object? Stream(TracerProvider provider, Stream stream, DatadogLambdaContext context) =>
            DatadogLambda.TraceAsync(provider, stream, context, this.streamHandler).GetAwaiter().GetResult();

        public override object? Typed(TracerProvider provider, Stream stream, DatadogLambdaContext context) =>
            DatadogLambda.TraceAsync(provider, stream, this.eventType, context, this.typedHandler).GetAwaiter().GetResult();
    }
}
