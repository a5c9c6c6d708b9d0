// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Diagnostics;

namespace Datadog.Otel.Lambda.Sampling;

/// <summary>
/// Sampling configuration from the environment, with Datadog's names (and <c>OTEL_TRACES_SAMPLER</c> as Datadog maps
/// it, when neither <c>DD_TRACE_SAMPLING_RULES</c> nor <c>DD_TRACE_SAMPLE_RATE</c> is set): <c>DD_TRACE_SAMPLING_RULES</c>
/// (<c>DD_TRACE_SAMPLING_RULES_FORMAT</c> <c>glob</c> or <c>regex</c>; any other format disables the rules),
/// <c>DD_TRACE_SAMPLE_RATE</c>, <c>DD_TRACE_RATE_LIMIT</c> (alias <c>DD_MAX_TRACES_PER_SECOND</c>, default 100), and
/// this distribution's <c>DD_OTEL_LAMBDA_EXPORT_SAMPLED_OUT</c> (default true). Rules given in code
/// (<see cref="DatadogLambdaOptions.SamplingRules"/>) apply when neither <c>DD_TRACE_SAMPLING_RULES</c> nor a mapped <c>OTEL_TRACES_SAMPLER</c> is set: a configured
/// rule list, even an invalid one, replaces them, as the environment wins over code options everywhere.
/// </summary>
internal sealed class SamplingSettings
{
    public const int DefaultRateLimit = 100;

    public IReadOnlyList<SamplingRule> Rules { get; init; } = Array.Empty<SamplingRule>();

    public double? SampleRate { get; init; }

    /// <summary>Gets the traces per second kept by rules; negative means no limit.</summary>
    public int RateLimit { get; init; } = DefaultRateLimit;

    public bool ExportSampledOut { get; init; } = true;

    /// <summary>Gets the process-wide tags rules also match (<c>DD_ENV</c>, <c>DD_VERSION</c>, <c>DD_TAGS</c>).</summary>
    public SamplingProcessTags ProcessTags { get; init; } = SamplingProcessTags.None;

    public static SamplingSettings FromEnvironment(IEnvironmentSource environment) => FromEnvironment(environment, codeRules: null);

    /// <param name="environment">The configuration.</param>
    /// <param name="codeRules">The rules given in code, if any.</param>
    /// <param name="ddTags">The <c>DD_TAGS</c> pairs when the caller parsed them already (else read here).</param>
    public static SamplingSettings FromEnvironment(IEnvironmentSource environment, IEnumerable<DatadogSamplingRule>? codeRules, IReadOnlyList<KeyValuePair<string, string>>? ddTags = null)
    {
        var format = SettingParsers.Text(environment, EnvironmentVariables.DdTraceSamplingRulesFormat);
        var rulesJson = SettingParsers.Text(environment, EnvironmentVariables.DdTraceSamplingRules);
        IReadOnlyList<SamplingRule> rules;
        if (OtelSamplerRules(environment) is { } otel)
        {
            rules = SamplingRulesParser.Parse(otel.Json, regex: false, otel.SettingName);
        }
        else if (rulesJson is null && codeRules is not null)
        {
            rules = FromCode(codeRules);
        }
        else if (format is null || format.Equals("glob", StringComparison.OrdinalIgnoreCase))
        {
            rules = SamplingRulesParser.Parse(rulesJson, regex: false);
        }
        else if (format.Equals("regex", StringComparison.OrdinalIgnoreCase))
        {
            rules = SamplingRulesParser.Parse(rulesJson, regex: true);
        }
        else
        {
            Diag.InvalidSetting(EnvironmentVariables.DdTraceSamplingRulesFormat, format, "expected glob or regex; sampling rules disabled");
            rules = Array.Empty<SamplingRule>();
        }

        var limitName = environment.Get(EnvironmentVariables.DdTraceRateLimit) is null && environment.Get(EnvironmentVariables.DdMaxTracesPerSecond) is not null
            ? EnvironmentVariables.DdMaxTracesPerSecond
            : EnvironmentVariables.DdTraceRateLimit;
        var tags = ddTags ?? LambdaSettings.ParseTags(SettingParsers.Text(environment, EnvironmentVariables.DdTags));
        return new SamplingSettings
        {
            Rules = rules,
            SampleRate = SettingParsers.Rate(environment, EnvironmentVariables.DdTraceSampleRate),
            RateLimit = SettingParsers.Int(environment, limitName, DefaultRateLimit, int.MinValue, int.MaxValue),
            ExportSampledOut = SettingParsers.Bool(environment, EnvironmentVariables.DdOtelExportSampledOut, true),
            ProcessTags = new SamplingProcessTags(
                tags,
                LambdaSettings.ProcessValue(environment, EnvironmentVariables.DdEnv, tags, "env"),
                LambdaSettings.ProcessValue(environment, EnvironmentVariables.DdVersion, tags, "version")),
        };
    }

