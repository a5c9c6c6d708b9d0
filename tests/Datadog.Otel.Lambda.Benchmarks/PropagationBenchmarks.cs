// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Propagation;
using OpenTelemetry.Context.Propagation;

namespace Datadog.Otel.Lambda.Benchmarks;

/// <summary>Extract and inject of a typical header set, for the default <c>datadog,tracecontext</c> styles and per style.</summary>
[MemoryDiagnoser]
public class PropagationBenchmarks
{
    private static readonly Func<Dictionary<string, string>, string, IEnumerable<string>?> Getter =
        static (headers, name) => headers.TryGetValue(name, out var value) ? [value] : null;

    private static readonly Action<Dictionary<string, string>, string, string> Setter = static (headers, name, value) => headers[name] = value;

    private readonly DatadogCompositePropagator composite = new(new DatadogPropagationOptions
    {
        ExtractStyles = [DatadogPropagationStyle.Datadog, DatadogPropagationStyle.TraceContext],
        InjectStyles = [DatadogPropagationStyle.Datadog, DatadogPropagationStyle.TraceContext],
    });

    private readonly DatadogPropagator datadog = new();
    private readonly W3CTraceContextPropagator w3c = new();
    private readonly Datadog.Otel.Lambda.Propagation.B3Propagator b3 = new();
    private readonly XRayPropagator xray = new();
    private readonly Dictionary<string, string> headers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["x-datadog-trace-id"] = "2684756524522091840",
        ["x-datadog-parent-id"] = "7431398482019833808",
        ["x-datadog-sampling-priority"] = "1",
        ["x-datadog-tags"] = "_dd.p.tid=66bcb5eb00000000,_dd.p.dm=-0",
        ["traceparent"] = "00-66bcb5eb0000000025421a2a2c2f8f40-67218c4da0e01dd0-01",
        ["tracestate"] = "dd=s:1;p:67218c4da0e01dd0;t.dm:-0,congo=t61rcWkgMzE",
        ["x-b3-traceid"] = "66bcb5eb0000000025421a2a2c2f8f40",
        ["x-b3-spanid"] = "67218c4da0e01dd0",
        ["x-b3-sampled"] = "1",
        ["X-Amzn-Trace-Id"] = "Root=1-66bcb5eb-0000000025421a2a2c2f8f40;Parent=67218c4da0e01dd0;Sampled=1",
    };

    private readonly Dictionary<string, string> output = new(StringComparer.OrdinalIgnoreCase);
    private readonly PropagationContext context = new(
        new ActivityContext(DatadogIds.TraceId(0x66bcb5eb00000000, 2684756524522091840), DatadogIds.SpanId(7431398482019833808), ActivityTraceFlags.Recorded, "dd=s:1;t.dm:-0", isRemote: true),
        default);

    [Benchmark]
    public ActivityContext ExtractDatadogAndTraceContext() => this.composite.Extract(default, this.headers, Getter).ActivityContext;

    [Benchmark]
    public ActivityContext ExtractDetailedDatadogAndTraceContext() => this.composite.ExtractDetailed(new DictionaryHeaderSource(this.headers)).Parent;

    [Benchmark]
    public int InjectDatadogAndTraceContext()
    {
        this.output.Clear();
        this.composite.Inject(this.context, this.output, Setter);
        return this.output.Count;
    }

    [Benchmark]
    public ActivityContext ExtractDatadog() => this.datadog.Extract(default, this.headers, Getter).ActivityContext;

    [Benchmark]
    public ActivityContext ExtractW3C() => this.w3c.Extract(default, this.headers, Getter).ActivityContext;

    [Benchmark]
    public ActivityContext ExtractB3() => this.b3.Extract(default, this.headers, Getter).ActivityContext;

    [Benchmark]
    public ActivityContext ExtractXRay() => this.xray.Extract(default, this.headers, Getter).ActivityContext;

    [Benchmark]
    public int InjectDatadog()
    {
        this.output.Clear();
        this.datadog.Inject(this.context, this.output, Setter);
        return this.output.Count;
    }

    [Benchmark]
    public int InjectW3C()
    {
        this.output.Clear();
        this.w3c.Inject(this.context, this.output, Setter);
        return this.output.Count;
    }

    [Benchmark]
    public int InjectB3()
    {
        this.output.Clear();
        this.b3.Inject(this.context, this.output, Setter);
        return this.output.Count;
    }

    [Benchmark]
    public int InjectXRay()
    {
        this.output.Clear();
        this.xray.Inject(this.context, this.output, Setter);
        return this.output.Count;
    }
}
