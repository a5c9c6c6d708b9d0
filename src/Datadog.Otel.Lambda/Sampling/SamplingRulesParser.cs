// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda.Diagnostics;

namespace Datadog.Otel.Lambda.Sampling;

/// <summary>
/// Parses <c>DD_TRACE_SAMPLING_RULES</c>: a JSON array of objects with <c>sample_rate</c> (required) and optional
/// <c>service</c>, <c>name</c>, <c>resource</c> patterns and a <c>tags</c> object of patterns, read as Datadog's Python
/// tracer reads them: the rate is a number or a numeric string (Python's <c>float()</c>; <c>true</c>/<c>false</c> are 1
/// and 0), clamped to 0–1 (NaN is 0); a tag pattern that is not a string is its Python text (<c>None</c>, <c>True</c>,
/// <c>1</c>, <c>1.0</c>); an empty or false <c>resource</c> or <c>tags</c> is no constraint. A rate that is a string
/// Python cannot read ends the list there (the rules before it apply, as in Python). Patterns are globs, or regular
/// expressions when the format is <c>regex</c>. A rule Python could not build at all (no rate, a pattern of the wrong
/// type) is skipped, invalid JSON disables all rules; each with a diagnostic. Uses <see cref="JsonDocument"/> (no
/// reflection, AOT-safe); runs once at startup.
/// </summary>
internal static class SamplingRulesParser
{
    public static IReadOnlyList<SamplingRule> Parse(string? json, bool regex) => Parse(json, regex, EnvironmentVariables.DdTraceSamplingRules);

