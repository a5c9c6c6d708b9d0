// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Sampling;

namespace Datadog.Otel.Lambda.Tests.Sampling;

public class SamplingSettingsTests
{
    private const string SpecRules = """[{"sample_rate":0.5,"service":"cart.*"},{"sample_rate":0.2,"name":"http.request"},{"sample_rate":1.0,"service":"background","name":"sql.query"},{"sample_rate":0.1}]""";

    internal static SamplingSettings Read(params (string Name, string Value)[] variables) =>
        SamplingSettings.FromEnvironment(EnvironmentSource.FromDictionary(variables.ToDictionary(v => v.Name, v => (string?)v.Value)));

    [Fact]
    public void Defaults()
    {
        var settings = Read();

        Assert.Empty(settings.Rules);
        Assert.Null(settings.SampleRate);
        Assert.Equal(100, settings.RateLimit);
        Assert.True(settings.ExportSampledOut);
    }

    [Fact]
    public void Rules_TheSpecExample()
    {
        var rules = Read(("DD_TRACE_SAMPLING_RULES", SpecRules)).Rules;

        Assert.Equal([0.5, 0.2, 1.0, 0.1], rules.Select(r => r.SampleRate));
        Assert.True(rules[0].Service!.IsMatch("cart.api"));
        Assert.False(rules[0].Service!.IsMatch("cart-api"));
        Assert.Null(rules[0].Name);
        Assert.True(rules[1].Name!.IsMatch("http.request"));
        Assert.True(rules[2].Service!.IsMatch("background"));
        Assert.Null(rules[3].Service);
    }

    [Fact]
    public void Rules_RegexFormat()
    {
        var rules = Read(("DD_TRACE_SAMPLING_RULES", SpecRules), ("DD_TRACE_SAMPLING_RULES_FORMAT", "regex")).Rules;

        Assert.True(rules[0].Service!.IsMatch("cart-api"));
        Assert.IsType<RegexMatcher>(rules[0].Service);
    }

