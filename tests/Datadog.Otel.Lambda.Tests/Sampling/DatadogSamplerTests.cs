// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Propagation;
using Datadog.Otel.Lambda.Sampling;
using Datadog.Otel.Lambda.Tests.Propagation;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.Tests.Sampling;

/// <summary>Decisions, attributes and trace state of the sampler (datadog-extension-otlp.md §5.1–§5.5).</summary>
public class DatadogSamplerTests
{
    private static readonly ActivityTraceId TraceId = DatadogTraceIdGenerator.Create(0x69f4ed3a, 0x4fb6f07e011a6faf);

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void UpstreamPriority_TravelsOnUnchanged(int priority)
    {
        var sampler = Create();
        var parent = Remote($"dd=s:{priority};o:rum,foo=1");

        var result = sampler.ShouldSample(Parameters(parent));

        Assert.Equal(SamplingDecision.RecordAndSample, result.Decision);
        Assert.Equal(priority, Attribute(result, "sampling.priority"));
        Assert.IsType<int>(Attribute(result, "sampling.priority"));
        Assert.Null(result.TraceStateString);
        Assert.Null(Attribute(result, "_dd.p.dm"));
    }

    [Theory]
    [InlineData(-1, SamplingDecision.Drop)]
    [InlineData(0, SamplingDecision.Drop)]
    [InlineData(1, SamplingDecision.RecordAndSample)]
    [InlineData(2, SamplingDecision.RecordAndSample)]
    public void UpstreamPriority_WithoutExportingSampledOut_DropsPriorityZeroAndBelow(int priority, SamplingDecision expected)
    {
        var sampler = Create(export: false);

        var result = sampler.ShouldSample(Parameters(Remote($"dd=s:{priority}")));

        Assert.Equal(expected, result.Decision);
    }

    [Fact]
    public void UpstreamPriority_ReportsTheUpstreamDecisionMaker()
    {
        var result = Create().ShouldSample(Parameters(Remote("dd=s:2;t.dm:-4;t.usr.id:5")));

        Assert.Equal(2, Attribute(result, "sampling.priority"));
        Assert.Equal("-4", Attribute(result, "_dd.p.dm"));
    }

    [Fact]
    public void UpstreamPriority_OnAContextWithoutParentSpan()
    {
        var parent = new ActivityContext(TraceId, default, ActivityTraceFlags.None, "dd=s:-1", isRemote: true);

        var result = Create(export: false).ShouldSample(Parameters(parent));

        Assert.Equal(SamplingDecision.Drop, result.Decision);
        Assert.Equal(-1, Attribute(result, "sampling.priority"));
    }

    [Theory]
    [InlineData(true, SamplingDecision.RecordAndSample)]
    [InlineData(false, SamplingDecision.Drop)]
    public void LocalChild_FollowsItsParentWithoutAttributes(bool parentSampled, SamplingDecision expected)
    {
        var parent = new ActivityContext(TraceId, DatadogIds.SpanId(5), parentSampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None, "dd=s:2", isRemote: false);

        var result = Create(rules: """[{"sample_rate":0}]""").ShouldSample(Parameters(parent));

        Assert.Equal(expected, result.Decision);
        Assert.Empty(result.Attributes);
        Assert.Null(result.TraceStateString);
    }

    [Fact]
    public void NewTrace_WithoutRules_KeepsWithAutoKeep()
    {
        var result = Create().ShouldSample(Parameters(default));

        Assert.Equal(SamplingDecision.RecordAndSample, result.Decision);
        Assert.Equal(1, Attribute(result, "sampling.priority"));
        Assert.Equal("-0", Attribute(result, "_dd.p.dm"));
        Assert.Null(Attribute(result, "_dd.rule_psr"));
        Assert.Equal("dd=s:1;t.dm:-0", result.TraceStateString);
    }

    [Fact]
    public void RemoteParentWithoutPriority_GetsANewDecisionThatKeepsItsState()
    {
        var result = Create().ShouldSample(Parameters(Remote("foo=1,dd=o:rum;t.usr.id:5")));

        Assert.Equal(1, Attribute(result, "sampling.priority"));
        Assert.Equal("dd=s:1;o:rum;t.dm:-0;t.usr.id:5,foo=1", result.TraceStateString);
    }

