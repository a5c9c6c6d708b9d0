// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers;

namespace Datadog.Otel.Lambda.Internal;

/// <summary>
/// Tags collected in a rented buffer, then copied once into an array of exactly their number (<see cref="ToArray"/>),
/// which gives the buffer back. A value that is null is not a tag and is not added.
/// </summary>
internal struct TagBuffer
{
    private KeyValuePair<string, object?>[]? items;
    private int count;

    public readonly int Count => this.count;

    public readonly ReadOnlySpan<KeyValuePair<string, object?>> Items => this.items.AsSpan(0, this.count);

    public void Add(string key, object? value)
    {
        if (value is null)
        {
            return;
        }

        if (this.items is null)
        {
            this.items = ArrayPool<KeyValuePair<string, object?>>.Shared.Rent(32);
        }
        else if (this.count == this.items.Length)
        {
            var larger = ArrayPool<KeyValuePair<string, object?>>.Shared.Rent(this.items.Length * 2);
            var kept = this.count;
            this.items.AsSpan(0, kept).CopyTo(larger);
            this.Release();
            this.items = larger;
            this.count = kept;
        }

        this.items[this.count++] = new(key, value);
    }

    /// <summary>The tags as an array of their exact number; the buffer is given back and emptied.</summary>
    public KeyValuePair<string, object?>[] ToArray()
    {
        var result = this.count == 0 ? [] : this.items.AsSpan(0, this.count).ToArray();
        this.Release();
        return result;
    }

    /// <summary>Gives the buffer back, without making an array.</summary>
    public void Release()
    {
        if (this.items is not null)
        {
            this.items.AsSpan(0, this.count).Clear();
            ArrayPool<KeyValuePair<string, object?>>.Shared.Return(this.items);
        }

        this.items = null;
        this.count = 0;
    }
}
