// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Datadog.Otel.Lambda.IntegrationTests.HostileInput;

/// <summary>
/// Generators of hostile input. Fragments are raw UTF-8 JSON text that may not be valid JSON or valid UTF-8: deep
/// nesting, huge strings, invalid UTF-8 and escaped lone surrogates, numbers out of every range, duplicate keys, broken
/// base64. Header values are near misses of every trace header format (the inputs that reach the deepest code).
/// </summary>
internal static class Hostile
{
    public static readonly string[] TraceHeaderNames =
    [
        "x-datadog-trace-id", "x-datadog-parent-id", "x-datadog-sampling-priority", "x-datadog-origin", "x-datadog-tags",
        "traceparent", "tracestate", "b3", "x-b3-traceid", "x-b3-spanid", "x-b3-sampled", "x-b3-flags", "x-b3-parentspanid",
        "x-amzn-trace-id", "baggage",
    ];

    /// <summary>Numbers as JSON text: zero, negative zero, past double, past 64 bits, fractions where integers go, exponents.</summary>
    public static readonly Gen<string> NumberText = Gen.OneOf(
        Gen.Elements(
            "0", "-0", "1", "-1", "0.5", "1e400", "-1e400", "1e-400", "1.7976931348623157e309", "9223372036854775807",
            "9223372036854775808", "18446744073709551615", "18446744073709551616", "-9223372036854775809",
            "123456789012345678901234567890123456789", "1e15", "1e18", "4.9e-324", "1E+2", "-0.0e0", "1795600800000",
            "1795600799.428", "1663295021827521000", "99999999999999999999"),
        Gen.Choose(-1000, 1000).Select(i => i.ToString(CultureInfo.InvariantCulture)),
        Gen.Choose(1, 400).Select(n => new string('9', n)));

    /// <summary>Hexadecimal of the lengths trace ids come in, and their neighbours, in either case.</summary>
    public static readonly Gen<string> Hex = Gen.Elements(0, 1, 8, 15, 16, 17, 24, 31, 32, 33, 64)
        .SelectMany(length => Gen.ArrayOf(Gen.Elements("0123456789abcdefABCDEF".ToCharArray()), length))
        .Select(chars => new string(chars));

    /// <summary>Decimal ids and near misses.</summary>
    public static readonly Gen<string> DecimalId = Gen.OneOf(
        NumberText,
        Gen.Choose(0, int.MaxValue).Select(i => i.ToString(CultureInfo.InvariantCulture)),
        Gen.Elements("", " 42 ", "+5", "0x1F", "abc", "1,000", "٣٤", "１２３", "1.0", "NaN", "-", "\t"));

    /// <summary>Short text from an alphabet rich in separators and non-ASCII.</summary>
    public static readonly Gen<string> Text = Gen.Choose(0, 40)
        .SelectMany(length => Gen.ArrayOf(Gen.Elements("abcxyzXYZ0129-_=;:,. /\\\"'{}[]\t\u00e9\u4e2d\u0000\u007f\u2028%+*".ToCharArray()), length))
        .Select(chars => new string(chars));

    public static readonly Gen<string> TraceParent =
        Zip(Gen.Elements("00", "01", "ff", "zz", "0", "000"), Hex, Hex, Gen.Elements("00", "01", "03", "ff", "1", "0g"))
            .SelectMany(t => Gen.Elements(
                $"{t.Item1}-{t.Item2}-{t.Item3}-{t.Item4}",
                $"{t.Item1}-{t.Item2}-{t.Item3}-{t.Item4}-extra",
                $"{t.Item1}-{t.Item2}-{t.Item3}",
                $" {t.Item1}-{t.Item2}-{t.Item3}-{t.Item4} ",
                $"{t.Item1}--{t.Item3}-{t.Item4}"));

    public static readonly Gen<string> TraceState = Zip(Gen.Choose(0, 40), Hex, Text).Select(t =>
    {
        var members = new StringBuilder("dd=s:").Append(t.Item1 % 5 - 2).Append(";o:").Append(t.Item3.Replace(",", "", StringComparison.Ordinal))
            .Append(";t.dm:-4;t.tid:").Append(t.Item2).Append(";p:").Append(t.Item2);
        for (var i = 0; i < t.Item1; i++)
        {
            members.Append(",v").Append(i).Append('=').Append(t.Item3);
        }

        return members.ToString();
    });

