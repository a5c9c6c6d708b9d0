// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using Datadog.Otel.Lambda.Planning;
using Datadog.Otel.Lambda.Propagation;
using Datadog.Otel.Lambda.Triggers;

namespace Datadog.Otel.Lambda.Tests.TestSupport;

/// <summary>Plans of invocations, made without a provider and without spans (<see cref="InvocationPlanner"/>).</summary>
internal static class Plans
{
    /// <summary>The invoked ARN Datadog's Python tests mock.</summary>
    public const string PythonTestArn = "arn:aws:lambda:us-west-1:123457598159:function:python-layer-test";

    public static InvocationPlanner Planner(Dictionary<string, string?>? environment = null, Action<DatadogLambdaOptions>? configure = null, string? xrayHeader = null, bool xrayMetadata = false)
    {
        var env = EnvironmentSource.FromDictionary(environment ?? new());
        var options = new DatadogLambdaOptions();
        configure?.Invoke(options);
        var settings = LambdaSettings.Resolve(env, options);
        var propagator = PropagationSettings.FromEnvironment(env).CreatePropagator();
        return new InvocationPlanner(settings, propagator, options.TraceExtractor, () => xrayHeader, xrayMetadata);
    }

    /// <summary>The plan of <paramref name="json"/>, invoked as <c>python-layer-test</c> (the function Datadog's Python tests mock).</summary>
    public static InvocationPlan Plan(string json, Dictionary<string, string?>? environment = null, DatadogLambdaContext? context = null, ColdStartState coldStart = ColdStartState.Warm, DateTimeOffset? start = null) =>
        Planner(environment).Plan(
            Encoding.UTF8.GetBytes(json),
            context ?? new DatadogLambdaContext { InvokedFunctionArn = PythonTestArn, FunctionName = "python-layer-test" },
            coldStart,
            default,
            start ?? DateTimeOffset.UtcNow);

    public static InvocationPlan PlanSample(string sample, Dictionary<string, string?>? environment = null, DatadogLambdaContext? context = null) =>
        Plan(EventSamples.Load(sample), environment, context);

    public static Dictionary<string, object?> TriggerTags(InvocationPlan plan) => plan.TriggerTags.ToDictionary(t => t.Key, t => t.Value);

    /// <summary>Every tag a span of the plan gets after its start tags, in order.</summary>
    public static List<KeyValuePair<string, object?>> LambdaTags(InvocationPlan plan)
    {
        var sink = new ListSink([]);
        plan.WriteLambdaTags(ref sink);
        plan.WriteTriggerTags(ref sink);
        return sink.Tags;
    }

    public static List<KeyValuePair<string, object?>> Tags(InferredSpanPlan span, string? peerService = null)
    {
        var sink = new ListSink([]);
        span.WriteTags(ref sink, peerService);
        return sink.Tags;
    }

    internal readonly struct ListSink(List<KeyValuePair<string, object?>> tags) : ITagSink
    {
        public List<KeyValuePair<string, object?>> Tags { get; } = tags;

        public void Add(string key, object? value) => this.Tags.Add(new(key, value));
    }
}
