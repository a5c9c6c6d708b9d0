// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Diagnostics;

namespace Datadog.Otel.Lambda.Sampling;

/// <summary>
/// Sampling configuration from the environment, with Datadog's names: <c>DD_TRACE_SAMPLING_RULES</c>
/// (<c>DD_TRACE_SAMPLING_RULES_FORMAT</c> <c>glob</c> or <c>regex</c>; any other format disables the rules),
/// <c>DD_TRACE_SAMPLE_RATE</c>, <c>DD_TRACE_RATE_LIMIT</c> (alias <c>DD_MAX_TRACES_PER_SECOND</c>, default 100), and
/// this distribution's <c>DD_OTEL_LAMBDA_EXPORT_SAMPLED_OUT</c> (default true). Rules given in code
/// (<see cref="DatadogLambdaOptions.SamplingRules"/>) apply when <c>DD_TRACE_SAMPLING_RULES</c> is not set: a configured
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

    public static SamplingSettings FromEnvironment(IEnvironmentSource environment) => FromEnvironment(environment, codeRules: null);

    public static SamplingSettings FromEnvironment(IEnvironmentSource environment, IEnumerable<DatadogSamplingRule>? codeRules)
    {
        var format = SettingParsers.Text(environment, EnvironmentVariables.DdTraceSamplingRulesFormat);
        var rulesJson = SettingParsers.Text(environment, EnvironmentVariables.DdTraceSamplingRules);
        IReadOnlyList<SamplingRule> rules;
        if (rulesJson is null && codeRules is not null)
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
        return new SamplingSettings
        {
            Rules = rules,
            SampleRate = SettingParsers.Rate(environment, EnvironmentVariables.DdTraceSampleRate),
            RateLimit = SettingParsers.Int(environment, limitName, DefaultRateLimit, int.MinValue, int.MaxValue),
            ExportSampledOut = SettingParsers.Bool(environment, EnvironmentVariables.DdOtelExportSampledOut, true),
        };
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
