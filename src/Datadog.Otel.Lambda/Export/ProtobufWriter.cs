// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers.Binary;
using System.Text;

namespace Datadog.Otel.Lambda.Export;

/// <summary>
/// A minimal protobuf encoder over a growable buffer, pooled while it is small (<see cref="Internal.BoundedBuffers"/>:
/// a span with megabytes of payload tags must not leave a megabytes-large array in the pool). Messages are written in
/// one pass without computing sizes first. Large messages (resource spans, scope spans, spans, events, links) reserve
/// a fixed four-byte length that is back-filled as a padded varint (decoders accept non-minimal varints); small,
/// numerous ones (attributes and their values) reserve one byte and move their content in the rare case it passes
/// 127 bytes, so that the three padding bytes per attribute stay off the wire (the OpenTelemetry .NET exporter does
/// the same).
/// </summary>
internal sealed class ProtobufWriter : IDisposable
{
    public const int WireVarint = 0;
    public const int WireFixed64 = 1;
    public const int WireLengthDelimited = 2;
    public const int WireFixed32 = 5;

    private const int ReservedLengthBytes = 4;
    private const int MaxReservedLength = (1 << 28) - 1;

    private byte[] buffer;
    private int position;

    public ProtobufWriter(int initialCapacity = 16 * 1024)
    {
        this.buffer = Internal.BoundedBuffers.Rent(initialCapacity);
    }

    public int Length => this.position;

    public ReadOnlyMemory<byte> WrittenMemory => this.buffer.AsMemory(0, this.position);

    public ReadOnlySpan<byte> WrittenSpan => this.buffer.AsSpan(0, this.position);

    public void Reset() => this.position = 0;

    /// <summary>Cuts the written data back to <paramref name="length"/> bytes (used to undo a partly written message).</summary>
    public void Truncate(int length) => this.position = length;

    public void WriteTag(int fieldNumber, int wireType) => this.WriteVarint((uint)((fieldNumber << 3) | wireType));

    public void WriteVarint(ulong value)
    {
        this.Ensure(10);
        var span = this.buffer.AsSpan(this.position);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        this.position += i;
    }

    public void WriteFixed64(ulong value)
    {
        this.Ensure(8);
        BinaryPrimitives.WriteUInt64LittleEndian(this.buffer.AsSpan(this.position), value);
        this.position += 8;
    }

    public void WriteFixed32(uint value)
    {
        this.Ensure(4);
        BinaryPrimitives.WriteUInt32LittleEndian(this.buffer.AsSpan(this.position), value);
        this.position += 4;
    }

    public void WriteVarintField(int fieldNumber, ulong value)
    {
        this.WriteTag(fieldNumber, WireVarint);
        this.WriteVarint(value);
    }

    public void WriteFixed64Field(int fieldNumber, ulong value)
    {
        this.WriteTag(fieldNumber, WireFixed64);
        this.WriteFixed64(value);
    }

    public void WriteFixed32Field(int fieldNumber, uint value)
    {
        this.WriteTag(fieldNumber, WireFixed32);
        this.WriteFixed32(value);
    }

    public void WriteDoubleField(int fieldNumber, double value) => this.WriteFixed64Field(fieldNumber, BitConverter.DoubleToUInt64Bits(value));

    public void WriteBoolField(int fieldNumber, bool value) => this.WriteVarintField(fieldNumber, value ? 1UL : 0UL);

    public void WriteBytesField(int fieldNumber, ReadOnlySpan<byte> value)
    {
        this.WriteTag(fieldNumber, WireLengthDelimited);
        this.WriteVarint((uint)value.Length);
        this.Ensure(value.Length);
        value.CopyTo(this.buffer.AsSpan(this.position));
        this.position += value.Length;
    }

    /// <summary>Writes a UTF-8 string field; <paramref name="maxChars"/> cuts long values (without splitting a surrogate pair).</summary>
    public void WriteStringField(int fieldNumber, ReadOnlySpan<char> value, int maxChars = int.MaxValue)
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