    /// <param name="json">The rules.</param>
    /// <param name="regex">Whether patterns are regular expressions.</param>
    /// <param name="settingName">The setting diagnostics name.</param>
    public static IReadOnlyList<SamplingRule> Parse(string? json, bool regex, string settingName)
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
                Diag.InvalidSetting(settingName, json, "expected a JSON array; sampling rules disabled");
                return Array.Empty<SamplingRule>();
            }

            var rules = new List<SamplingRule>();
            foreach (var element in document.RootElement.EnumerateArray())
            {
                var outcome = TryParseRule(element, regex, out var rule, out var reason);
                if (outcome == Outcome.Parsed)
                {
                    rules.Add(rule);
                }
                else if (outcome == Outcome.Skipped)
                {
                    Diag.InvalidSetting(settingName, element.GetRawText(), reason + "; rule skipped");
                }
                else
                {
                    Diag.InvalidSetting(settingName, element.GetRawText(), reason + "; this rule and the ones after it are ignored, as Datadog's Python tracer ignores them");
                    break;
                }
            }

            return rules;
        }
        catch (JsonException exception)
        {
            Diag.InvalidSetting(settingName, json, "invalid JSON (" + exception.Message + "); sampling rules disabled");
            return Array.Empty<SamplingRule>();
        }
    }

    private static Outcome TryParseRule(JsonElement element, bool regex, out SamplingRule rule, out string reason)
    {
        rule = null!;
        if (element.ValueKind != JsonValueKind.Object)
        {
            reason = "a rule must be a JSON object";
            return Outcome.Skipped;
        }

        if (!element.TryGetProperty("sample_rate", out var rateElement))
        {
            reason = "no sample_rate";
            return Outcome.Skipped;
        }

        var rateOutcome = TryRate(rateElement, out var rate, out reason);
        if (rateOutcome != Outcome.Parsed)
        {
            return rateOutcome;
        }

        try
        {
            if (!TryPattern(element, "service", regex, emptyIsAbsent: false, out var service, out reason)
                || !TryPattern(element, "name", regex, emptyIsAbsent: false, out var name, out reason)
                || !TryPattern(element, "resource", regex, emptyIsAbsent: true, out var resource, out reason))
            {
                return Outcome.Skipped;
            }

            List<KeyValuePair<string, IValueMatcher>>? tags = null;
            if (element.TryGetProperty("tags", out var tagsElement) && !IsFalsy(tagsElement))
            {
                if (tagsElement.ValueKind != JsonValueKind.Object)
                {
                    reason = "tags must be a JSON object";
                    return Outcome.Skipped;
                }

                foreach (var tag in tagsElement.EnumerateObject())
                {
                    if (PatternText(tag.Value) is not { } pattern)
                    {
                        reason = "a tag pattern must be a string, a number, true, false or null";
                        return Outcome.Skipped;
                    }

                    (tags ??= new List<KeyValuePair<string, IValueMatcher>>()).Add(new(tag.Name, CreateMatcher(pattern, regex)));
                }
            }

            rule = new SamplingRule(rate, service, name, resource, tags);
            reason = string.Empty;
            return Outcome.Parsed;
        }
        catch (ArgumentException exception)
        {
            // An invalid regular expression.
            reason = "invalid pattern (" + exception.Message + ")";
            return Outcome.Skipped;
        }
    }

    /// <summary>Python's <c>min(1.0, max(0.0, float(sample_rate)))</c>.</summary>
    private static Outcome TryRate(JsonElement element, out double rate, out string reason)
    {
        reason = string.Empty;
        double value;
        switch (element.ValueKind)
        {
            case JsonValueKind.Number:
                if (!element.TryGetDouble(out value))
                {
                    // Beyond double's range: Python's float is infinite too.
                    value = element.GetRawText().StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity;
                }

                break;
            case JsonValueKind.True:
                value = 1;
                break;
            case JsonValueKind.False:
                value = 0;
                break;
            case JsonValueKind.String:
                if (!PythonText.TryParseFloat(element.GetString()!, out value))
                {
                    rate = 0;
                    reason = "sample_rate is not a number";
                    return Outcome.Stop;
                }

                break;
            default:
                rate = 0;
                reason = "sample_rate must be a number";
                return Outcome.Skipped;
        }

        // Python's max(0.0, nan) is 0.0.
        rate = double.IsNaN(value) ? 0 : Math.Clamp(value, 0, 1);
        return Outcome.Parsed;
    }

    /// <summary>
    /// A service, name or resource pattern: absent for a missing or null value (and, for the resource, any value Python
    /// takes as false: empty string, false, 0, empty array or object); otherwise it must be a string.
    /// </summary>
    private static bool TryPattern(JsonElement rule, string property, bool regex, bool emptyIsAbsent, out IValueMatcher? matcher, out string reason)
    {
        matcher = null;
        reason = string.Empty;
        if (!rule.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null || (emptyIsAbsent && IsFalsy(value)))
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

    /// <summary>Python's truth value of a JSON value.</summary>
    private static bool IsFalsy(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.False or JsonValueKind.Undefined => true,
        JsonValueKind.String => value.GetString()!.Length == 0,
        JsonValueKind.Number => value.TryGetDouble(out var number) && number == 0,
        JsonValueKind.Array => value.GetArrayLength() == 0,
        JsonValueKind.Object => !value.EnumerateObject().MoveNext(),
        _ => false,
    };

    /// <summary>Python's <c>str()</c> of a JSON scalar as <c>json.loads</c> gives it; null for an array or object.</summary>
    private static string? PatternText(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return value.GetString();
            case JsonValueKind.Null:
                return "None";
            case JsonValueKind.True:
                return "True";
            case JsonValueKind.False:
                return "False";
            case JsonValueKind.Number:
                var raw = value.GetRawText();
                if (raw.AsSpan().IndexOfAny(".eE") < 0)
                {
                    // A JSON integer is a Python int: its digits, without the sign of a zero.
                    return raw == "-0" ? "0" : raw;
                }

                return PythonText.FormatFloat(value.TryGetDouble(out var number) ? number : raw.StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity);
            default:
                return null;
        }
    }

    private static IValueMatcher CreateMatcher(string pattern, bool regex) =>
        regex ? new RegexMatcher(pattern) : new GlobMatcher(pattern);

    private enum Outcome
    {
        Parsed,
        Skipped,
        Stop,
    }
}
