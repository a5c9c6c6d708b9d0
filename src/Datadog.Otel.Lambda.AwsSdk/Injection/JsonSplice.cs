// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.AwsSdk.Injection;

/// <summary>
/// Insertions into a marshalled JSON body at byte offsets found by a reader: the user's bytes are copied unchanged
/// around them, so nothing the user wrote is re-encoded or reordered.
/// </summary>
internal sealed class JsonSplice
{
    private readonly List<(int Offset, byte[] Bytes)> insertions = new(1);

    public int Count => this.insertions.Count;

    /// <summary>Inserts <paramref name="bytes"/> before the byte at <paramref name="offset"/> (offsets ascending).</summary>
    public void Insert(int offset, byte[] bytes) => this.insertions.Add((offset, bytes));

    public byte[] Apply(byte[] content)
    {
        var length = content.Length;
        foreach (var insertion in this.insertions)
        {
            length += insertion.Bytes.Length;
        }

        var result = new byte[length];
        int source = 0, target = 0;
        foreach (var (offset, bytes) in this.insertions)
        {
            content.AsSpan(source, offset - source).CopyTo(result.AsSpan(target));
            target += offset - source;
            bytes.CopyTo(result.AsSpan(target));
            target += bytes.Length;
            source = offset;
        }

        content.AsSpan(source).CopyTo(result.AsSpan(target));
        return result;
    }
}
