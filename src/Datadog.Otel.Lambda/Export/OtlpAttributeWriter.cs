// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using System.Text;

namespace Datadog.Otel.Lambda.Export;

/// <summary>
/// Writes attributes as OTLP <c>KeyValue</c> messages, each value as the <c>AnyValue</c> OpenTelemetry .NET's OTLP
/// exporter gives it: strings, booleans, integers (every integral type up to <see cref="uint"/>), doubles (and
/// floats), byte arrays as bytes, other arrays item by item, key/value sequences as key/value lists (three levels deep,
/// then as text), a null value as an empty <c>AnyValue</c>, and anything else (<see cref="ulong"/> and
/// <see cref="decimal"/> included) as its invariant text. String values are cut at the value length limit, never in
/// the middle of a surrogate pair.
/// </summary>
internal static class OtlpAttributeWriter
{
    // Field numbers from opentelemetry/proto/common/v1/common.proto.
    private const int KeyValueKey = 1;
    private const int KeyValueValue = 2;
    private const int AnyValueString = 1;
    private const int AnyValueBool = 2;
    private const int AnyValueInt = 3;
    private const int AnyValueDouble = 4;
    private const int AnyValueArray = 5;
    private const int AnyValueKeyValueList = 6;
    private const int AnyValueBytes = 7;
    private const int ArrayValues = 1;
    private const int KeyValueListValues = 1;

    private const int MaxDepth = 3;

    /// <summary>Writes one attribute as a <c>KeyValue</c> under <paramref name="fieldNumber"/>.</summary>
    public static void WriteKeyValue(ProtobufWriter writer, int fieldNumber, string key, object? value, int maxValueChars) =>
        WriteKeyValue(writer, fieldNumber, key, value, maxValueChars, depth: 0);

    private static void WriteKeyValue(ProtobufWriter writer, int fieldNumber, string key, object? value, int maxValueChars, int depth)
    {
        var keyValue = writer.BeginCompactMessage(fieldNumber);
        writer.WriteStringField(KeyValueKey, key);
        WriteValue(writer, KeyValueValue, value, maxValueChars, depth);
        writer.EndCompactMessage(keyValue);
    }

    /// <summary>Writes <paramref name="value"/> as an <c>AnyValue</c> message under <paramref name="fieldNumber"/>.</summary>
    private static void WriteValue(ProtobufWriter writer, int fieldNumber, object? value, int maxChars, int depth)
    {
        if (TryWriteScalar(writer, fieldNumber, value, maxChars))
        {
            return;
        }

        switch (value)
        {
            case IEnumerable<KeyValuePair<string, object?>> list when depth < MaxDepth:
                WriteKeyValueList(writer, fieldNumber, list, maxChars, depth);
                break;
            case Array array when array.GetType() == typeof(byte[]):
                var bytes = (byte[])array;
                writer.WriteLengthPrefix(fieldNumber, 1 + ProtobufWriter.VarintSize((uint)bytes.Length) + bytes.Length);
                writer.WriteBytesField(AnyValueBytes, bytes);
                break;
            case Array array:
                WriteArray(writer, fieldNumber, array, maxChars);
                break;
            default:
                WriteString(writer, fieldNumber, Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty, maxChars);
                break;
        }
    }

    /// <summary>
    /// Writes a null, string, boolean, integral or floating-point <paramref name="value"/> as an <c>AnyValue</c>, the
    /// same inside an array as outside one; false for any other type.
    /// </summary>
    private static bool TryWriteScalar(ProtobufWriter writer, int fieldNumber, object? value, int maxChars)
    {
        switch (value)
        {
            case null:
                writer.WriteLengthPrefix(fieldNumber, 0);
                return true;
            case string s:
                WriteString(writer, fieldNumber, s, maxChars);
                return true;
            case int i:
                WriteInt(writer, fieldNumber, i);
                return true;
            case long l:
                WriteInt(writer, fieldNumber, l);
                return true;
            case bool b:
                writer.WriteLengthPrefix(fieldNumber, 2);
                writer.WriteBoolField(AnyValueBool, b);
                return true;
            case double d:
                WriteDouble(writer, fieldNumber, d);
                return true;
            case char c:
                WriteString(writer, fieldNumber, [c], maxChars);
                return true;
            case byte by:
                WriteInt(writer, fieldNumber, by);
                return true;
            case sbyte sb:
                WriteInt(writer, fieldNumber, sb);
                return true;
            case short sh:
                WriteInt(writer, fieldNumber, sh);
                return true;
            case ushort us:
                WriteInt(writer, fieldNumber, us);
                return true;
            case uint ui:
                WriteInt(writer, fieldNumber, ui);
                return true;
            case float f:
                WriteDouble(writer, fieldNumber, f);
                return true;
            default:
                return false;
        }
    }

