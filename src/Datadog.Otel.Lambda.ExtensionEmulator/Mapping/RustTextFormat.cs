// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using System.Text;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Mapping;

/// <summary>
/// Text the extension produces with Rust's formatting: <c>f64</c> display and <c>serde_json</c> output.
/// Matching it byte for byte keeps the emulated meta values identical to what Datadog receives.
/// </summary>
internal static class RustTextFormat
{
    /// <summary>
    /// Formats a double as Rust's <c>Display</c> does: the shortest text that round-trips, never in
    /// exponent notation, no trailing <c>.0</c> (<c>3.0</c> → <c>3</c>, <c>1e21</c> → <c>1000000000000000000000</c>),
    /// and <c>NaN</c>, <c>inf</c>, <c>-inf</c>.
    /// </summary>
    public static string FormatDouble(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        var roundTrip = value.ToString("R", CultureInfo.InvariantCulture);
        var exponentAt = roundTrip.IndexOf('E', StringComparison.Ordinal);
        if (exponentAt < 0)
        {
            return roundTrip;
        }

        var negative = roundTrip[0] == '-';
        var mantissa = roundTrip[(negative ? 1 : 0)..exponentAt];
        var exponent = int.Parse(roundTrip[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = mantissa.Replace(".", string.Empty, StringComparison.Ordinal);
        var integerDigits = (dot < 0 ? mantissa.Length : dot) + exponent;

        string plain;
        if (integerDigits <= 0)
        {
            plain = "0." + new string('0', -integerDigits) + digits;
        }
        else if (integerDigits >= digits.Length)
        {
            plain = digits + new string('0', integerDigits - digits.Length);
        }
        else
        {
            plain = digits[..integerDigits] + "." + digits[integerDigits..];
        }

        return negative ? "-" + plain : plain;
    }

    /// <summary>Appends a JSON string literal escaped the way <c>serde_json</c> escapes it.</summary>
    public static void AppendJsonString(StringBuilder builder, string value)
    {
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\b':
                    builder.Append("\\b");
                    break;
                case '\f':
                    builder.Append("\\f");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case < ' ':
                    builder.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        builder.Append('"');
    }

    /// <summary>Serialises an array of strings as compact JSON (<c>["a","b"]</c>).</summary>
    public static string JsonStringArray(IEnumerable<string> values)
    {
        var builder = new StringBuilder("[");
        var first = true;
        foreach (var value in values)
        {
            if (!first)
            {
                builder.Append(',');
            }

            AppendJsonString(builder, value);
            first = false;
        }

        return builder.Append(']').ToString();
    }

    /// <summary>
    /// Serialises a string map as compact JSON, keys in ordinal order: the extension serialises a key/value list value
    /// from a Rust <c>HashMap</c>, whose order is unspecified, and sorting keeps the emulator deterministic.
    /// </summary>
    public static string JsonStringObject(IEnumerable<KeyValuePair<string, string>> entries)
    {
        var builder = new StringBuilder();
        AppendJsonStringObject(builder, entries);
        return builder.ToString();
    }

    /// <summary>
    /// Appends <paramref name="entries"/> as a JSON object of strings: sorted by key (a Rust <c>HashMap</c>'s order is
    /// unspecified; sorting keeps the emulator deterministic), or in the given order when the extension builds the
    /// object key by key (<paramref name="sorted"/> false).
    /// </summary>
    public static void AppendJsonStringObject(StringBuilder builder, IEnumerable<KeyValuePair<string, string>> entries, bool sorted = true)
    {
        builder.Append('{');
        var first = true;
        foreach (var entry in sorted ? entries.OrderBy(e => e.Key, StringComparer.Ordinal) : entries)
        {
            if (!first)
            {
                builder.Append(',');
            }

            AppendJsonString(builder, entry.Key);
            builder.Append(':');
            AppendJsonString(builder, entry.Value);
            first = false;
        }

        builder.Append('}');
    }
}
