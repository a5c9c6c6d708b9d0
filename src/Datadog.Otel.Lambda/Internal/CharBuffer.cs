// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers;
using System.Globalization;

namespace Datadog.Otel.Lambda.Internal;

/// <summary>
/// A string builder on a caller-provided (usually stack) buffer that rents from the array pool only
/// when the text outgrows it. Header values are built here so that the only allocation is the final string.
/// Always <see cref="Dispose"/> it (returns a rented array).
/// </summary>
internal ref struct CharBuffer
{
    private char[]? rented;
    private Span<char> chars;
    private int length;

    public CharBuffer(Span<char> initial)
    {
        rented = null;
        chars = initial;
        length = 0;
    }

    public readonly int Length => length;

    public readonly ReadOnlySpan<char> AsSpan() => chars[..length];

    public void Append(char c)
    {
        if (length == chars.Length)
        {
            Grow(1);
        }

        chars[length++] = c;
    }

    public void Append(scoped ReadOnlySpan<char> text)
    {
        if (length + text.Length > chars.Length)
        {
            Grow(text.Length);
        }

        text.CopyTo(chars[length..]);
        length += text.Length;
    }

    public void AppendDecimal(ulong value)
    {
        EnsureFree(20);
        value.TryFormat(chars[length..], out var written, default, CultureInfo.InvariantCulture);
        length += written;
    }

    public void AppendDecimal(int value)
    {
        EnsureFree(11);
        value.TryFormat(chars[length..], out var written, default, CultureInfo.InvariantCulture);
        length += written;
    }

    /// <summary>Appends 16 lowercase hex digits.</summary>
    public void AppendHex16(ulong value)
    {
        EnsureFree(16);
        DatadogIds.WriteHex16(value, chars.Slice(length, 16));
        length += 16;
    }

    /// <summary>Cuts the text back to <paramref name="newLength"/> characters (used to undo a field that did not fit).</summary>
    public void Truncate(int newLength) => length = Math.Min(length, Math.Max(0, newLength));

    public override readonly string ToString() => chars[..length].ToString();

    public void Dispose()
    {
        var toReturn = rented;
        this = default;
        if (toReturn is not null)
        {
            ArrayPool<char>.Shared.Return(toReturn);
        }
    }

    private void EnsureFree(int count)
    {
        if (length + count > chars.Length)
        {
            Grow(count);
        }
    }

    private void Grow(int additional)
    {
        var newArray = ArrayPool<char>.Shared.Rent(Math.Max(length + additional, chars.Length * 2));
        chars[..length].CopyTo(newArray);
        var toReturn = rented;
        chars = newArray;
        rented = newArray;
        if (toReturn is not null)
        {
            ArrayPool<char>.Shared.Return(toReturn);
        }
    }
}
