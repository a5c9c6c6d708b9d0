// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Propagation;

/// <summary>The whitespace Python's <c>str.strip()</c> removes, for headers dd-trace-py reads with it.</summary>
internal static class PythonWhitespace
{
    /// <summary>Python's <c>str.isspace()</c>: .NET's white space and the information separators 0x1C–0x1F.</summary>
    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || (c >= '\x1c' && c <= '\x1f');

    public static ReadOnlySpan<char> Strip(ReadOnlySpan<char> text)
    {
        var first = 0;
        while (first < text.Length && IsSpace(text[first]))
        {
            first++;
        }

        var last = text.Length;
        while (last > first && IsSpace(text[last - 1]))
        {
            last--;
        }

        return text[first..last];
    }

    /// <summary>
    /// <see cref="Strip(ReadOnlySpan{char})"/> over UTF-8 text, for its ASCII whitespace only (\t \n \v \f \r, the
    /// separators 0x1C–0x1F and space): the bytes of other white space are not told apart here.
    /// </summary>
    public static ReadOnlySpan<byte> StripAscii(ReadOnlySpan<byte> text)
    {
        var first = 0;
        while (first < text.Length && text[first] < 0x80 && IsSpace((char)text[first]))
        {
            first++;
        }

        var last = text.Length;
        while (last > first && text[last - 1] < 0x80 && IsSpace((char)text[last - 1]))
        {
            last--;
        }

        return text[first..last];
    }
}
