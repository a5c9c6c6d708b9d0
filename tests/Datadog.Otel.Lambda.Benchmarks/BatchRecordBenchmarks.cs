// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text;
using BenchmarkDotNet.Attributes;
using Datadog.Otel.Lambda.Events;
using Datadog.Otel.Lambda.Planning;
using Datadog.Otel.Lambda.Propagation;

namespace Datadog.Otel.Lambda.Benchmarks;

/// <summary>
/// What one linked record of an SQS batch costs, in parts: the plans of one and ten records (their difference over nine is
/// the cost of a linked record), the forward read of the same two events alone (<see cref="EventReader"/>), reading a
/// record's decoded <c>_datadog</c> map, the composite extraction over that map, and the link made from it.
/// </summary>
[MemoryDiagnoser]
public class BatchRecordBenchmarks
{
    private static readonly byte[] Carrier = Encoding.UTF8.GetBytes("{\"x-datadog-trace-id\":\"2684756524522091841\",\"x-datadog-parent-id\":\"7431398482019833808\",\"x-datadog-sampling-priority\":\"1\",\"x-datadog-tags\":\"_dd.p.tid=66bcb5eb00000000,_dd.p.dm=-0\"}");
    private readonly DatadogLambdaContext context = new() { AwsRequestId = "r", InvokedFunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:benchmark", FunctionName = "benchmark" };
    private byte[] one = [];
    private byte[] ten = [];
    private InvocationPlanner planner = null!;
    private DatadogCompositePropagator propagator = null!;
    private HeaderMap map = null!;
    private ActivityContext parent;

    [GlobalSetup]
    public void Setup()
    {
        this.one = Events.Load("sqs");
        this.ten = Events.Load("sqs-10");
        var env = EnvironmentSource.FromDictionary(new Dictionary<string, string?>());
        this.propagator = PropagationSettings.FromEnvironment(env).CreatePropagator();
        this.planner = new InvocationPlanner(LambdaSettings.Resolve(env, new DatadogLambdaOptions()), this.propagator, null, static () => null, sendsXRayMetadata: false);
        this.map = HeaderMap.Create(Carrier, EventReader.EmbeddedOptions)!;
        this.parent = this.propagator.ExtractDetailed(this.map.Headers).Parent;
    }

    [GlobalCleanup]
    public void Cleanup() => this.map.Dispose();

    [Benchmark]
    public object PlanOneRecord() => this.planner.Plan(this.one, this.context, ColdStartState.Warm, default, DateTimeOffset.UtcNow);

    [Benchmark]
    public object PlanTenRecords() => this.planner.Plan(this.ten, this.context, ColdStartState.Warm, default, DateTimeOffset.UtcNow);

    [Benchmark]
    public bool ReadOneRecord() => Read(this.one);

    [Benchmark]
    public bool ReadTenRecords() => Read(this.ten);

    [Benchmark]
    public int ReadCarrier()
    {
        using var read = HeaderMap.Create(Carrier, EventReader.EmbeddedOptions)!;
        return read.IsEmpty ? 0 : 1;
    }

    [Benchmark]
    public object Extract() => this.propagator.ExtractDetailed(this.map.Headers);

    [Benchmark]
    public object Link() => new ActivityLink(this.parent, new ActivityTagsCollection { ["reason"] = "batch_record", ["messaging.batch.record_index"] = 3L, ["messaging.message.id"] = "059f36b4-87a3-44ab-83d2-661975830a7d" });

    private static bool Read(byte[] json)
    {
        var schema = Triggers.TriggerRegistry.Default.Schema.Root;
        var fields = EventFields.Rent(schema, json);
        var read = EventReader.Read(json, schema, fields, EventReader.EventOptions);
        fields.Return();
        return read;
    }
}
