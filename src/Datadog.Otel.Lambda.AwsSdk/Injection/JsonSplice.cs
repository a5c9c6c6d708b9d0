// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.AwsSdk.Injection;

/// <summary>
/// Insertions into a marshalled JSON body at byte offsets found by a reader: the user's bytes are copied unchanged
/// around them, so nothing the user wrote is re-encoded or reordered.
/// </summary>
internal sealed class JsonSplice
{
    private readonly List<(int Offset, int Removed, byte[] Bytes)> edits = new(1);

    public int Count => this.edits.Count;

    /// <summary>Inserts <paramref name="bytes"/> before the byte at <paramref name="offset"/> (offsets ascending).</summary>
    public void Insert(int offset, byte[] bytes) => this.edits.Add((offset, 0, bytes));

    /// <summary>Replaces <paramref name="length"/> bytes at <paramref name="offset"/> (a whole token; offsets ascending).</summary>
    public void Replace(int offset, int length, byte[] bytes) => this.edits.Add((offset, length, bytes));

    public byte[] Apply(ReadOnlySpan<byte> content)
    {
        var length = content.Length;
        foreach (var edit in this.edits)
        {
            length += edit.Bytes.Length - edit.Removed;
        }

        var result = new byte[length];
        int source = 0, target = 0;
        foreach (var (offset, removed, bytes) in this.edits)
        {
            content[source..offset].CopyTo(result.AsSpan(target));
            target += offset - source;
            bytes.CopyTo(result.AsSpan(target));
            target += bytes.Length;
            source = offset + removed;
        }

        content[source..].CopyTo(result.AsSpan(target));
        return result;
    }
}
