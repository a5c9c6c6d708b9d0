// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using BenchmarkDotNet.Attributes;
using Datadog.Otel.Lambda.Planning;
using Datadog.Otel.Lambda.Propagation;

namespace Datadog.Otel.Lambda.Benchmarks;

/// <summary>
/// Per source: the invocation's plan, without spans: one forward read of the event, detection, the source's tags and
/// inferred spans, and the upstream context (<see cref="InvocationPlanner"/>).
/// </summary>
[MemoryDiagnoser]
public class TriggerBenchmarks
{
    private readonly DatadogLambdaContext context = new() { AwsRequestId = "r", InvokedFunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:benchmark", FunctionName = "benchmark" };
    private byte[] bytes = [];
    private InvocationPlanner planner = null!;

    [Params("api-gateway-rest", "http-api", "sqs", "sqs-10", "sns-sqs", "kinesis", "eventbridge", "s3", "dynamodb", "step-functions-jsonpath")]
    public string Event { get; set; } = "sqs";

    [GlobalSetup]
    public void Setup()
    {
        this.bytes = Events.Load(this.Event);
        var env = EnvironmentSource.FromDictionary(new Dictionary<string, string?>());
        var settings = LambdaSettings.Resolve(env, new DatadogLambdaOptions());
        this.planner = new InvocationPlanner(settings, PropagationSettings.FromEnvironment(env).CreatePropagator(), null, static () => null, sendsXRayMetadata: false);
    }

    [Benchmark]
    public int Plan()
    {
        var plan = this.planner.Plan(this.bytes, this.context, ColdStartState.Warm, default, DateTimeOffset.UtcNow);
        return plan.InferredSpans.Length + (plan.Upstream.HasParent ? 1 : 0);
    }
}
