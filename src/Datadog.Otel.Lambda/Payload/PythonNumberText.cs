// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;

namespace Datadog.Otel.Lambda.Payload;

/// <summary>
/// A JSON number held in a string, written as Datadog's Python library writes it: it parses the string
/// (<c>ujson.loads</c>) and tags <c>str()</c> of the result, so <c>"1.50"</c> becomes <c>1.5</c> and <c>"1e3"</c>
/// becomes <c>1000.0</c>.
/// </summary>
internal static class PythonNumberText
{
    /// <summary>
    /// <paramref name="number"/> (a valid JSON number, see <see cref="JsonTextShapes.IsJsonNumber"/>) as Python's
    /// <c>str()</c> writes the value it parses to; <paramref name="source"/> is returned when that is the same text.
    /// </summary>
    public static string Format(ReadOnlySpan<char> number, string source)
    {
        if (JsonTextShapes.IsJsonInteger(number))
        {
            // An int, exact at any size; JSON forbids leading zeros, so only the sign of zero changes.
            if (number.SequenceEqual("-0"))
            {
                return "0";
            }

            return number.Length == source.Length ? source : number.ToString();
        }

        // Out of range is infinity (or zero), as Python's float() has it.
        return FormatFloat(double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Python's <c>repr</c> of a float: the shortest digits that read back to the same value, in positional notation
    /// with at least one digit after the point while the decimal exponent is from -4 to 15, otherwise as
    /// <c>d.ddde±XX</c> with at least two exponent digits (<c>1e+16</c>, <c>1e-05</c>).
    /// </summary>
    public static string FormatFloat(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0.0" : "0.0";
        }

        // .NET's "R" is the shortest round-trip form too, only spelled differently ("1E+16", "1E-05", "1000").
        Span<char> shortest = stackalloc char[32];
        value.TryFormat(shortest, out var written, "R", CultureInfo.InvariantCulture);
        shortest = shortest[..written];

        Span<char> digits = stackalloc char[32];
        var count = 0;
        var pointAt = -1;
        var exponent = 0;
        var negative = shortest[0] == '-';
        for (var i = negative ? 1 : 0; i < shortest.Length; i++)
        {
            var c = shortest[i];
            if (c == '.')
            {
                pointAt = count;
            }
            else if (c is 'E' or 'e')
            {
                exponent = int.Parse(shortest[(i + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                break;
            }
            else
            {
                digits[count++] = c;
            }
        }

        if (pointAt < 0)
        {
            pointAt = count;
        }

        // The value is not zero, so a digit other than 0 remains on both sides.
        var first = 0;
        while (digits[first] == '0')
        {
            first++;
        }

        while (digits[count - 1] == '0')
        {
            count--;
        }

        ReadOnlySpan<char> significant = digits[first..count];
        var point = pointAt - first + exponent; // digits before the decimal point: value = 0.significant × 10^point

        Span<char> text = stackalloc char[48];
        var n = 0;
        if (negative)
        {
            text[n++] = '-';
        }

        if (point > -4 && point <= 16)
        {
            if (point <= 0)
            {
                text[n++] = '0';
                text[n++] = '.';
                n += Fill(text[n..], '0', -point);
                n += Copy(text[n..], significant);
            }
            else if (point >= significant.Length)
            {
                n += Copy(text[n..], significant);
                n += Fill(text[n..], '0', point - significant.Length);
                text[n++] = '.';
                text[n++] = '0';
            }
            else
            {
                n += Copy(text[n..], significant[..point]);
                text[n++] = '.';
                n += Copy(text[n..], significant[point..]);
            }
        }
        else
        {
            text[n++] = significant[0];
            if (significant.Length > 1)
            {
                text[n++] = '.';
                n += Copy(text[n..], significant[1..]);
            }

            var power = point - 1;
            text[n++] = 'e';
            text[n++] = power < 0 ? '-' : '+';
            power = Math.Abs(power);
            if (power < 10)
            {
                text[n++] = '0';
            }

            power.TryFormat(text[n..], out var powerLength, default, CultureInfo.InvariantCulture);
            n += powerLength;
        }

        return new string(text[..n]);
    }

    private static int Fill(Span<char> target, char c, int count)
    {
        target[..count].Fill(c);
        return count;
    }

    private static int Copy(Span<char> target, ReadOnlySpan<char> source)
    {
        source.CopyTo(target);
        return source.Length;
    }
}
