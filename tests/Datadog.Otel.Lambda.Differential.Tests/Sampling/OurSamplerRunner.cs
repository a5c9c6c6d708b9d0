// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Propagation;
using Datadog.Otel.Lambda.Sampling;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.Differential.Tests.Sampling;

/// <summary>
/// Runs a scenario through this library's sampler: configured from the same environment, on a clock that moves to each
/// decision's time. Each result is turned into what Datadog receives: attributes filed into meta and metrics by the
/// extension's rule (integers and doubles are metrics, <c>sampling.priority</c> becomes <c>_sampling_priority_v1</c>,
/// strings are meta), and the headers our default propagators inject for the decided span, whose flags and trace
/// state are what the OpenTelemetry SDK gives an activity from a sampling result.
/// </summary>
public static class OurSamplerRunner
{
    private static readonly DatadogCompositePropagator Propagator = new();

    public static IReadOnlyList<SamplingOutcome> Run(SamplingScenario scenario)
    {
        var environment = scenario.Environment.ToDictionary(e => e.Key, e => (string?)e.Value, StringComparer.Ordinal);
        var settings = SamplingSettings.FromEnvironment(EnvironmentSource.FromDictionary(environment));
        var clock = new ManualClock();
        var sampler = new DatadogSampler(settings, scenario.Environment.GetValueOrDefault("DD_SERVICE"), clock);

        var outcomes = new List<SamplingOutcome>(scenario.Decisions.Count);
        foreach (var decision in scenario.Decisions)
        {
            clock.MoveTo(decision.AtMs);
            var traceId = DatadogIds.TraceId(0, decision.TraceId);
            var parent = decision.RemoteParentId is { } parentId
                ? new ActivityContext(traceId, DatadogIds.SpanId(parentId), ActivityTraceFlags.None, traceState: null, isRemote: true)
                : default;
            var tags = new List<KeyValuePair<string, object?>>();
            if (decision.Service is not null)
            {
                tags.Add(new("datadog.service", decision.Service));
            }

            if (decision.Resource is not null)
            {
                tags.Add(new("resource.name", decision.Resource));
            }

            foreach (var (key, value) in decision.Tags ?? new Dictionary<string, string>())
            {
                tags.Add(new(key, value));
            }

            var result = sampler.ShouldSample(new SamplingParameters(parent, traceId, decision.Name, ActivityKind.Server, tags));
            outcomes.Add(Outcome(result, traceId, DatadogIds.SpanId(decision.SpanId), parent.TraceState));
        }

        return outcomes;
    }

    private static SamplingOutcome Outcome(SamplingResult result, ActivityTraceId traceId, ActivitySpanId spanId, string? parentTraceState)
    {
        int? priority = null;
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (key, value) in result.Attributes)
        {
            switch (value)
            {
                case int i when key == "sampling.priority":
                    priority = i;
                    break;
                case int i when SamplingOutcome.IsSamplingTag(key):
                    metrics[key] = i;
                    break;
                case double d when SamplingOutcome.IsSamplingTag(key):
                    metrics[key] = d;
                    break;
                case string s when SamplingOutcome.IsSamplingTag(key):
                    meta[key] = s;
                    break;
            }
        }

        var context = new ActivityContext(
            traceId,
            spanId,
            result.Decision == SamplingDecision.RecordAndSample ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None,
            result.TraceStateString ?? parentTraceState,
            isRemote: false);
        var headers = new Dictionary<string, string?>(StringComparer.Ordinal);
        Propagator.Inject(new PropagationContext(context, default(Baggage)), headers, static (carrier, key, value) => carrier[key] = value);
        return new SamplingOutcome(priority, meta, metrics, OutgoingHeaders.From(headers));
    }

    /// <summary>A clock that stands still until told to move (milliseconds from its start), so the limiter sees exactly the scenario's times.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        private long nowMs;

        public override long TimestampFrequency => 1_000_000_000;

        public void MoveTo(long milliseconds) => nowMs = milliseconds;

        public override long GetTimestamp() => nowMs * 1_000_000;

        public override DateTimeOffset GetUtcNow() => Start.AddMilliseconds(nowMs);
    }
}