    private static void WriteString(ProtobufWriter writer, int fieldNumber, ReadOnlySpan<char> value, int maxChars)
    {
        if (value.Length > maxChars)
        {
            var cut = maxChars;
            if (cut > 0 && char.IsHighSurrogate(value[cut - 1]))
            {
                cut--;
            }

            value = value[..cut];
        }

        var byteCount = Encoding.UTF8.GetByteCount(value);
        writer.WriteLengthPrefix(fieldNumber, 1 + ProtobufWriter.VarintSize((uint)byteCount) + byteCount);
        writer.WriteStringFieldOfLength(AnyValueString, value, byteCount);
    }

    private static void WriteInt(ProtobufWriter writer, int fieldNumber, long value)
    {
        writer.WriteLengthPrefix(fieldNumber, 1 + ProtobufWriter.VarintSize((ulong)value));
        writer.WriteVarintField(AnyValueInt, (ulong)value);
    }

    private static void WriteDouble(ProtobufWriter writer, int fieldNumber, double value)
    {
        writer.WriteLengthPrefix(fieldNumber, 9);
        writer.WriteDoubleField(AnyValueDouble, value);
    }

    private static void WriteKeyValueList(ProtobufWriter writer, int fieldNumber, IEnumerable<KeyValuePair<string, object?>> list, int maxChars, int depth)
    {
        var anyValue = writer.BeginMessage(fieldNumber);
        var values = writer.BeginMessage(AnyValueKeyValueList);
        foreach (var pair in list)
        {
            WriteKeyValue(writer, KeyValueListValues, pair.Key, pair.Value, maxChars, depth + 1);
        }

        writer.EndMessage(values);
        writer.EndMessage(anyValue);
    }

    private static void WriteArray(ProtobufWriter writer, int fieldNumber, Array array, int maxChars)
    {
        var anyValue = writer.BeginMessage(fieldNumber);
        var values = writer.BeginMessage(AnyValueArray);

        // Arrays of integral types of one size convert to each other at run time (an sbyte[] is a byte[] to `is`), so
        // the element type comes from the exact array type.
        var type = array.GetType();
        if (array is string?[] strings && type == typeof(string[]))
        {
            foreach (var item in strings)
            {
                if (item is null)
                {
                    writer.WriteLengthPrefix(ArrayValues, 0);
                }
                else
                {
                    WriteString(writer, ArrayValues, item, maxChars);
                }
            }
        }
        else if (type == typeof(bool[]))
        {
            foreach (var item in (bool[])array)
            {
                writer.WriteLengthPrefix(ArrayValues, 2);
                writer.WriteBoolField(AnyValueBool, item);
            }
        }
        else if (type == typeof(long[]))
        {
            foreach (var item in (long[])array)
            {
                WriteInt(writer, ArrayValues, item);
            }
        }
        else if (type == typeof(int[]))
        {
            foreach (var item in (int[])array)
            {
                WriteInt(writer, ArrayValues, item);
            }
        }
        else if (type == typeof(double[]))
        {
            foreach (var item in (double[])array)
            {
                WriteDouble(writer, ArrayValues, item);
            }
        }
        else
        {
            // Everything else element by element, as the OpenTelemetry exporter does (char, sbyte, short, ushort, uint
            // and float arrays, object arrays); unsigned longs become text.
            for (var i = 0; i < array.Length; i++)
            {
                WriteArrayItem(writer, array.GetValue(i), maxChars);
            }
        }

        writer.EndMessage(values);
        writer.EndMessage(anyValue);
    }

    private static void WriteArrayItem(ProtobufWriter writer, object? item, int maxChars)
    {
        if (TryWriteScalar(writer, ArrayValues, item, maxChars))
        {
            return;
        }

        // Anything else in an array (a nested array or list included) is its invariant text.
        var text = Convert.ToString(item, CultureInfo.InvariantCulture);
        if (text is null)
        {
            writer.WriteLengthPrefix(ArrayValues, 0);
        }
        else
        {
            WriteString(writer, ArrayValues, text, maxChars);
        }
    }
}