    [Fact]
    public void Rules_UnknownFormatDisablesThem_ButTheSampleRateStays()
    {
        var settings = Read(("DD_TRACE_SAMPLING_RULES", SpecRules), ("DD_TRACE_SAMPLING_RULES_FORMAT", "wildcard"), ("DD_TRACE_SAMPLE_RATE", "0.3"));

        Assert.Empty(settings.Rules);
        Assert.Equal(0.3, settings.SampleRate);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"sample_rate\":0.5}")]
    [InlineData("[")]
    public void Rules_InvalidJson_DisablesThem(string json)
    {
        Assert.Empty(Read(("DD_TRACE_SAMPLING_RULES", json)).Rules);
    }

    [Theory]
    [InlineData("1.5", 1.0)]
    [InlineData("2", 1.0)]
    [InlineData("-0.5", 0.0)]
    [InlineData("1e400", 1.0)]
    [InlineData("\"0.5\"", 0.5)]
    [InlineData("\" 0.25\\n\"", 0.25)]
    [InlineData("\"1_0\"", 1.0)]
    [InlineData("\"-inf\"", 0.0)]
    [InlineData("\"NaN\"", 0.0)]
    [InlineData("\".5\"", 0.5)]
    [InlineData("true", 1.0)]
    [InlineData("false", 0.0)]
    public void Rules_RateIsPythonsFloatClampedToOne(string rate, double expected)
    {
        // dd-trace-py: SamplingRule(sample_rate) is min(1.0, max(0.0, float(sample_rate))).
        var rule = Assert.Single(Read(("DD_TRACE_SAMPLING_RULES", "[{\"sample_rate\":" + rate + "}]")).Rules);

        Assert.Equal(expected, rule.SampleRate);
    }

    [Fact]
    public void Rules_ARateThatIsNoNumber_EndsTheList_AsPythonsValueErrorDoes()
    {
        var rules = Read(("DD_TRACE_SAMPLING_RULES", """[{"sample_rate":0.1},{"sample_rate":"half"},{"sample_rate":0.3}]""")).Rules;

        Assert.Equal(0.1, Assert.Single(rules).SampleRate);
    }

    [Fact]
    public void Rules_ThatPythonCannotBuildAreSkipped()
    {
        var rules = Read(("DD_TRACE_SAMPLING_RULES", """
            [
              {"service":"no-rate"},
              {"sample_rate":null},
              {"sample_rate":[1]},
              {"sample_rate":0.5,"service":7},
              {"sample_rate":0.5,"resource":7},
              {"sample_rate":0.5,"tags":["a"]},
              {"sample_rate":0.5,"tags":{"a":[1]}},
              5,
              {"sample_rate":0.25,"tags":{"http.method":"GET","tenant":"a*"},"resource":"GET /*"}
            ]
            """)).Rules;

        var rule = Assert.Single(rules);
        Assert.Equal(0.25, rule.SampleRate);
        Assert.Equal(2, rule.Tags.Count);
        Assert.NotNull(rule.Resource);
    }

    [Fact]
    public void Rules_TagPatternsThatAreNotStrings_AreTheirPythonText()
    {
        var rule = Assert.Single(Read(("DD_TRACE_SAMPLING_RULES", """
            [{"sample_rate":0,"tags":{"int":1,"float":1.0,"exp":1e-5,"big":2E16,"yes":true,"no":false,"none":null,"zero":-0}}]
            """)).Rules);
        var tags = rule.Tags.ToDictionary(t => t.Key, t => t.Value);

        Assert.True(tags["int"].IsMatch("1"));
        Assert.True(tags["float"].IsMatch("1.0"));
        Assert.False(tags["float"].IsMatch("1"));
        Assert.True(tags["exp"].IsMatch("1e-05"));
        Assert.True(tags["big"].IsMatch("2e+16"));
        Assert.True(tags["yes"].IsMatch("True"));
        Assert.True(tags["no"].IsMatch("False"));
        Assert.True(tags["none"].IsMatch("None"));
        Assert.True(tags["zero"].IsMatch("0"));
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("null")]
    [InlineData("false")]
    [InlineData("0")]
    [InlineData("[]")]
    [InlineData("{}")]
    public void Rules_AnEmptyResourceOrTagsIsNoConstraint(string empty)
    {
        // dd-trace-py: `GlobMatcher(resource) if resource else None`, and `... if tags else {}`.
        var rule = Assert.Single(Read(("DD_TRACE_SAMPLING_RULES", $$"""[{"sample_rate":0,"resource":{{empty}},"tags":{{empty}}}]""")).Rules);

        Assert.Null(rule.Resource);
        Assert.Empty(rule.Tags);
    }

    [Fact]
    public void Rules_AnEmptyServiceOrNameIsAPatternForTheEmptyValue()
    {
        // dd-trace-py: `GlobMatcher(service) if service is not None else None`.
        var rule = Assert.Single(Read(("DD_TRACE_SAMPLING_RULES", """[{"sample_rate":0,"service":"","name":""}]""")).Rules);

        Assert.False(rule.Service!.IsMatch("svc"));
        Assert.False(rule.Name!.IsMatch("aws.lambda"));
    }

    [Theory]
    [InlineData("always_on", null, 1.0)]
    [InlineData("ALWAYS_OFF", null, 0.0)]
    [InlineData("parentbased_always_on", null, 1.0)]
    [InlineData("parentbased_always_off", null, 0.0)]
    [InlineData("traceidratio", "0.25", 0.25)]
    [InlineData("parentbased_traceidratio", " 0.5 ", 0.5)]
    [InlineData("parentbased_traceidratio", null, 1.0)]
    [InlineData("traceidratio", "2", 1.0)]
    [InlineData("traceidratio", "\"0.1\"", 0.1)]
    public void OtelTracesSampler_IsOneRule(string sampler, string? argument, double rate)
    {
        var variables = new List<(string, string)> { ("OTEL_TRACES_SAMPLER", sampler) };
        if (argument is not null)
        {
            variables.Add(("OTEL_TRACES_SAMPLER_ARG", argument));
        }

        var settings = Read([.. variables]);

        var rule = Assert.Single(settings.Rules);
        Assert.Equal(rate, rule.SampleRate);
        Assert.Null(rule.Service);
        Assert.Null(rule.Name);
        Assert.Null(rule.Resource);
        Assert.Empty(rule.Tags);
        Assert.Null(settings.SampleRate);
    }

    [Theory]
    [InlineData("xray", null)]
    [InlineData("always_on ", null)]
    [InlineData("", null)]
    [InlineData("traceidratio", "half")]
    [InlineData("traceidratio", "")]
    public void OtelTracesSampler_UnsupportedValuesAndBadRatios_AreIgnored(string sampler, string? argument)
    {
        var variables = new List<(string, string)> { ("OTEL_TRACES_SAMPLER", sampler) };
        if (argument is not null)
        {
            variables.Add(("OTEL_TRACES_SAMPLER_ARG", argument));
        }

        Assert.Empty(Read([.. variables]).Rules);
    }

    [Fact]
    public void OtelTracesSampler_GivesWayToDatadogsSettings_AndReplacesCodeRules()
    {
        var rules = Read(("OTEL_TRACES_SAMPLER", "always_off"), ("DD_TRACE_SAMPLING_RULES", """[{"sample_rate":0.9}]""")).Rules;
        Assert.Equal(0.9, Assert.Single(rules).SampleRate);

        var withRate = Read(("OTEL_TRACES_SAMPLER", "always_off"), ("DD_TRACE_SAMPLE_RATE", "0.7"));
        Assert.Empty(withRate.Rules);
        Assert.Equal(0.7, withRate.SampleRate);

        // An empty DD_TRACE_SAMPLING_RULES is set, as in Python: no rules at all.
        Assert.Empty(Read(("OTEL_TRACES_SAMPLER", "always_off"), ("DD_TRACE_SAMPLING_RULES", string.Empty)).Rules);

        var environment = EnvironmentSource.FromDictionary(new Dictionary<string, string?> { ["OTEL_TRACES_SAMPLER"] = "always_off" });
        var code = SamplingSettings.FromEnvironment(environment, [new DatadogSamplingRule(1) { Name = "x" }]).Rules;
        Assert.Equal(0.0, Assert.Single(code).SampleRate);
        Assert.Null(code[0].Name);
    }

    [Fact]
    public void Rules_InvalidRegexIsSkipped()
    {
        var rules = Read(("DD_TRACE_SAMPLING_RULES", """[{"sample_rate":0.5,"service":"("},{"sample_rate":0.1}]"""), ("DD_TRACE_SAMPLING_RULES_FORMAT", "regex")).Rules;

        Assert.Equal(0.1, Assert.Single(rules).SampleRate);
    }

    [Fact]
    public void RateLimit_AndItsAlias()
    {
        Assert.Equal(5, Read(("DD_TRACE_RATE_LIMIT", "5")).RateLimit);
        Assert.Equal(7, Read(("DD_MAX_TRACES_PER_SECOND", "7")).RateLimit);
        Assert.Equal(5, Read(("DD_TRACE_RATE_LIMIT", "5"), ("DD_MAX_TRACES_PER_SECOND", "7")).RateLimit);
        Assert.Equal(100, Read(("DD_TRACE_RATE_LIMIT", "lots")).RateLimit);
    }

    [Theory]
    [InlineData("0.25", 0.25)]
    [InlineData("1", 1.0)]
    [InlineData("1.5", null)]
    [InlineData("half", null)]
    public void SampleRate(string value, double? expected)
    {
        Assert.Equal(expected, Read(("DD_TRACE_SAMPLE_RATE", value)).SampleRate);
    }

    [Fact]
    public void ExportSampledOut_CanBeSwitchedOff()
    {
        Assert.False(Read(("DD_OTEL_LAMBDA_EXPORT_SAMPLED_OUT", "false")).ExportSampledOut);
    }
}
