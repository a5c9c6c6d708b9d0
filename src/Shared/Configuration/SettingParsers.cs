// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using Datadog.Otel.Lambda.Diagnostics;

namespace Datadog.Otel.Lambda;

/// <summary>Parses environment values the way Datadog's libraries do; an invalid value falls back to the default with a diagnostic.</summary>
internal static class SettingParsers
{
    public static bool Bool(IEnvironmentSource environment, string name, bool defaultValue)
    {
        var raw = environment.Get(name);
        if (string.IsNullOrWhiteSpace(raw))
        {
            return defaultValue;
        }

        var value = raw.Trim();
        if (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1" || value.Equals("yes", StringComparison.OrdinalIgnoreCase) || value.Equals("on", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (value.Equals("false", StringComparison.OrdinalIgnoreCase) || value == "0" || value.Equals("no", StringComparison.OrdinalIgnoreCase) || value.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        Diag.InvalidSetting(name, raw, $"expected true or false; using {(defaultValue ? "true" : "false")}");
        return defaultValue;
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
