// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers.Binary;
using System.Text;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Tests.TestSupport;

/// <summary>A minimal protobuf writer for building test bodies byte by byte, including odd-but-valid encodings.</summary>
internal sealed class ProtoWriter
{
    private readonly List<byte> bytes = [];

    /// <summary>Gets or sets a value indicating whether length prefixes are written as 4-byte padded varints, as the OpenTelemetry .NET exporter does.</summary>
    public bool PadLengths { get; init; }

    public static byte[] PaddedVarint(ulong value, int width)
    {
        var result = new byte[width];
        for (var i = 0; i < width; i++)
        {
            result[i] = (byte)((value & 0x7F) | (i < width - 1 ? 0x80u : 0u));
            value >>= 7;
        }

        return result;
    }

    public ProtoWriter Tag(int field, int wireType)
    {
        WriteVarint(((ulong)field << 3) | (uint)wireType);
        return this;
    }

    public ProtoWriter Varint(int field, ulong value)
    {
        Tag(field, 0);
        WriteVarint(value);
        return this;
    }

    public ProtoWriter Fixed64(int field, ulong value)
    {
        Tag(field, 1);
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(buffer, value);
        bytes.AddRange(buffer.ToArray());
        return this;
    }

    public ProtoWriter Double(int field, double value) => Fixed64(field, BitConverter.DoubleToUInt64Bits(value));

    public ProtoWriter Fixed32(int field, uint value)
    {
        Tag(field, 5);
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, value);
        bytes.AddRange(buffer.ToArray());
        return this;
    }

    public ProtoWriter Bytes(int field, byte[] value)
    {
        Tag(field, 2);
        WriteLength(value.Length);
        bytes.AddRange(value);
        return this;
    }

    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoWriter Message(int field, Action<ProtoWriter> build)
    {
        var nested = new ProtoWriter { PadLengths = PadLengths };
        build(nested);
        return Bytes(field, nested.ToArray());
    }

    public ProtoWriter Group(int field, Action<ProtoWriter> build)
    {
        Tag(field, 3);
        var nested = new ProtoWriter { PadLengths = PadLengths };
        build(nested);
        bytes.AddRange(nested.ToArray());
        return Tag(field, 4);
    }

    public ProtoWriter Raw(params byte[] raw)
    {
        bytes.AddRange(raw);
        return this;
    }

    /// <summary>Unknown fields of every wire type, numbered high enough to be unknown everywhere.</summary>
    public ProtoWriter UnknownFields() =>
        Varint(900, 12345)
            .Fixed64(901, 0xDEADBEEF)
            .String(902, "ignored")
            .Group(903, g => g.Varint(1, 1).String(2, "nested").Group(3, inner => inner.Fixed32(1, 7)))
            .Fixed32(904, 42);

    public byte[] ToArray() => bytes.ToArray();

    private void WriteLength(int length)
    {
        if (PadLengths)
        {
            bytes.AddRange(PaddedVarint((ulong)length, 4));
        }
        else
        {
            WriteVarint((ulong)length);
        }
    }

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        bytes.Add((byte)value);
    }
}