    public static readonly Gen<string> DatadogTags = Zip(Gen.Choose(0, 60), Hex, Text).Select(t =>
    {
        var tags = new StringBuilder("_dd.p.dm=-4,_dd.p.tid=").Append(t.Item2);
        for (var i = 0; i < t.Item1; i++)
        {
            tags.Append(",_dd.p.k").Append(i).Append('=').Append(t.Item3);
        }

        return tags.ToString();
    });

    public static readonly Gen<string> B3 = Zip(Hex, Hex, Gen.Elements("0", "1", "d", "x", ""), Hex)
        .SelectMany(t => Gen.Elements($"{t.Item1}-{t.Item2}", $"{t.Item1}-{t.Item2}-{t.Item3}", $"{t.Item1}-{t.Item2}-{t.Item3}-{t.Item4}", t.Item3, $"{t.Item1}--"));

    /// <summary>X-Ray headers: the fields in any order and case, missing, repeated, with spaces and bad values.</summary>
    public static readonly Gen<string> XRay = Zip(Hex, Hex, Hex, Gen.Elements("0", "1", "?", "x", "", "10"))
        .SelectMany(t => Gen.Shuffle(new[]
        {
            $"Root=1-{Pad(t.Item1, 8)}-{Pad(t.Item2, 24)}",
            $"Parent={Pad(t.Item3, 16)}",
            $"Sampled={t.Item4}",
            $"Lineage=a87bd80c:1|68fd508a:5",
            $"root=1-{t.Item1}-{t.Item2}",
            $" Self=1-{t.Item2} ",
            $"Root=1-00000000-00000000{Pad(t.Item3, 16)}",
            "Parent=",
            "=",
            ";;",
        }).SelectMany(fields => Gen.Choose(0, fields.Length).Select(n => string.Join(';', fields.Take(n)))));

    public static readonly Gen<string> Baggage = Zip(Gen.Choose(0, 100), Text).Select(t =>
        string.Join(',', Enumerable.Range(0, t.Item1).Select(i => $"k{i}={Uri.EscapeDataString(t.Item2)};p=1")) + (t.Item1 % 7 == 0 ? ",%zz=%,=," : string.Empty));

    /// <summary>A value for a named trace header: mostly near misses of its own format, sometimes of another's.</summary>
    public static Gen<string> HeaderValue(string name) => Gen.Frequency(
        (6, name switch
        {
            "x-datadog-trace-id" or "x-datadog-parent-id" or "x-datadog-sampling-priority" => DecimalId,
            "x-datadog-tags" => DatadogTags,
            "traceparent" => TraceParent,
            "tracestate" => TraceState,
            "b3" => B3,
            "x-b3-traceid" or "x-b3-spanid" or "x-b3-parentspanid" => Hex,
            "x-amzn-trace-id" => XRay,
            "baggage" => Baggage,
            _ => Text,
        }),
        (1, Gen.OneOf(Text, DecimalId, Hex, TraceParent, XRay)),
        (1, Gen.Choose(1, 9000).Select(n => new string('7', n))));

    /// <summary>A header name: a trace header in random case, or any text.</summary>
    public static readonly Gen<string> HeaderName = Gen.Frequency(
        (8, Zip(Gen.Elements(TraceHeaderNames), Gen.Choose(0, 3)).Select(t => t.Item2 switch
        {
            0 => t.Item1,
            1 => t.Item1.ToUpperInvariant(),
            2 => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(t.Item1),
            _ => " " + t.Item1,
        })),
        (1, Text));

    /// <summary>0 to 16 headers as name/value pairs (a name may repeat, as duplicate JSON keys).</summary>
    public static readonly Gen<(string Name, string Value)[]> HeaderPairs = Gen.Choose(0, 16)
        .SelectMany(count => Gen.ArrayOf(HeaderName.SelectMany(name => HeaderValue(name.Trim().ToLowerInvariant()).Select(value => (name, value))), count));

    /// <summary>Raw JSON fragments: any kind of value, valid or not.</summary>
    public static readonly Gen<byte[]> Fragment = Gen.Frequency(
        (4, NumberText.Select(Utf8)),
        (4, Text.Select(Quote)),
        (2, Gen.Elements("true", "false", "null", "{}", "[]", "[null]", "{\"\":\"\"}").Select(Utf8)),
        (2, BadStrings()),
        (2, Gen.Elements("{", "]", "\"open", ",", "", "nul", "{\"a\":}", "[1,]", "\"\\u12\"", "01", "+1", "NaN", "Infinity").Select(Utf8)),
        (1, Deep()),
        (1, Gen.Choose(1, 400).Select(n => Utf8("[" + string.Join(',', Enumerable.Range(0, n).Select(i => "\"x" + i + "\"")) + "]"))),
        (1, HeaderPairs.Select(HeaderObject)),
        (1, HeaderPairs.Select(pairs => Quote(Encoding.UTF8.GetString(HeaderObject(pairs))))),
        (1, Base64()),
        (1, Gen.Constant(0).Select(_ => Huge())));

