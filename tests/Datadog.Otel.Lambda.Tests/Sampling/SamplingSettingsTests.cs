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

    [Fact]
    public void Rules_InvalidRulesAreSkipped()
    {
        var rules = Read(("DD_TRACE_SAMPLING_RULES", """
            [
              {"service":"no-rate"},
              {"sample_rate":1.5},
              {"sample_rate":"0.5"},
              {"sample_rate":0.5,"service":7},
              {"sample_rate":0.5,"tags":["a"]},
              {"sample_rate":0.5,"tags":{"a":1}},
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
