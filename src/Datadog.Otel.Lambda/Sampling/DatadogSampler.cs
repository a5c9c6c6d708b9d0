// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.Diagnostics;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Propagation;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.Sampling;

/// <summary>
/// A sampler that makes and carries Datadog sampling decisions, with the tags of Datadog's Python tracer (which the
/// Python Lambda library runs; docs/configuration.md lists where dd-trace-js differs).
/// <list type="bullet">
/// <item>A span with a local parent follows its parent and adds nothing.</item>
/// <item>A span whose remote parent carries a Datadog priority (the <c>s:</c> of the <c>dd</c> tracestate member, set
/// by the Datadog propagators) keeps it unchanged: −1/0 drop, 1/2 keep.</item>
/// <item>Otherwise (a new trace, or a remote parent without priority) the trace sampling rules decide
/// (<c>DD_TRACE_SAMPLING_RULES</c>, first match wins, then <c>DD_TRACE_SAMPLE_RATE</c>), with Datadog's hash of the
/// lower 64 bits of the trace id: a trace the rule's rate keeps goes to the rate limiter (<c>DD_TRACE_RATE_LIMIT</c>),
/// which keeps it (2) or drops it (−1) and reports <c>_dd.limit_psr</c>; a trace the rate drops is −1. Every rule
/// decision, kept or dropped, carries <c>_dd.p.dm=-3</c>, <c>_dd.rule_psr</c> (the rate, a number) and
/// <c>_dd.p.ksr</c> (the rate as text). Without a matching rule the trace is kept with priority 1 and
/// <c>_dd.p.dm=-0</c>, and no rate tag (no agent rates exist on this path, so no <c>_dd.agent_psr</c>).</item>
/// </list>
/// The first span of the trace in this process (no parent or a remote one) gets the attribute <c>sampling.priority</c>
/// (an integer, which the Datadog extension reads as the trace's priority) and the tags above; a new decision is also
/// written to the trace state's <c>dd</c> member (<c>s:</c>, <c>t.dm:</c>), so that the propagators send it on
/// (<c>_dd.p.ksr</c> is not propagated).
/// Rules match the tags a span starts with (the distribution starts its spans with every tag it knows before the
/// handler runs): <c>datadog.service</c> (else the default service), <c>operation.name</c> and <c>resource.name</c>
/// (else the span name), and any other tag; a tag the span does not have is looked up among the process-wide tags
/// Datadog's Python tracer puts on every span (<c>env</c>, the <c>DD_TAGS</c> pairs, and <c>version</c> on spans of the
/// default service), which this distribution writes on the resource instead.
/// <para>
/// Sampled-out traces: by default every span is recorded and exported with its priority, and the Datadog extension
/// computes trace metrics (hits, errors, latency) from all spans before it keeps or drops each trace by priority
/// (<c>DD_LAMBDA_EXTENSION_COMPUTE_STATS</c>); the metrics stay exact at the cost of exporting spans that are dropped
/// afterwards. With <c>exportSampledOut: false</c> (or <c>DD_OTEL_LAMBDA_EXPORT_SAMPLED_OUT=false</c>) a priority ≤ 0
/// is an OpenTelemetry <see cref="SamplingDecision.Drop"/>: less export work and smaller payloads, but metrics then
/// count only the kept traces.
/// </para>
/// </summary>
public sealed class DatadogSampler : Sampler
{
    private static readonly SamplingResult FollowParentKeep = new(SamplingDecision.RecordAndSample);
    private static readonly SamplingResult FollowParentDrop = new(SamplingDecision.Drop);

    private static readonly KeyValuePair<string, object>[] DefaultKeepAttributes =
    [
        new(SamplingTagNames.SamplingPriority, BoxedPriorities.Get(SamplingPriorities.AutoKeep)),
        new(SamplingTagNames.DecisionMaker, SamplingPriorities.DefaultMechanism),
    ];

    private static readonly KeyValuePair<string, object>[][] UpstreamAttributes =
    [
        [new(SamplingTagNames.SamplingPriority, BoxedPriorities.Get(-1))],
        [new(SamplingTagNames.SamplingPriority, BoxedPriorities.Get(0))],
        [new(SamplingTagNames.SamplingPriority, BoxedPriorities.Get(1))],
        [new(SamplingTagNames.SamplingPriority, BoxedPriorities.Get(2))],
    ];