    [Fact]
    public void RuleKeep_IsUserKeepWithRuleAndLimiterRates()
    {
        var result = Create(rules: """[{"sample_rate":1}]""").ShouldSample(Parameters(default));

        Assert.Equal(SamplingDecision.RecordAndSample, result.Decision);
        Assert.Equal(2, Attribute(result, "sampling.priority"));
        Assert.Equal("-3", Attribute(result, "_dd.p.dm"));
        Assert.Equal(1.0, Attribute(result, "_dd.rule_psr"));
        Assert.Equal(1.0, Attribute(result, "_dd.limit_psr"));
        Assert.Equal("1", Attribute(result, "_dd.p.ksr"));
        Assert.Null(Attribute(result, "_dd.agent_psr"));
        Assert.Equal("dd=s:2;t.dm:-3", result.TraceStateString);
    }

    [Fact]
    public void RuleKeep_UnderTheLimit_ReusesOneAttributeSet()
    {
        var sampler = Create(rules: """[{"sample_rate":1}]""");

        var first = sampler.ShouldSample(Parameters(default));
        var second = sampler.ShouldSample(Parameters(default));

        // The usual decision allocates no attribute list.
        Assert.Same(first.Attributes, second.Attributes);
    }

    [Theory]
    [InlineData(true, SamplingDecision.RecordAndSample)]
    [InlineData(false, SamplingDecision.Drop)]
    public void RuleDrop_IsUserReject(bool export, SamplingDecision expected)
    {
        var result = Create(rules: """[{"sample_rate":0}]""", export: export).ShouldSample(Parameters(Remote("foo=1")));

        Assert.Equal(expected, result.Decision);
        Assert.Equal(-1, Attribute(result, "sampling.priority"));
        Assert.Equal(0.0, Attribute(result, "_dd.rule_psr"));
        Assert.Equal("0", Attribute(result, "_dd.p.ksr"));
        Assert.Null(Attribute(result, "_dd.limit_psr"));

        // As Datadog's Python tracer: the decision maker stays on a dropped trace and travels on.
        Assert.Equal("-3", Attribute(result, "_dd.p.dm"));
        Assert.Equal("dd=s:-1;t.dm:-3,foo=1", result.TraceStateString);
    }

    [Theory]
    [InlineData(1.0, "1")]
    [InlineData(0.5, "0.5")]
    [InlineData(0.25, "0.25")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(0.0000001, "0")]
    [InlineData(0.0000005, "0.000001")]
    [InlineData(0.1234565, "0.123457")]
    [InlineData(0.7654321, "0.765432")]
    [InlineData(0.9999999, "1")]
    [InlineData(0.0, "0")]
    public void KnuthSampleRate_IsTheRuleRateInPythonsFormat(double rate, string expected)
    {
        var result = Create(sampleRate: rate).ShouldSample(Parameters(default));

        Assert.Equal(expected, Attribute(result, "_dd.p.ksr"));
        Assert.Equal(rate, Attribute(result, "_dd.rule_psr"));
    }

    [Fact]
    public void RuleDecisions_TravelInTheDatadogHeaders()
    {
        var kept = Create(sampleRate: 1).ShouldSample(Parameters(default));
        var dropped = Create(sampleRate: 0).ShouldSample(Parameters(default));

        var keptHeaders = Ctx.Inject(new DatadogPropagator(), new ActivityContext(TraceId, DatadogIds.SpanId(7), ActivityTraceFlags.Recorded, kept.TraceStateString));
        var droppedHeaders = Ctx.Inject(new DatadogPropagator(), new ActivityContext(TraceId, DatadogIds.SpanId(7), ActivityTraceFlags.None, dropped.TraceStateString));
        var droppedW3C = Ctx.Inject(new W3CTraceContextPropagator(), new ActivityContext(TraceId, DatadogIds.SpanId(7), ActivityTraceFlags.None, dropped.TraceStateString));

        Assert.Equal("2", keptHeaders["x-datadog-sampling-priority"]);
        Assert.Contains("_dd.p.dm=-3", keptHeaders["x-datadog-tags"], StringComparison.Ordinal);
        Assert.Equal("-1", droppedHeaders["x-datadog-sampling-priority"]);
        Assert.Contains("_dd.p.dm=-3", droppedHeaders["x-datadog-tags"], StringComparison.Ordinal);
        Assert.Equal("dd=s:-1;p:0000000000000007;t.dm:-3", droppedW3C["tracestate"]);

        // _dd.p.ksr is a span tag only, as in Datadog's Python tracer.
        Assert.DoesNotContain("ksr", keptHeaders["x-datadog-tags"], StringComparison.Ordinal);
        Assert.DoesNotContain("ksr", droppedW3C["tracestate"], StringComparison.Ordinal);
    }

