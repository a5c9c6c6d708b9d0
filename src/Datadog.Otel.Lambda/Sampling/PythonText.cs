// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using System.Numerics;

namespace Datadog.Otel.Lambda.Sampling;

/// <summary>
/// Numbers as Datadog's Python tracer reads and writes them in sampling rules: <c>float(text)</c> for a rule's
/// <c>sample_rate</c>, <c>str(number)</c> for a tag pattern given as a JSON number and for a span's numeric tag.
/// </summary>
internal static class PythonText
{
    /// <summary>Python's <c>float(text)</c>: surrounding whitespace, a sign, <c>inf</c>/<c>infinity</c>/<c>nan</c> in any case, or a decimal literal with single underscores between digits.</summary>
    public static bool TryParseFloat(string text, out double value)
    {
        value = 0;
        var s = text.AsSpan().Trim();
        var body = s.Length > 0 && (s[0] == '+' || s[0] == '-') ? s[1..] : s;
        var negative = s.Length > 0 && s[0] == '-';
        if (body.Equals("inf", StringComparison.OrdinalIgnoreCase) || body.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        if (body.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            value = double.NaN;
            return true;
        }

        if (!IsDecimalLiteral(body))
        {
            return false;
        }

        var plain = s.Contains('_') ? s.ToString().Replace("_", string.Empty, StringComparison.Ordinal) : s.ToString();
        return double.TryParse(plain, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Python's <c>str(float)</c> (its shortest round-trip <c>repr</c>): <c>1.0</c>, <c>0.5</c>, <c>1e-05</c>, <c>1e+16</c>, <c>inf</c>, <c>nan</c>.</summary>
    public static string FormatFloat(double value) => Payload.PythonNumberText.FormatFloat(value);

    /// <summary>Python's <c>str(int(value))</c> for a float without a fractional part, exactly (a large double is a long run of digits).</summary>
    public static string FormatIntegralFloat(double value) =>
        Math.Abs(value) < 9.2e18
            ? ((long)value).ToString(CultureInfo.InvariantCulture)
            : new BigInteger(value).ToString(CultureInfo.InvariantCulture);

    private static bool IsDecimalLiteral(ReadOnlySpan<char> s)
    {
        var i = 0;
        var mantissaDigits = Digits(s, ref i);
        if (mantissaDigits < 0)
        {
            return false;
        }

        if (i < s.Length && s[i] == '.')
        {
            i++;
            var fraction = Digits(s, ref i);
            if (fraction < 0)
            {
                return false;
            }

            mantissaDigits += fraction;
        }

        if (mantissaDigits == 0)
        {
            return false;
        }

        if (i < s.Length && (s[i] == 'e' || s[i] == 'E'))
        {
            i++;
            if (i < s.Length && (s[i] == '+' || s[i] == '-'))
            {
                i++;
            }

            if (Digits(s, ref i) <= 0)
            {
                return false;
            }
        }

        return i == s.Length;
    }

    /// <summary>Reads digits with single underscores between them; the number of digits, or −1 for a misplaced underscore.</summary>
    private static int Digits(ReadOnlySpan<char> s, ref int i)
    {
        var count = 0;
        while (i < s.Length)
        {
            if (char.IsAsciiDigit(s[i]))
            {
                count++;
                i++;
            }
            else if (s[i] == '_')
            {
                if (count == 0 || i + 1 >= s.Length || !char.IsAsciiDigit(s[i + 1]))
                {
                    return -1;
                }

                i++;
            }
            else
            {
                break;
            }
        }

        return count;
    }
}
