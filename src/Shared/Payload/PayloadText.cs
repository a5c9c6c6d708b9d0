// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;

namespace Datadog.Otel.Lambda.Payload;

/// <summary>Text helpers for the payload taggers: truncation and expansion of JSON held in strings.</summary>
internal static class PayloadText
{
    private static readonly JsonDocumentOptions NestedOptions = new() { MaxDepth = PayloadTagValues.MaxNestedJsonDepth };

    /// <summary>
    /// The first <see cref="PayloadTagValues.MaxValueLength"/> characters; one fewer when the cut would split a
    /// surrogate pair (the libraries cut UTF-16 anywhere, which leaves an invalid string that exporters mangle).
    /// </summary>
    public static string Truncate(string value)
    {
        const int max = PayloadTagValues.MaxValueLength;
        if (value.Length <= max)
        {
            return value;
        }

        var length = char.IsHighSurrogate(value[max - 1]) ? max - 1 : max;
        return value[..length];
    }

    /// <summary>
    /// Whether the text starts (after JSON whitespace) like a JSON object or array. Only those are expanded: a JSON
    /// scalar in a string (<c>"123"</c>, <c>"true"</c>, <c>"null"</c>) stays the text it is, which keeps its exact
    /// spelling and spares a parse and an exception per plain string.
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

        var kind = document.RootElement.ValueKind;
        if (kind is JsonValueKind.Object or JsonValueKind.Array)
        {
            return true;
        }

        document.Dispose();
        document = null;
        return false;
    }
}