    [Fact]
    public void SampleRate_UsesTheKnuthHashOfTheLower64Bits()
    {
        var sampler = Create(sampleRate: 0.5, rateLimit: -1);
        var threshold = (ulong)(0.5 * ulong.MaxValue);
        for (ulong lower = 1; lower <= 200; lower++)
        {
            // Same lower bits, different upper bits: the decision only depends on the lower 64.
            foreach (var upper in new ulong[] { 0, 0x69f4ed3a00000000, ulong.MaxValue })
            {
                var result = sampler.ShouldSample(Parameters(default, traceId: DatadogIds.TraceId(upper, lower)));

                var expected = unchecked(lower * 1111111111111111111UL) <= threshold ? 2 : -1;
                Assert.Equal(expected, Attribute(result, "sampling.priority"));
                Assert.Equal("-3", Attribute(result, "_dd.p.dm"));
                Assert.Equal(0.5, Attribute(result, "_dd.rule_psr"));
            }
        }
    }

    [Fact]
    public void RateLimiter_TurnsRuleKeepsIntoRejectsAndReportsItsRate()
    {
        var time = new FakeTimeProvider();
        var sampler = Create(rules: """[{"sample_rate":1}]""", rateLimit: 2, time: time);

        var first = sampler.ShouldSample(Parameters(default));
        var second = sampler.ShouldSample(Parameters(default));
        var third = sampler.ShouldSample(Parameters(default));

        Assert.Equal(2, Attribute(first, "sampling.priority"));
        Assert.Equal(2, Attribute(second, "sampling.priority"));
        Assert.Equal(-1, Attribute(third, "sampling.priority"));
        Assert.Equal(2.0 / 3.0, (double)Attribute(third, "_dd.limit_psr")!, 10);
        Assert.Equal("-3", Attribute(third, "_dd.p.dm"));
        Assert.Equal("1", Attribute(third, "_dd.p.ksr"));
        Assert.Equal("dd=s:-1;t.dm:-3", third.TraceStateString);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, Attribute(sampler.ShouldSample(Parameters(default)), "sampling.priority"));
    }

    [Fact]
    public void RateLimiter_IsOneForTheRulesAndTheSampleRate()
    {
        // Datadog's Python tracer has one limiter for every rule; dd-trace-js gives DD_TRACE_SAMPLE_RATE a second one.
        var sampler = Create(rules: """[{"sample_rate":1,"name":"rule"}]""", sampleRate: 1, rateLimit: 2);

        Assert.Equal(2, Attribute(sampler.ShouldSample(Parameters(default, name: "rule")), "sampling.priority"));
        Assert.Equal(2, Attribute(sampler.ShouldSample(Parameters(default, name: "other")), "sampling.priority"));
        var third = sampler.ShouldSample(Parameters(default, name: "other"));
        Assert.Equal(-1, Attribute(third, "sampling.priority"));
        Assert.Equal(2.0 / 3.0, (double)Attribute(third, "_dd.limit_psr")!, 10);
    }

    [Fact]
    public void RateLimiter_DoesNotApplyWithoutRules()
    {
        var sampler = Create(rateLimit: 0);

        Assert.Equal(1, Attribute(sampler.ShouldSample(Parameters(default)), "sampling.priority"));
    }

    [Fact]
    public void Rules_FirstMatchWins_OnServiceNameAndResource()
    {
        var sampler = Create(rules: """
            [
              {"sample_rate":0,"service":"cart*","name":"aws.lambda"},
              {"sample_rate":1,"resource":"GET /users/*"},
              {"sample_rate":0,"name":"http.*"}
            ]
            """, defaultService: "cart-api");

        // Default service and the span name as operation name.
        Assert.Equal(-1, Attribute(sampler.ShouldSample(Parameters(default, name: "aws.lambda")), "sampling.priority"));

        // datadog.service overrides the default service.
        Assert.Equal(1, Attribute(sampler.ShouldSample(Parameters(default, name: "aws.lambda", tags: [new("datadog.service", "other")])), "sampling.priority"));

        // operation.name and resource.name tags win over the span name.
        Assert.Equal(2, Attribute(sampler.ShouldSample(Parameters(default, name: "x", tags: [new("resource.name", "GET /users/42")])), "sampling.priority"));
        Assert.Equal(-1, Attribute(sampler.ShouldSample(Parameters(default, name: "x", tags: [new("operation.name", "http.request")])), "sampling.priority"));
        Assert.Equal(2, Attribute(sampler.ShouldSample(Parameters(default, name: "GET /users/7")), "sampling.priority"));
    }

    [Fact]
    public void Rules_MatchTags()
    {
        var sampler = Create(rules: """[{"sample_rate":0,"tags":{"http.method":"GET","http.status_code":"2??","tenant":"*"}}]""");
        KeyValuePair<string, object?>[] matching = [new("http.method", "get"), new("http.status_code", 204), new("tenant", 1.5)];
        KeyValuePair<string, object?>[] wrongStatus = [new("http.method", "GET"), new("http.status_code", 404)];
        KeyValuePair<string, object?>[] fractionalStatus = [new("http.method", "GET"), new("http.status_code", 200.5)];
        KeyValuePair<string, object?>[] missing = [new("http.status_code", "200")];

        Assert.Equal(-1, Attribute(sampler.ShouldSample(Parameters(default, tags: matching)), "sampling.priority"));
        Assert.Equal(1, Attribute(sampler.ShouldSample(Parameters(default, tags: wrongStatus)), "sampling.priority"));
        Assert.Equal(1, Attribute(sampler.ShouldSample(Parameters(default, tags: fractionalStatus)), "sampling.priority"));
        Assert.Equal(1, Attribute(sampler.ShouldSample(Parameters(default, tags: missing)), "sampling.priority"));
    }

    [Fact]
    public void Rules_ATagPatternOfStars_NeedsTheTag()
    {
        // dd-trace-py's tags_match: a tag the span does not have fails the rule, whatever the pattern.
        var sampler = Create(rules: """[{"sample_rate":0,"tags":{"tenant":"*"}}]""");

        Assert.Equal(1, Attribute(sampler.ShouldSample(Parameters(default)), "sampling.priority"));
        Assert.Equal(1, Attribute(sampler.ShouldSample(Parameters(default, tags: [new("other", "x")])), "sampling.priority"));
        Assert.Equal(-1, Attribute(sampler.ShouldSample(Parameters(default, tags: [new("tenant", "x")])), "sampling.priority"));
    }

    [Theory]
    [InlineData("*", 20.1, -1)]
    [InlineData("?*", 22.2, -1)]
    [InlineData("????", 20.1, -1)]
    [InlineData("???", 20.1, 1)]
    [InlineData("?????", 1e-05, -1)]
    [InlineData("2*", 20.1, 1)]
    [InlineData("20", 20.0, -1)]
    [InlineData("100000000000000000000", 1e20, -1)]
    public void Rules_NumbersWithAFraction_MatchWildcardsAloneAsPythonWritesThem(string pattern, double value, int expected)
    {
        // dd-trace-py: a float with a fraction meets only patterns of '*' and '?', as str(float); an integral one is str(int(value)).
        var sampler = Create(rules: $$$"""[{"sample_rate":0,"tags":{"tag":"{{{pattern}}}"}}]""");

        Assert.Equal(expected, Attribute(sampler.ShouldSample(Parameters(default, tags: [new("tag", value)])), "sampling.priority"));
    }

    [Fact]
    public void Rules_MatchTheProcessWideTags_AsPythonPutsThemOnEverySpan()
    {
        var sampler = CreateFromEnvironment(
            """[{"sample_rate":0,"tags":{"env":"prod"}},{"sample_rate":1,"tags":{"team":"payments"}},{"sample_rate":0.0,"name":"versioned","tags":{"version":"1.2"}}]""",
            ("DD_ENV", "prod"),
            ("DD_VERSION", "1.2"),
            ("DD_TAGS", "team:payments,service:ignored,env:ignored"));

        // env from DD_ENV, on a span without the tag; the span's own tag wins.
        Assert.Equal(-1, Attribute(sampler.ShouldSample(Parameters(default)), "sampling.priority"));
        Assert.Equal(2, Attribute(sampler.ShouldSample(Parameters(default, tags: [new("env", "staging")])), "sampling.priority"));

        // The docs' own example: a rule on env only.
        var envOnly = CreateFromEnvironment("""[{"sample_rate":0.1,"tags":{"env":"prod"}}]""", ("DD_ENV", "prod"));
        Assert.Equal(0.1, Attribute(envOnly.ShouldSample(Parameters(default)), "_dd.rule_psr"));
    }

    [Fact]
    public void Rules_SeeTheVersionOnlyOnSpansOfTheDefaultService()
    {
        var sampler = CreateFromEnvironment("""[{"sample_rate":0,"tags":{"version":"1.2"}}]""", ("DD_TAGS", "version:1.2"));

        Assert.Equal(-1, Attribute(sampler.ShouldSample(Parameters(default)), "sampling.priority"));
        Assert.Equal(1, Attribute(sampler.ShouldSample(Parameters(default, tags: [new("datadog.service", "my-queue")])), "sampling.priority"));
    }

    [Fact]
    public void Rules_SeeTheEnvAndVersionTheSpansGet_AnEmptyDdTagsEntryIsNone()
    {
        // One rule decides env and version for the resource and the sampler (LambdaSettings.ProcessValue): an empty
        // DD_TAGS entry gives the spans no env, so a '*' pattern, which needs the tag, does not match it either.
        var sampler = CreateFromEnvironment(
            """[{"sample_rate":0,"tags":{"env":"*"}},{"sample_rate":0,"tags":{"version":"*"}}]""",
            ("DD_TAGS", "env:,version:"));

        Assert.Equal(1, Attribute(sampler.ShouldSample(Parameters(default)), "sampling.priority"));
    }

    [Fact]
    public void Rules_DdTagsServiceIsNoTag()
    {
        var sampler = CreateFromEnvironment("""[{"sample_rate":0,"tags":{"service":"*"}}]""", ("DD_TAGS", "service:x"));

        Assert.Equal(1, Attribute(sampler.ShouldSample(Parameters(default)), "sampling.priority"));
    }

    [Fact]
    public void Rules_RegexFormat()
    {
        var sampler = Create(rules: """[{"sample_rate":0,"service":"cart-(api|web)"}]""", format: "regex", defaultService: "CART-WEB");

        Assert.Equal(-1, Attribute(sampler.ShouldSample(Parameters(default)), "sampling.priority"));
    }

    [Fact]
    public void Rules_ThenSampleRateAsTheLastRule()
    {
        var sampler = Create(rules: """[{"sample_rate":1,"name":"keep"}]""", sampleRate: 0);

        Assert.Equal(2, Attribute(sampler.ShouldSample(Parameters(default, name: "keep")), "sampling.priority"));
        Assert.Equal(-1, Attribute(sampler.ShouldSample(Parameters(default, name: "other")), "sampling.priority"));
    }

    [Fact]
    public void EndToEnd_WithTheSdkAndTheW3CPropagator()
    {
        var sourceName = nameof(EndToEnd_WithTheSdkAndTheW3CPropagator);
        var exported = new List<Activity>();
        using var provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(sourceName)
            .SetSampler(Create(rules: """[{"sample_rate":0,"name":"dropped"}]"""))
            .AddInMemoryExporter(exported)
            .Build();
        using var source = new ActivitySource(sourceName);

        using (var root = source.StartActivity("root"))
        using (var child = source.StartActivity("child"))
        {
            var headers = Ctx.Inject(new W3CTraceContextPropagator(), child!.Context);
            Assert.Equal($"dd=s:1;p:{child.SpanId.ToHexString()};t.dm:-0", headers["tracestate"]);
            Assert.EndsWith("-01", headers["traceparent"], StringComparison.Ordinal);
        }

        using (var dropped = source.StartActivity("dropped"))
        {
            var headers = Ctx.Inject(new DatadogPropagator(), dropped!.Context);
            Assert.Equal("-1", headers["x-datadog-sampling-priority"]);
        }

        var upstream = Ctx.Extract(new DatadogPropagator(), Headers.Of(("x-datadog-trace-id", "5"), ("x-datadog-parent-id", "6"), ("x-datadog-sampling-priority", "0"))).ActivityContext;
        using (source.StartActivity("continued", ActivityKind.Server, upstream))
        {
        }

        var byName = exported.ToDictionary(a => a.DisplayName);
        Assert.Equal(1, byName["root"].GetTagItem("sampling.priority"));
        Assert.Equal("-0", byName["root"].GetTagItem("_dd.p.dm"));
        Assert.Null(byName["child"].GetTagItem("sampling.priority"));
        Assert.Equal("dd=s:1;t.dm:-0", byName["child"].TraceStateString);
        Assert.Equal(-1, byName["dropped"].GetTagItem("sampling.priority"));
        Assert.Equal(0, byName["continued"].GetTagItem("sampling.priority"));
        Assert.Equal(5UL, DatadogIds.Lower64(byName["continued"].TraceId));
    }

    [Fact]
    public void EndToEnd_DropMode_ExportsOnlyKeptTraces()
    {
        var sourceName = nameof(EndToEnd_DropMode_ExportsOnlyKeptTraces);
        var exported = new List<Activity>();
        using var provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(sourceName)
            .SetSampler(Create(rules: """[{"sample_rate":0,"name":"dropped"}]""", export: false))
            .AddInMemoryExporter(exported)
            .Build();
        using var source = new ActivitySource(sourceName);

        using (var dropped = source.StartActivity("dropped"))
        {
            // Still created, so that the decision propagates.
            Assert.NotNull(dropped);
            Assert.False(dropped.Recorded);
            Assert.Equal("-1", Ctx.Inject(new DatadogPropagator(), dropped.Context)["x-datadog-sampling-priority"]);
        }

        using (source.StartActivity("kept"))
        {
        }

        Assert.Equal(["kept"], exported.Select(a => a.DisplayName));
    }

    [Fact]
    public void PublicConstructors_ReadTheProcessEnvironment()
    {
        // Only checks that construction works without configuration; the settings themselves are tested through EnvironmentSource.
        Assert.Equal("DatadogSampler", new DatadogSampler().Description);
        Assert.Equal(1, Attribute(new DatadogSampler("svc", exportSampledOut: false).ShouldSample(Parameters(default)), "sampling.priority"));
    }

    private static DatadogSampler Create(
        string? rules = null,
        double? sampleRate = null,
        int rateLimit = 100,
        bool export = true,
        string? defaultService = "svc",
        string? format = null,
        TimeProvider? time = null)
    {
        var variables = new Dictionary<string, string?>
        {
            ["DD_TRACE_SAMPLING_RULES"] = rules,
            ["DD_TRACE_SAMPLING_RULES_FORMAT"] = format,
        };
        var settings = SamplingSettings.FromEnvironment(EnvironmentSource.FromDictionary(variables));
        settings = new SamplingSettings { Rules = settings.Rules, SampleRate = sampleRate, RateLimit = rateLimit, ExportSampledOut = export };
        return new DatadogSampler(settings, defaultService, time ?? new FakeTimeProvider());
    }

    private static DatadogSampler CreateFromEnvironment(string rules, params (string Name, string Value)[] variables)
    {
        var environment = variables.ToDictionary(v => v.Name, v => (string?)v.Value);
        environment["DD_TRACE_SAMPLING_RULES"] = rules;
        return new DatadogSampler(SamplingSettings.FromEnvironment(EnvironmentSource.FromDictionary(environment)), "svc", new FakeTimeProvider());
    }

    private static ActivityContext Remote(string? traceState) =>
        new(TraceId, DatadogIds.SpanId(6), ActivityTraceFlags.Recorded, traceState, isRemote: true);

    private static SamplingParameters Parameters(ActivityContext parent, string name = "span", KeyValuePair<string, object?>[]? tags = null, ActivityTraceId? traceId = null) =>
        new(parent, traceId ?? (parent.TraceId == default ? TraceId : parent.TraceId), name, ActivityKind.Internal, tags);

    private static object? Attribute(SamplingResult result, string key)
    {
        foreach (var attribute in result.Attributes)
        {
            if (attribute.Key == key)
            {
                return attribute.Value;
            }
        }

        return null;
    }
}
