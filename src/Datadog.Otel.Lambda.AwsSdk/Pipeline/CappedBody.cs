// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers;

namespace Datadog.Otel.Lambda.AwsSdk.Pipeline;

/// <summary>
/// The start of a response body, read into memory up to one byte past a cap, so that a body of unknown length (chunked:
/// the SDK reports its length as 0) is never read whole just to learn that it is too large to keep. With a known length
/// the buffer is exact-size; without one it grows in pooled arrays and the kept body is copied out at its exact size.
/// </summary>
internal struct CappedBody
{
    private const int UnknownLengthStart = 16 * 1024;

    private readonly int cap;
    private byte[] buffer;
    private bool rented;
    private int count;

    /// <param name="length">The response's <c>ContentLength</c> (0 when unknown; at most <paramref name="cap"/>).</param>
    /// <param name="cap">The most bytes kept; reading stops at one byte more.</param>
    public CappedBody(long length, int cap)
    {
        this.cap = cap;
        this.rented = length <= 0;
        this.buffer = this.rented ? ArrayPool<byte>.Shared.Rent(UnknownLengthStart) : new byte[length];
        this.count = 0;
    }

    /// <summary>Whether more bytes were read than the cap: the body is not kept, and <see cref="Replay"/> hands it on.</summary>
    public readonly bool OverCap => this.count > this.cap;

    /// <summary>Whether the buffer is full: then <see cref="Append"/> the byte a one-byte read finds, or stop at the end.</summary>
    public readonly bool Full => this.count == this.Limit;

    /// <summary>Where the next read goes (empty when <see cref="Full"/>).</summary>
    public readonly Memory<byte> Free => this.buffer.AsMemory(this.count, this.Limit - this.count);

    private readonly int Limit => Math.Min(this.buffer.Length, this.cap + 1);

    public void Advance(int read) => this.count += read;

    /// <summary>Adds a byte read past a full buffer (more data exists), growing the buffer first.</summary>
    public void Append(byte value)
    {
        var length = (int)Math.Min(this.buffer.Length * 2L, this.cap + 1L);

        // The last step is exact-size and not pooled: it only happens for a body over the cap, and the pool would round
        // one byte over a power of two up to twice the size and keep it.
        var larger = length > this.cap ? new byte[length] : ArrayPool<byte>.Shared.Rent(length);
        this.buffer.AsSpan(0, this.count).CopyTo(larger);
        this.Release();
        this.buffer = larger;
        this.rented = length <= this.cap;
        this.buffer[this.count++] = value;
    }

    /// <summary>The whole body (not <see cref="OverCap"/>), exact-size; the pooled buffer is returned.</summary>
    public byte[] Complete()
    {
        if (!this.rented && this.count == this.buffer.Length)
        {
            return this.buffer;
        }

        var body = this.count == 0 ? [] : this.buffer.AsSpan(0, this.count).ToArray();
        this.Release();
        return body;
    }

    /// <summary>The stream the SDK reads when <see cref="OverCap"/>: the bytes read, then the rest of <paramref name="inner"/>.</summary>
    public readonly Stream Replay(Stream inner) => new ReplayStream(this.buffer, this.count, this.rented, inner);

    /// <summary>Returns the pooled buffer (after a failed read, or once the body is copied out).</summary>
    public void Release()
    {
        if (this.rented)
        {
            this.rented = false;
            ArrayPool<byte>.Shared.Return(this.buffer);
        }
    }
}
