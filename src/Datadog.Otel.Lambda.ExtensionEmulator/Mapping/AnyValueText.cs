// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using Datadog.Otel.Lambda.ExtensionEmulator.Otlp.Model;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Mapping;

/// <summary>
/// The text the extension makes of an attribute value (<c>otel_value_to_string</c>): strings as they are,
/// booleans as <c>true</c>/<c>false</c>, integers in decimal, doubles as Rust prints them, bytes as lower-case
/// hex, arrays as a JSON array of the items' text and key/value lists as a JSON object of the entries' text.
/// Items or entries without a value are left out.
/// </summary>
internal static class AnyValueText
{
    /// <summary>Returns the text of a value, or null when the value is absent (the extension then skips the attribute).</summary>
    public static string? ToText(OtlpAnyValue? value)
    {
        if (value is null)
        {
            return null;
        }

        return value.Kind switch
        {
            OtlpAnyValueKind.String => value.StringValue,
            OtlpAnyValueKind.Bool => value.BoolValue ? "true" : "false",
            OtlpAnyValueKind.Int => value.IntValue.ToString(CultureInfo.InvariantCulture),
            OtlpAnyValueKind.Double => RustTextFormat.FormatDouble(value.DoubleValue),
            OtlpAnyValueKind.Bytes => Convert.ToHexString(value.BytesValue).ToLowerInvariant(),
            OtlpAnyValueKind.Array => RustTextFormat.JsonStringArray(value.ArrayValues.Select(ToText).OfType<string>()),
            OtlpAnyValueKind.KeyValueList => RustTextFormat.JsonStringObject(KeyValueListEntries(value.KeyValues)),
            _ => null,
        };
    }

    /// <summary>
    /// The entries of a key/value list as the extension collects them into a map: entries without a value are
    /// dropped and a repeated key keeps its last value.
    /// </summary>
    private static Dictionary<string, string> KeyValueListEntries(IReadOnlyList<OtlpKeyValue> values)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in values)
        {
            if (ToText(entry.Value) is { } text)
            {
                map[entry.Key] = text;
            }
        }

        return map;
    }
}