    /// <summary>These settings with another choice for sampled-out traces.</summary>
    public SamplingSettings WithExportSampledOut(bool exportSampledOut) => new()
    {
        Rules = this.Rules,
        SampleRate = this.SampleRate,
        RateLimit = this.RateLimit,
        ExportSampledOut = exportSampledOut,
        ProcessTags = this.ProcessTags,
    };

    /// <summary>
    /// <c>OTEL_TRACES_SAMPLER</c> as Datadog's Python tracer maps it, when neither <c>DD_TRACE_SAMPLING_RULES</c> nor
    /// <c>DD_TRACE_SAMPLE_RATE</c> is set (an empty value counts as set, as in Python): the value in lower case;
    /// <c>always_on</c>, <c>always_off</c> and <c>traceidratio</c> become their <c>parentbased_</c> forms with a warning;
    /// <c>parentbased_always_on</c> is the rule <c>[{"sample_rate":1.0}]</c>, <c>parentbased_always_off</c>
    /// <c>[{"sample_rate":0.0}]</c>, <c>parentbased_traceidratio</c> <c>[{"sample_rate":ARG}]</c> with
    /// <c>OTEL_TRACES_SAMPLER_ARG</c> written in as it is (default <c>1</c>); any other value is ignored with a warning.
    /// </summary>
    private static (string Json, string SettingName)? OtelSamplerRules(IEnvironmentSource environment)
    {
        var raw = environment.Get(EnvironmentVariables.OtelTracesSampler);
        if (raw is null
            || environment.Get(EnvironmentVariables.DdTraceSamplingRules) is not null
            || environment.Get(EnvironmentVariables.DdTraceSampleRate) is not null)
        {
            return null;
        }

        var sampler = raw.ToLowerInvariant();
        if (sampler is "always_on" or "always_off" or "traceidratio")
        {
            Diag.Warn("config", $"Trace sampler set from {sampler} to parentbased_{sampler}; only parent based sampling is supported.");
            sampler = "parentbased_" + sampler;
        }

        var (rate, settingName) = sampler switch
        {
            "parentbased_always_on" => ("1.0", EnvironmentVariables.OtelTracesSampler),
            "parentbased_always_off" => ("0.0", EnvironmentVariables.OtelTracesSampler),
            "parentbased_traceidratio" => (environment.Get(EnvironmentVariables.OtelTracesSamplerArg) ?? "1", EnvironmentVariables.OtelTracesSamplerArg),
            _ => ((string?)null, EnvironmentVariables.OtelTracesSampler),
        };
        if (rate is null)
        {
            Diag.InvalidSetting(EnvironmentVariables.OtelTracesSampler, raw, "not supported by Datadog's tracers; this configuration is ignored");
            return null;
        }

        return ("[{\"sample_rate\":" + rate + "}]", settingName);
    }

    private static SamplingRule[] FromCode(IEnumerable<DatadogSamplingRule> codeRules)
    {
        var rules = new List<SamplingRule>();
        foreach (var rule in codeRules)
        {
            if (rule is not null)
            {
                rules.Add(rule.ToSamplingRule());
            }
        }

        return rules.ToArray();
    }
}
