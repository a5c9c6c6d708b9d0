// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;

namespace Datadog.Otel.Lambda.Payload;

/// <summary>Text helpers for the payload taggers: truncation and expansion of JSON held in strings.</summary>
internal static class PayloadText
{
    private static readonly JsonDocumentOptions NestedOptions = new() { MaxDepth = PayloadTagValues.MaxNestedJsonDepth };

    /// <summary>
    /// The first <see cref="PayloadTagValues.MaxValueLength"/> code points, as Python's <c>str</c> slicing cuts: a
    /// surrogate pair counts once and is never split (an unpaired surrogate counts once too). A string of at most that
    /// many UTF-16 units is returned as it is, uncounted.
    /// </summary>
    public static string Truncate(string value)
    {
        const int max = PayloadTagValues.MaxValueLength;
        if (value.Length <= max)
        {
            return value;
        }

        var end = 0;
        for (var points = 0; points < max && end < value.Length; points++)
        {
            end += char.IsHighSurrogate(value[end]) && end + 1 < value.Length && char.IsLowSurrogate(value[end + 1]) ? 2 : 1;
        }

        return end == value.Length ? value : value[..end];
    }

    /// <summary>
    /// Whether the text starts (after JSON whitespace) like a JSON object or array: the strings the AWS SDK payload
    /// tagging expands and the redaction reads as JSON. A first-character test spares a parse and an exception per
    /// plain string.
    /// </summary>
    public static bool LooksLikeContainer(string value)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case ' ' or '\t' or '\n' or '\r':
                    continue;
                case '{' or '[':
                    return true;
                default:
                    return false;
            }
        }

        return false;
    }

    /// <summary>
    /// Parses a JSON object or array held in a string, charging its length to <paramref name="budget"/>. False (and
    /// no document) when the budget is spent, the text is not JSON, or it nests deeper than
    /// <see cref="PayloadTagValues.MaxNestedJsonDepth"/>: the caller then treats it as text.
    /// </summary>
    public static bool TryParseContainer(string value, ref int budget, out bool overBudget, out JsonDocument? document)
    {
        if (!TryParse(value, ref budget, out overBudget, out document))
        {
            return false;
        }

        var kind = document!.RootElement.ValueKind;
        if (kind is JsonValueKind.Object or JsonValueKind.Array)
        {
            return true;
        }

        document.Dispose();
        document = null;
        return false;
    }

    /// <summary>
    /// Parses the JSON value held in a string, whatever its kind, charging its length to <paramref name="budget"/>.
    /// False (and no document) when the budget is spent, the text is not JSON, or it nests deeper than
    /// <see cref="PayloadTagValues.MaxNestedJsonDepth"/>.
    /// </summary>
    public static bool TryParse(string value, ref int budget, out bool overBudget, out JsonDocument? document)
    {
        document = null;
        overBudget = value.Length > budget;
        if (overBudget)
        {
            return false;
        }

        budget -= value.Length;
        try
        {
            document = Internal.SafeJson.Parse(value, NestedOptions);
        }
        catch (JsonException)
        {
            return false;
        }

        return true;
    }

    /// <summary>Charges <paramref name="value"/>'s length to <paramref name="budget"/>, unless it is more than what is left.</summary>
    public static bool TryCharge(string value, ref int budget)
    {
        if (value.Length > budget)
        {
            return false;
        }

        budget -= value.Length;
        return true;
    }
}
