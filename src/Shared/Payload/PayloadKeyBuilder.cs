// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers;
using System.Globalization;

namespace Datadog.Otel.Lambda.Payload;

/// <summary>
/// The tag key of the value being visited, kept in one pooled buffer: a member appends <c>.name</c>, the walk
/// cuts back to the parent's length afterwards, and a string is made only when a tag is written.
/// </summary>
internal struct PayloadKeyBuilder : IDisposable
{
    private char[] buffer;
    private int length;

    public PayloadKeyBuilder(string prefix)
    {
        buffer = ArrayPool<char>.Shared.Rent(Math.Max(128, prefix.Length * 2));
        prefix.CopyTo(buffer);
        length = prefix.Length;
    }

    public readonly int Length => length;

    /// <summary>Appends <c>.</c> and the name, with <c>.</c> escaped as <c>\.</c> when asked; false when the key would exceed <see cref="PayloadTagValues.MaxKeyLength"/>.</summary>
    public bool TryAppendName(string name, bool escapeDots)
    {
        var extra = escapeDots ? name.AsSpan().Count('.') : 0;
        var needed = length + 1 + name.Length + extra;
        if (needed > PayloadTagValues.MaxKeyLength)
        {
            return false;
        }

        EnsureCapacity(needed);
        buffer[length++] = '.';
        if (extra == 0)
        {
            name.CopyTo(buffer.AsSpan(length));
            length += name.Length;
            return true;
        }

        foreach (var c in name)
        {
            if (c == '.')
            {
                buffer[length++] = '\\';
            }

            buffer[length++] = c;
        }

        return true;
    }

    /// <summary>Appends <c>.</c> and the array index.</summary>
    public bool TryAppendIndex(int index)
    {
        var needed = length + 1 + 10;
        if (needed > PayloadTagValues.MaxKeyLength)
        {
            return false;
        }

        EnsureCapacity(needed);
        buffer[length++] = '.';
        index.TryFormat(buffer.AsSpan(length), out var written, default, CultureInfo.InvariantCulture);
        length += written;
        return true;
    }

    public void Truncate(int newLength) => length = newLength;

    public override readonly string ToString() => new(buffer, 0, length);

    public void Dispose()
    {
        if (buffer is not null)
        {
            ArrayPool<char>.Shared.Return(buffer);
            buffer = null!;
        }
    }

    private void EnsureCapacity(int needed)
    {
        if (needed <= buffer.Length)
        {
            return;
        }

        var larger = ArrayPool<char>.Shared.Rent(Math.Max(needed, buffer.Length * 2));
        buffer.AsSpan(0, length).CopyTo(larger);
        ArrayPool<char>.Shared.Return(buffer);
        buffer = larger;
    }
}
