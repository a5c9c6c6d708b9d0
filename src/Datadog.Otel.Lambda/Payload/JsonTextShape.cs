// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Payload;

/// <summary>What a string value holds, as far as payload capture expands it (spec 8.1: every string is tried as JSON).</summary>
internal enum JsonTextShape
{
    /// <summary>Not JSON text: tagged as the string it is.</summary>
    Text,

    /// <summary>Starts like a JSON object, array or string literal: parsed to find out.</summary>
    Document,

    /// <summary>A complete JSON number.</summary>
    Number,

    /// <summary>Exactly <c>true</c>.</summary>
    True,

    /// <summary>Exactly <c>false</c>.</summary>
    False,

    /// <summary>Exactly <c>null</c>.</summary>
    Null,
}

/// <summary>Tells which <see cref="JsonTextShape"/> a string has without allocating or parsing anything but a scalar.</summary>
internal static class JsonTextShapes
{
    /// <summary>
    /// The shape of <paramref name="value"/>, with JSON whitespace (space, tab, CR, LF) around it ignored as a JSON
    /// parser ignores it; <paramref name="scalar"/> is the text without that whitespace. Most strings are decided by
    /// their first character, so plain text costs one comparison.
    /// </summary>
    public static JsonTextShape Of(string value, out ReadOnlySpan<char> scalar)
    {
        scalar = value.AsSpan().Trim(" \t\r\n");
        if (scalar.IsEmpty)
        {
            return JsonTextShape.Text;
        }

        return scalar[0] switch
        {
            '{' or '[' or '"' => JsonTextShape.Document,
            '-' or (>= '0' and <= '9') => IsJsonNumber(scalar) ? JsonTextShape.Number : JsonTextShape.Text,
            't' => scalar.SequenceEqual("true") ? JsonTextShape.True : JsonTextShape.Text,
            'f' => scalar.SequenceEqual("false") ? JsonTextShape.False : JsonTextShape.Text,
            'n' => scalar.SequenceEqual("null") ? JsonTextShape.Null : JsonTextShape.Text,
            _ => JsonTextShape.Text,
        };
    }

    /// <summary>Whether <paramref name="text"/> is exactly JSON's <c>-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?</c>.</summary>
    public static bool IsJsonNumber(ReadOnlySpan<char> text)
    {
        var i = 0;
        if (text[i] == '-' && ++i == text.Length)
        {
            return false;
        }

        if (text[i] == '0')
        {
            i++;
        }
        else if (!Digits(text, ref i))
        {
            return false;
        }

        if (i < text.Length && text[i] == '.')
        {
            i++;
            if (!Digits(text, ref i))
            {
                return false;
            }
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '+' or '-')
            {
                i++;
            }

            if (!Digits(text, ref i))
            {
                return false;
            }
        }

        return i == text.Length;
    }

    /// <summary>Whether a JSON number's text has a fraction or an exponent (Python reads those as floats).</summary>
    public static bool IsJsonInteger(ReadOnlySpan<char> number) => number.IndexOfAny('.', 'e', 'E') < 0;

    private static bool Digits(ReadOnlySpan<char> text, ref int i)
    {
        var start = i;
        while (i < text.Length && text[i] is >= '0' and <= '9')
        {
            i++;
        }

        return i > start;
    }
}
