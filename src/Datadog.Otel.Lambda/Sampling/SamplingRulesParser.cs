// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda.Diagnostics;

namespace Datadog.Otel.Lambda.Sampling;

/// <summary>
/// Parses <c>DD_TRACE_SAMPLING_RULES</c>: a JSON array of objects with <c>sample_rate</c> (required, 0–1) and
/// optional <c>service</c>, <c>name</c>, <c>resource</c> patterns and a <c>tags</c> object of patterns. Patterns are
/// globs, or regular expressions when the format is <c>regex</c>. An invalid rule is skipped, invalid JSON disables
/// all rules; both with a diagnostic. Uses <see cref="JsonDocument"/> (no reflection, AOT-safe); runs once at startup.
/// </summary>
internal static class SamplingRulesParser
{
    public static IReadOnlyList<SamplingRule> Parse(string? json, bool regex)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return Array.Empty<SamplingRule>();
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                Diag.InvalidSetting(EnvironmentVariables.DdTraceSamplingRules, json, "expected a JSON array; sampling rules disabled");
                return Array.Empty<SamplingRule>();
            }

            var rules = new List<SamplingRule>();
            foreach (var element in document.RootElement.EnumerateArray())
            {
                if (TryParseRule(element, regex, out var rule, out var reason))
                {
                    rules.Add(rule);
                }
                else
                {
                    Diag.InvalidSetting(EnvironmentVariables.DdTraceSamplingRules, element.GetRawText(), reason + "; rule skipped");
                }
            }

            return rules;
        }
        catch (JsonException exception)
        {
            Diag.InvalidSetting(EnvironmentVariables.DdTraceSamplingRules, json, "invalid JSON (" + exception.Message + "); sampling rules disabled");
            return Array.Empty<SamplingRule>();
        }
    }

    private static bool TryParseRule(JsonElement element, bool regex, out SamplingRule rule, out string reason)
    {
        rule = null!;
        if (element.ValueKind != JsonValueKind.Object)
        {
            reason = "a rule must be a JSON object";
            return false;
        }

        if (!element.TryGetProperty("sample_rate", out var rateElement) || rateElement.ValueKind != JsonValueKind.Number
            || !rateElement.TryGetDouble(out var rate) || double.IsNaN(rate) || rate < 0 || rate > 1)
        {
            reason = "sample_rate must be a number from 0 to 1";
            return false;
        }

        try
        {
            if (!TryPattern(element, "service", regex, out var service, out reason)
                || !TryPattern(element, "name", regex, out var name, out reason)
                || !TryPattern(element, "resource", regex, out var resource, out reason))
            {
                return false;
            }

            List<KeyValuePair<string, IValueMatcher>>? tags = null;
            if (element.TryGetProperty("tags", out var tagsElement))
            {
                if (tagsElement.ValueKind != JsonValueKind.Object)
                {
                    reason = "tags must be a JSON object";
                    return false;
                }

                foreach (var tag in tagsElement.EnumerateObject())
                {
                    if (tag.Value.ValueKind != JsonValueKind.String)
                    {
                        reason = "tag patterns must be strings";
                        return false;
                    }

                    (tags ??= new List<KeyValuePair<string, IValueMatcher>>()).Add(new(tag.Name, CreateMatcher(tag.Value.GetString()!, regex)));
                }
            }

            rule = new SamplingRule(rate, service, name, resource, tags);
            reason = string.Empty;
            return true;
        }
        catch (ArgumentException exception)
        {
            // An invalid regular expression.
            reason = "invalid pattern (" + exception.Message + ")";
            return false;
        }
    }

    private static bool TryPattern(JsonElement rule, string property, bool regex, out IValueMatcher? matcher, out string reason)
    {
        matcher = null;
        reason = string.Empty;
        if (!rule.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            reason = property + " must be a string";
            return false;
        }

        matcher = CreateMatcher(value.GetString()!, regex);
        return true;
    }

    private static IValueMatcher CreateMatcher(string pattern, bool regex) =>
        regex ? new RegexMatcher(pattern) : new GlobMatcher(pattern);
}