    /// <summary>Base64 in every state: of header JSON, of non-JSON, of deep JSON, truncated, with bad characters.</summary>
    public static Gen<byte[]> Base64() => Gen.OneOf(
        HeaderPairs.Select(pairs => Quote(Convert.ToBase64String(HeaderObject(pairs)))),
        HeaderPairs.Select(pairs => Quote(Convert.ToBase64String(HeaderObject(pairs))[..^3])),
        Text.Select(text => Quote(Convert.ToBase64String(Encoding.UTF8.GetBytes(text)))),
        Deep().Select(deep => Quote(Convert.ToBase64String(deep))),
        Gen.Elements("!!!!", "====", "a", "ab=", "YQ", "Zm9v\nYmFy", "\u00e9\u00e9\u00e9\u00e9", "eyJ4LWRhdGFkb2ctdHJhY2UtaWQiOiAi").Select(Quote),
        Gen.Constant(0).Select(_ => Quote(new string('A', 1_500_000))));

    /// <summary>Strings no UTF-16 string can hold: invalid UTF-8 bytes, lone surrogates as escapes, overlong encodings.</summary>
    public static Gen<byte[]> BadStrings() => Zip(Text, Gen.Elements<byte[]>(
            [0xFF], [0xC3], [0x80], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82],
            Utf8("\\ud800"), Utf8("\\udc00x"), Utf8("\\ud83d"), Utf8("\\ud83d\\ude00"), Utf8("\\u0000")))
        .Select(t => Concat(Utf8("\"" + Escape(t.Item1)), t.Item2, Utf8("\"")));

    /// <summary>Nesting around and past every depth limit (payload depth 10 and 64, the event parser's 256).</summary>
    public static Gen<byte[]> Deep() => Zip(Gen.Elements(9, 10, 11, 63, 64, 65, 255, 256, 257, 1000, 5000), Gen.Elements('[', '{'), Gen.Elements(true, false))
        .Select(t => Nest(t.Item1, t.Item2, t.Item3));

    public static byte[] Nest(int depth, char kind, bool closed)
    {
        var open = kind == '[' ? "[" : "{\"password\":";
        var close = kind == '[' ? "]" : "}";
        var text = new StringBuilder(depth * 14);
        for (var i = 0; i < depth; i++)
        {
            text.Append(open);
        }

        text.Append("\"deep\"");
        if (closed)
        {
            for (var i = 0; i < depth; i++)
            {
                text.Append(close);
            }
        }

        return Utf8(text.ToString());
    }

    /// <summary>A huge string (1 to 2 MB): shared, since only its size matters.</summary>
    public static byte[] Huge() => HugeString.Value;

    public static byte[] HeaderObject((string Name, string Value)[] pairs)
    {
        var text = new StringBuilder("{");
        for (var i = 0; i < pairs.Length; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append('"').Append(Escape(pairs[i].Name)).Append("\":\"").Append(Escape(pairs[i].Value)).Append('"');
        }

        return Utf8(text.Append('}').ToString());
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static byte[] Quote(string text) => Utf8("\"" + Escape(text) + "\"");

    public static string Escape(string text) => System.Text.Json.JsonEncodedText.Encode(text, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    private static Gen<(T1, T2)> Zip<T1, T2>(Gen<T1> a, Gen<T2> b) =>
        a.SelectMany(x => b.Select(y => (x, y)));

    private static Gen<(T1, T2, T3)> Zip<T1, T2, T3>(Gen<T1> a, Gen<T2> b, Gen<T3> c) =>
        a.SelectMany(x => b.SelectMany(y => c.Select(z => (x, y, z))));

    private static Gen<(T1, T2, T3, T4)> Zip<T1, T2, T3, T4>(Gen<T1> a, Gen<T2> b, Gen<T3> c, Gen<T4> d) =>
        a.SelectMany(x => b.SelectMany(y => c.SelectMany(z => d.Select(w => (x, y, z, w)))));

    private static string Pad(string hex, int length) => hex.Length >= length ? hex[..length] : hex.PadLeft(length, '0');

    private static readonly Lazy<byte[]> HugeString = new(() => Quote(new string('h', 1_600_000)));
}
