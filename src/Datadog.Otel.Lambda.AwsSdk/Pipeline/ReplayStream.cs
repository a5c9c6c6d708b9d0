// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers;

namespace Datadog.Otel.Lambda.AwsSdk.Pipeline;

/// <summary>
/// The response stream as the SDK would have read it, after <see cref="BufferedResponse"/> read the start of a body
/// that turned out too large to keep: the bytes already read, then the rest of the inner stream, in order. Read-only
/// and forward-only like the HTTP stream it stands for.
/// </summary>
internal sealed class ReplayStream : Stream
{
    private readonly Stream inner;
    private readonly int headLength;
    private readonly bool headRented;
    private byte[]? head;
    private int headPosition;

    /// <param name="head">The bytes read so far (<paramref name="headLength"/> of them).</param>
    /// <param name="headLength">How many bytes of <paramref name="head"/> were read.</param>
    /// <param name="headRented">Whether <paramref name="head"/> comes from <see cref="ArrayPool{T}.Shared"/> (returned once replayed).</param>
    /// <param name="inner">The stream the rest of the body comes from; disposed with this one.</param>
    public ReplayStream(byte[] head, int headLength, bool headRented, Stream inner)
    {
        this.head = head;
        this.headLength = headLength;
        this.headRented = headRented;
        this.inner = inner;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => this.Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        return this.head is { } head ? this.Replay(head, buffer) : this.inner.Read(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        this.ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return new ValueTask<int>(0);
        }

        return this.head is { } head ? new ValueTask<int>(this.Replay(head, buffer.Span)) : this.inner.ReadAsync(buffer, cancellationToken);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            this.ReleaseHead();
            this.inner.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Copies the next replayed bytes; the head is let go as soon as it has all been read.</summary>
    private int Replay(byte[] head, Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, this.headLength - this.headPosition);
        head.AsSpan(this.headPosition, count).CopyTo(buffer);
        this.headPosition += count;
        if (this.headPosition == this.headLength)
        {
            this.ReleaseHead();
        }

        return count;
    }

    private void ReleaseHead()
    {
        if (this.head is { } head)
        {
            this.head = null;
            if (this.headRented)
            {
                ArrayPool<byte>.Shared.Return(head);
            }
        }
    }
}
