// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers;
using System.Text.Json;
using Datadog.Otel.Lambda.Events;
using Datadog.Otel.Lambda.Propagation;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// A durable execution's <c>InitialExecutionState.Operations</c> (a list, or an object whose values are the operations),
/// read in one forward pass: how many operations there are, and where the latest trace checkpoint's
/// <c>StepDetails.Result</c> is. A trace checkpoint is an operation named <c>_datadog_{N}</c>; the latest has the highest
/// N (the first of equals), N read as Python's <c>int()</c> reads text: surrounding whitespace, a sign, digits with single
/// underscores between them, at most 4,300 digits (ASCII only). Never throws; work is linear in the operations' text.
/// </summary>
internal static class DurableOperations
{
    /// <summary>Python's default limit on the digits <c>int()</c> converts (<c>sys.get_int_max_str_digits()</c>).</summary>
    internal const int MaxDigits = 4300;

    private static ReadOnlySpan<byte> Prefix => "_datadog_"u8;

    /// <summary>Where a checkpoint's result is in the operations' text.</summary>
    internal enum ResultKind
    {
        /// <summary>No checkpoint, or its <c>StepDetails</c> is not an object, or it has no <c>Result</c>.</summary>
        None,

        /// <summary>A JSON string (its text between the quotes).</summary>
        String,

        /// <summary>An object (its whole text).</summary>
        Object,
    }

    /// <summary>
    /// Reads the operations array or object <paramref name="json"/> (its whole text). Returns the number of operations
    /// (elements or members), or -1 when the text is not an array or object.
    /// </summary>
    public static int Scan(ReadOnlySpan<byte> json, out Checkpoint checkpoint)
    {
        checkpoint = default;
        byte[]? best = null;
        byte[]? current = null;
        byte[]? name = null;
        try
        {
            var reader = new Utf8JsonReader(json, EventReader.EventOptions);
            if (!reader.Read() || reader.TokenType is not (JsonTokenType.StartArray or JsonTokenType.StartObject))
            {
                return -1;
            }

            var isObject = reader.TokenType == JsonTokenType.StartObject;
            var count = 0;
            var bestLength = -1;
            while (reader.Read() && reader.TokenType is not (JsonTokenType.EndArray or JsonTokenType.EndObject))
            {
                if (isObject && !reader.Read())
                {
                    break;
                }

                count++;
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                var operation = ReadOperation(ref reader, ref current, ref name);
                if (operation.Digits >= 0 && (bestLength < 0 || Compare(current.AsSpan(0, operation.Digits), best.AsSpan(0, bestLength)) > 0))
                {
                    (best, current) = (current, best);
                    bestLength = operation.Digits;
                    checkpoint = operation.Result with { Found = true };
                }
            }

            return count;
        }
        catch (JsonException)
        {
            checkpoint = default;
            return -1;
        }
        finally
        {
            Return(best);
            Return(current);
            Return(name);
        }
    }

    /// <summary>
    /// The number of a checkpoint's name (the text after <c>_datadog_</c>) as Python's <c>int()</c> reads it: its
    /// significant digits in <paramref name="digits"/> (none for zero). False when it is no number, or a negative one
    /// (never the latest: the search starts above -1).
    /// </summary>
    internal static bool TryReadNumber(ReadOnlySpan<byte> text, Span<byte> digits, out int length)
    {
        length = 0;
        text = PythonWhitespace.StripAscii(text);
        var negative = false;
        if (!text.IsEmpty && (text[0] == (byte)'+' || text[0] == (byte)'-'))
        {
            negative = text[0] == (byte)'-';
            text = text[1..];
        }

        if (text.IsEmpty || !IsDigit(text[0]) || !IsDigit(text[^1]))
        {
            return false;
        }

        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == (byte)'_')
            {
                // Only single underscores between digits (the ends are digits, checked above).
                if (!IsDigit(text[i + 1]))
                {
                    return false;
                }

                continue;
            }

            if (!IsDigit(c) || ++count > MaxDigits)
            {
                return false;
            }

            if (length > 0 || c != (byte)'0')
            {
                digits[length++] = c;
            }
        }

        return !negative || length == 0;
    }

    private static Operation ReadOperation(ref Utf8JsonReader reader, ref byte[]? current, ref byte[]? name)
    {
        var depth = reader.CurrentDepth;
        var digits = -1;
        Checkpoint result = default;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.ValueTextEquals("Name"u8))
            {
                reader.Read();
                digits = reader.TokenType == JsonTokenType.String ? ReadName(ref reader, ref current, ref name) : -1;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("StepDetails"u8))
            {
                reader.Read();
                result = reader.TokenType == JsonTokenType.StartObject ? ReadStepDetails(ref reader) : default;
                reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new Operation(digits, result);
    }

    /// <summary>The significant digits of the name's number in <paramref name="current"/>; -1 when it is no checkpoint's name.</summary>
    private static int ReadName(ref Utf8JsonReader reader, ref byte[]? current, ref byte[]? name)
    {
        var text = reader.ValueSpan;
        if (reader.ValueIsEscaped)
        {
            // Not the reader's CopyString, which throws on an escaped surrogate that does not pair.
            name = Ensure(name, text.Length);
            text = name.AsSpan(0, JsonText.Unescape(text, name));
        }

        if (!text.StartsWith(Prefix))
        {
            return -1;
        }

        current = Ensure(current, MaxDigits);
        return TryReadNumber(text[Prefix.Length..], current, out var length) ? length : -1;
    }

    /// <summary>The last <c>Result</c> of a <c>StepDetails</c> object (the reader is left on its end).</summary>
    private static Checkpoint ReadStepDetails(ref Utf8JsonReader reader)
    {
        var depth = reader.CurrentDepth;
        Checkpoint result = default;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            var isResult = reader.ValueTextEquals("Result"u8);
            reader.Read();
            if (!isResult)
            {
                reader.Skip();
                continue;
            }

            var start = (int)reader.TokenStartIndex;
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    result = new Checkpoint(ResultKind.String, start + 1, reader.ValueSpan.Length, reader.ValueIsEscaped);
                    break;
                case JsonTokenType.StartObject:
                    reader.Skip();
                    result = new Checkpoint(ResultKind.Object, start, (int)reader.BytesConsumed - start, Escaped: false);
                    break;
                default:
                    reader.Skip();
                    result = default;
                    break;
            }
        }

        return result;
    }

    /// <summary>Compares two numbers given as their significant digits.</summary>
    private static int Compare(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => a.Length != b.Length ? a.Length.CompareTo(b.Length) : a.SequenceCompareTo(b);

    private static bool IsDigit(byte c) => c is >= (byte)'0' and <= (byte)'9';

    private static byte[] Ensure(byte[]? buffer, int length)
    {
        if (buffer is not null && buffer.Length >= length)
        {
            return buffer;
        }

        Return(buffer);
        return ArrayPool<byte>.Shared.Rent(length);
    }

    private static void Return(byte[]? buffer)
    {
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The latest checkpoint's <c>StepDetails.Result</c>: its kind and where its text is; <see cref="Found"/> tells a
    /// checkpoint without a result from no checkpoint.
    /// </summary>
    internal readonly record struct Checkpoint(ResultKind Kind, int Start, int Length, bool Escaped)
    {
        public bool Found { get; init; }
    }

    private readonly record struct Operation(int Digits, Checkpoint Result);
}