    // The trace state of a new root's decision when there is nothing to preserve.
    private static readonly string DefaultKeepTraceState = "dd=s:1;t.dm:-0";
    private static readonly string RuleKeepTraceState = "dd=s:2;t.dm:-3";
    private static readonly string RuleDropTraceState = "dd=s:-1;t.dm:-3";

    private static readonly string[] KnownDecisionMakers = ["-0", "-1", "-2", "-3", "-4", "-5", "-6", "-7", "-8", "-9", "-10", "-11", "-12"];

    private readonly SamplingRule[] rules;
    private readonly RateLimiter limiter;
    private readonly string defaultServiceName;
    private readonly SamplingProcessTags processTags;
    private readonly bool exportSampledOut;

    /// <summary>
    /// Initializes a new instance of the <see cref="DatadogSampler"/> class configured from the environment
    /// (<c>DD_TRACE_SAMPLING_RULES</c>, <c>DD_TRACE_SAMPLE_RATE</c>, <c>DD_TRACE_RATE_LIMIT</c>,
    /// <c>DD_OTEL_LAMBDA_EXPORT_SAMPLED_OUT</c>); the default service is <c>DD_SERVICE</c>, else
    /// <c>OTEL_SERVICE_NAME</c>, else the Lambda function name.
    /// </summary>
    public DatadogSampler()
        : this(SamplingSettings.FromEnvironment(EnvironmentSource.Process), DefaultServiceName(EnvironmentSource.Process), TimeProvider.System)
    {
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="DatadogSampler"/> class with rules, sample rate and rate limit from
    /// the environment and the given service name and export choice.
    /// </summary>
    /// <param name="defaultServiceName">The service rules match when a span has no <c>datadog.service</c> tag.</param>
    /// <param name="exportSampledOut">
    /// True to record and export spans of sampled-out traces with their priority (exact trace metrics in Datadog); false
    /// to drop them in process (less export work; metrics count only kept traces). See the class remarks.
    /// </param>
    public DatadogSampler(string? defaultServiceName, bool exportSampledOut)
        : this(WithExport(SamplingSettings.FromEnvironment(EnvironmentSource.Process), exportSampledOut), defaultServiceName, TimeProvider.System)
    {
    }

    internal DatadogSampler(SamplingSettings settings, string? defaultServiceName, TimeProvider timeProvider)
    {
        var all = new List<SamplingRule>(settings.Rules);
        if (settings.SampleRate is { } rate)
        {
            all.Add(new SamplingRule(rate));
        }

        rules = all.ToArray();
        limiter = new RateLimiter(settings.RateLimit, timeProvider);
        this.defaultServiceName = defaultServiceName ?? string.Empty;
        processTags = settings.ProcessTags;
        exportSampledOut = settings.ExportSampledOut;
        Description = "DatadogSampler";
    }

    /// <inheritdoc/>
    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        try
        {
            var parent = samplingParameters.ParentContext;
            if (parent.TraceId != default && !parent.IsRemote)
            {
                return (parent.TraceFlags & ActivityTraceFlags.Recorded) != 0 ? FollowParentKeep : FollowParentDrop;
            }

            if (parent.TraceId != default && DatadogTraceState.TryGetPriority(parent.TraceState, out var upstream))
            {
                return Upstream(parent.TraceState, upstream);
            }

            return Decide(in samplingParameters, parent.TraceState);
        }
#pragma warning disable CA1031 // Sampling must never break span creation.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Diag.TracingFailed("sampling", exception);
            return FollowParentKeep;
        }
    }

    private static SamplingDecision DecisionFor(int priority, bool export) =>
        priority > 0 || export ? SamplingDecision.RecordAndSample : SamplingDecision.Drop;

    private static SamplingSettings WithExport(SamplingSettings settings, bool exportSampledOut) => settings.WithExportSampledOut(exportSampledOut);

    private static string? DefaultServiceName(IEnvironmentSource environment) =>
        SettingParsers.Text(environment, EnvironmentVariables.DdService)
        ?? SettingParsers.Text(environment, EnvironmentVariables.OtelServiceName)
        ?? SettingParsers.Text(environment, EnvironmentVariables.AwsLambdaFunctionName);

    private static string? DecisionMakerOf(string? traceState)
    {
        if (!TraceStateList.TryGetDatadogMember(traceState, out var member)
            || !DatadogTraceState.TryGetField(member, "t.dm", out var value)
            || value.IsEmpty)
        {
            return null;
        }

        foreach (var known in KnownDecisionMakers)
        {
            if (value.SequenceEqual(known))
            {
                return known;
            }
        }

        return value.ToString();
    }

    /// <summary>An upstream decision travels on unchanged; the local root records it.</summary>
    private SamplingResult Upstream(string? traceState, int priority)
    {
        KeyValuePair<string, object>[] attributes;
        var decisionMaker = DecisionMakerOf(traceState);
        if (decisionMaker is null && priority is >= -1 and <= 2)
        {
            attributes = UpstreamAttributes[priority + 1];
        }
        else
        {
            attributes = decisionMaker is null
                ? [new(SamplingTagNames.SamplingPriority, BoxedPriorities.Get(priority))]
                : [new(SamplingTagNames.SamplingPriority, BoxedPriorities.Get(priority)), new(SamplingTagNames.DecisionMaker, decisionMaker)];
        }

        return new SamplingResult(DecisionFor(priority, exportSampledOut), attributes);
    }

    private SamplingResult Decide(in SamplingParameters parameters, string? parentTraceState)
    {
        var rule = rules.Length == 0 ? null : FindRule(in parameters);
        var noState = string.IsNullOrEmpty(parentTraceState);
        if (rule is null)
        {
            return new SamplingResult(
                SamplingDecision.RecordAndSample,
                DefaultKeepAttributes,
                noState ? DefaultKeepTraceState : DatadogTraceState.WithDecision(parentTraceState, SamplingPriorities.AutoKeep, SamplingPriorities.DefaultMechanism));
        }

        if (!KnuthSampling.Keep(DatadogIds.Lower64(parameters.TraceId), rule.SampleRate, rule.Threshold))
        {
            return new SamplingResult(
                DecisionFor(SamplingPriorities.UserReject, exportSampledOut),
                rule.DropAttributes,
                noState ? RuleDropTraceState : DatadogTraceState.WithDecision(parentTraceState, SamplingPriorities.UserReject, SamplingPriorities.RuleMechanism));
        }

        var allowed = limiter.TryAcquire(out var limiterRate);
        var priority = allowed ? SamplingPriorities.UserKeep : SamplingPriorities.UserReject;
        var attributes = allowed && limiterRate == 1
            ? rule.KeepAttributes
            :
            [
                new(SamplingTagNames.SamplingPriority, BoxedPriorities.Get(priority)),
                new(SamplingTagNames.DecisionMaker, SamplingPriorities.RuleMechanism),
                new(SamplingTagNames.RuleRate, rule.BoxedRate),
                new(SamplingTagNames.KnuthSampleRate, rule.KnuthRate),
                new(SamplingTagNames.LimiterRate, limiterRate),
            ];
        string traceState = noState
            ? (allowed ? RuleKeepTraceState : RuleDropTraceState)
            : DatadogTraceState.WithDecision(parentTraceState, priority, SamplingPriorities.RuleMechanism);
        return new SamplingResult(DecisionFor(priority, exportSampledOut), attributes, traceState);
    }

    private SamplingRule? FindRule(in SamplingParameters parameters)
    {
        var tags = parameters.Tags;
        var service = SpanTags.GetString(tags, SamplingTagNames.Service) ?? defaultServiceName;
        var name = SpanTags.GetString(tags, SamplingTagNames.OperationName) ?? parameters.Name ?? string.Empty;
        var resource = SpanTags.GetString(tags, SamplingTagNames.ResourceName) ?? parameters.Name ?? string.Empty;
        var mainService = string.Equals(service, defaultServiceName, StringComparison.Ordinal);
        foreach (var rule in rules)
        {
            if (rule.Matches(service, name, resource, tags, processTags, mainService))
            {
                return rule;
            }
        }

        return null;
    }
}
