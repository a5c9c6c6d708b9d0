// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Datadog.Otel.Lambda.Extraction;
using Datadog.Otel.Lambda.Invocation;
using Datadog.Otel.Lambda.Propagation;
using Datadog.Otel.Lambda.Triggers;

namespace Datadog.Otel.Lambda.Benchmarks;

/// <summary>Per source: one parse of the event, trigger detection and description (tags, inferred spans), and extraction of the upstream context.</summary>
[MemoryDiagnoser]
public class TriggerBenchmarks
{
    private readonly FunctionInfo function = FunctionInfo.Create("arn:aws:lambda:us-east-1:123456789012:function:benchmark", "benchmark");
    private readonly DatadogLambdaContext context = new() { AwsRequestId = "r" };
    private byte[] bytes = [];
    private LambdaSettings settings = null!;
    private UpstreamContextExtractor extractor = null!;

    [Params("api-gateway-rest", "http-api", "sqs", "sqs-10", "sns-sqs", "kinesis", "eventbridge", "s3", "dynamodb", "step-functions-jsonpath")]
    public string Event { get; set; } = "sqs";

    [GlobalSetup]
    public void Setup()
    {
        this.bytes = Events.Load(this.Event);
        var env = EnvironmentSource.FromDictionary(new Dictionary<string, string?>());
        this.settings = LambdaSettings.Resolve(env, new DatadogLambdaOptions());
        this.extractor = new UpstreamContextExtractor(this.settings, PropagationSettings.FromEnvironment(env).CreatePropagator(), null, env);
    }

    [Benchmark]
    public int DetectDescribeAndExtract()
    {
        using var document = JsonDocument.Parse(this.bytes);
        using var trigger = TriggerParser.Describe(document.RootElement, this.settings, this.function);
        var upstream = this.extractor.Extract(trigger, this.context, null);
        return trigger.InferredSpans.Count + (upstream.HasParent ? 1 : 0);
    }
}
