// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using Datadog.Otel.Lambda.Diagnostics;

namespace Datadog.Otel.Lambda;

/// <summary>Parses environment values the way Datadog's libraries do; a value Datadog would not read falls back with a diagnostic.</summary>
internal static class SettingParsers
{
    /// <summary>
    /// Reads a boolean as Datadog's libraries do (<c>asbool</c>): <c>true</c> in any case, or <c>1</c>, is true; any other
    /// value, an empty one included, is false. Unset keeps <paramref name="defaultValue"/>. A value that is neither
    /// true/1 nor false/0 writes a diagnostic, because a Datadog user may expect <c>yes</c> or <c>on</c> to turn something on.
    /// </summary>
    public static bool Bool(IEnvironmentSource environment, string name, bool defaultValue)
    {
        var raw = environment.Get(name);
        if (raw is null)
        {
            return defaultValue;
        }

        if (raw.Equals("true", StringComparison.OrdinalIgnoreCase) || raw == "1")
        {
            return true;
        }

        if (!raw.Equals("false", StringComparison.OrdinalIgnoreCase) && raw != "0")
        {
            Diag.InvalidSetting(name, raw, "read as false: Datadog reads only true or 1 as true");
        }

        return false;
    }

    /// <summary>
    /// Reads a switch that is on unless turned off, as Datadog reads <c>DD_TRACE_AWS_SERVICE_REPRESENTATION_ENABLED</c>:
    /// only <c>false</c> (any case) or <c>0</c> turn it off; anything else, unset or empty included, leaves it on.
    /// </summary>
    public static bool OnUnlessFalse(IEnvironmentSource environment, string name)
    {
        var raw = environment.Get(name);
        return raw is null || !(raw.Equals("false", StringComparison.OrdinalIgnoreCase) || raw == "0");
    }

    public static int Int(IEnvironmentSource environment, string name, int defaultValue, int min, int max)
    {
        var raw = environment.Get(name);
        if (string.IsNullOrWhiteSpace(raw))
        {
            return defaultValue;
        }

        if (int.TryParse(raw.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Diag.InvalidSetting(name, raw, $"expected an integer from {min} to {max}; using {defaultValue}");
        return defaultValue;
    }

    /// <summary>
    /// Reads an integer and brings it into [<paramref name="min"/>, <paramref name="max"/>]: where Datadog takes any integer
    /// (payload depths), a value past our bound means "as deep as allowed", not the default.
    /// </summary>
    public static int ClampedInt(IEnvironmentSource environment, string name, int defaultValue, int min, int max)
    {
        var raw = environment.Get(name);
        if (string.IsNullOrWhiteSpace(raw))
        {
            return defaultValue;
        }

        if (long.TryParse(raw.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            if (value < min || value > max)
            {
                Diag.InvalidSetting(name, raw, $"outside {min} to {max}; using {Math.Clamp(value, min, max)}");
            }

            return (int)Math.Clamp(value, min, max);
        }

        Diag.InvalidSetting(name, raw, $"expected an integer; using {defaultValue}");
        return defaultValue;
    }

    public static double? Rate(IEnvironmentSource environment, string name)
    {
        var raw = environment.Get(name);
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        if (double.TryParse(raw.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && value <= 1)
        {
            return value;
        }

        Diag.InvalidSetting(name, raw, "expected a rate from 0.0 to 1.0; ignored");
        return null;
    }

    public static string? Text(IEnvironmentSource environment, string name)
    {
        var raw = environment.Get(name);
        return string.IsNullOrWhiteSpace(raw) ? null : raw.Trim();
    }

    /// <summary>
    /// Parses DD_SERVICE_MAPPING as Datadog's code does: <c>key:value</c> pairs separated by commas; an entry needs exactly
    /// two non-empty parts that differ, otherwise it is ignored.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ServiceMapping(string? raw)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(raw))
        {
            return result;
        }

        foreach (var entry in raw.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = entry.Split(':');
            if (parts.Length != 2)
            {
                Diag.InvalidSetting(EnvironmentVariables.DdServiceMapping, entry, "expected key:value");
                continue;
            }

            var key = parts[0].Trim();
            var value = parts[1].Trim();
            if (key.Length == 0 || value.Length == 0 || key == value)
            {
                Diag.InvalidSetting(EnvironmentVariables.DdServiceMapping, entry, "key and value must be non-empty and different");
                continue;
            }

            result[key] = value;
        }

        return result;
    }
}