        this.WriteTag(fieldNumber, WireLengthDelimited);
        var byteCount = Encoding.UTF8.GetByteCount(value);
        this.WriteVarint((uint)byteCount);
        this.Ensure(byteCount);
        this.position += Encoding.UTF8.GetBytes(value, this.buffer.AsSpan(this.position));
    }

    /// <summary>Starts a length-delimited field; returns the bookmark to pass to <see cref="EndMessage"/>.</summary>
    public int BeginMessage(int fieldNumber)
    {
        this.WriteTag(fieldNumber, WireLengthDelimited);
        this.Ensure(ReservedLengthBytes);
        var bookmark = this.position;
        this.position += ReservedLengthBytes;
        return bookmark;
    }

    public void EndMessage(int bookmark)
    {
        var length = this.position - bookmark - ReservedLengthBytes;
        if (length > MaxReservedLength)
        {
            throw new InvalidOperationException("A protobuf message exceeded 256 MB.");
        }

        var span = this.buffer.AsSpan(bookmark, ReservedLengthBytes);
        span[0] = (byte)((length & 0x7F) | 0x80);
        span[1] = (byte)(((length >> 7) & 0x7F) | 0x80);
        span[2] = (byte)(((length >> 14) & 0x7F) | 0x80);
        span[3] = (byte)((length >> 21) & 0x7F);
    }

    /// <summary>
    /// Starts a length-delimited field whose content is usually under 128 bytes; returns the bookmark to pass to
    /// <see cref="EndCompactMessage"/>.
    /// </summary>
    public int BeginCompactMessage(int fieldNumber)
    {
        this.WriteTag(fieldNumber, WireLengthDelimited);
        this.Ensure(1);
        return this.position++;
    }

    /// <summary>Writes the minimal length of a message begun with <see cref="BeginCompactMessage"/>, moving its content when the length needs more than one byte.</summary>
    public void EndCompactMessage(int bookmark)
    {
        var length = this.position - bookmark - 1;
        if (length < 0x80)
        {
            this.buffer[bookmark] = (byte)length;
            return;
        }

        var extra = VarintSize((uint)length) - 1;
        this.Ensure(extra);
        var content = this.buffer.AsSpan(bookmark + 1, length);
        content.CopyTo(this.buffer.AsSpan(bookmark + 1 + extra));
        var span = this.buffer.AsSpan(bookmark);
        var value = (uint)length;
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i] = (byte)value;
        this.position += extra;
    }

    /// <summary>Writes a length-delimited field of <paramref name="length"/> bytes whose content the caller writes next.</summary>
    public void WriteLengthPrefix(int fieldNumber, int length)
    {
        this.WriteTag(fieldNumber, WireLengthDelimited);
        this.WriteVarint((uint)length);
    }

    /// <summary>Writes a UTF-8 string field whose encoded length the caller has computed.</summary>
    public void WriteStringFieldOfLength(int fieldNumber, ReadOnlySpan<char> value, int byteCount)
    {
        this.WriteTag(fieldNumber, WireLengthDelimited);
        this.WriteVarint((uint)byteCount);
        this.Ensure(byteCount);
        this.position += Encoding.UTF8.GetBytes(value, this.buffer.AsSpan(this.position));
    }

    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        this.Ensure(bytes.Length);
        bytes.CopyTo(this.buffer.AsSpan(this.position));
        this.position += bytes.Length;
    }

    /// <summary>The number of bytes <paramref name="value"/> takes as a varint.</summary>
    public static int VarintSize(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    public void Dispose()
    {
        var toReturn = this.buffer;
        this.buffer = [];
        this.position = 0;
        if (toReturn.Length > 0)
        {
            Internal.BoundedBuffers.Return(toReturn);
        }
    }

    private void Ensure(int additional)
    {
        if (this.position + additional <= this.buffer.Length)
        {
            return;
        }

        var newSize = Math.Max(this.buffer.Length * 2, this.position + additional);
        var larger = Internal.BoundedBuffers.Rent(newSize);
        this.buffer.AsSpan(0, this.position).CopyTo(larger);
        if (this.buffer.Length > 0)
        {
            Internal.BoundedBuffers.Return(this.buffer);
        }

        this.buffer = larger;
    }
}
