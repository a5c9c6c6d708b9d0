// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers.Binary;
using System.Text;

namespace Datadog.Otel.Lambda.Differential.Tests.Reference;

/// <summary>
/// Decodes MessagePack (the encoding of dd-trace's <c>/v0.4/traces</c> payloads) into plain values: <c>null</c>,
/// <see cref="bool"/>, <see cref="long"/> or <see cref="ulong"/> (unsigned values above <see cref="long.MaxValue"/>),
/// <see cref="double"/>, <see cref="string"/>, <see cref="byte"/>[], <see cref="List{T}"/> of values and
/// <see cref="Dictionary{TKey,TValue}"/> with string keys. Decoding here, in the test process, keeps the Node.js side
/// untouched: the fake agent reads exactly the bytes a real agent would.
/// </summary>
internal ref struct MessagePackReader
{
    private const int MaxDepth = 64;

    private readonly ReadOnlySpan<byte> data;
    private int position;

    public MessagePackReader(ReadOnlySpan<byte> data)
    {
        this.data = data;
        this.position = 0;
    }

    public static object? Decode(ReadOnlySpan<byte> data)
    {
        var reader = new MessagePackReader(data);
        var value = reader.ReadValue(0);
        if (reader.position != data.Length)
        {
            throw new FormatException($"{data.Length - reader.position} bytes after the MessagePack value");
        }

        return value;
    }

    private object? ReadValue(int depth)
    {
        if (depth > MaxDepth)
        {
            throw new FormatException("MessagePack nested too deeply");
        }

        var code = this.ReadByte();
        switch (code)
        {
            case <= 0x7f:
                return (long)code;
            case >= 0x80 and <= 0x8f:
                return this.ReadMap(code & 0x0f, depth);
            case >= 0x90 and <= 0x9f:
                return this.ReadArray(code & 0x0f, depth);
            case >= 0xa0 and <= 0xbf:
                return this.ReadString(code & 0x1f);
            case >= 0xe0:
                return (long)(sbyte)code;
        }

        return code switch
        {
            0xc0 => null,
            0xc2 => false,
            0xc3 => true,
            0xc4 => this.ReadBytes(this.ReadByte()).ToArray(),
            0xc5 => this.ReadBytes(this.ReadUInt16()).ToArray(),
            0xc6 => this.ReadBytes(checked((int)this.ReadUInt32())).ToArray(),
            0xca => (double)BinaryPrimitives.ReadSingleBigEndian(this.ReadBytes(4)),
            0xcb => BinaryPrimitives.ReadDoubleBigEndian(this.ReadBytes(8)),
            0xcc => (long)this.ReadByte(),
            0xcd => (long)this.ReadUInt16(),
            0xce => (long)this.ReadUInt32(),
            0xcf => Unsigned(BinaryPrimitives.ReadUInt64BigEndian(this.ReadBytes(8))),
            0xd0 => (long)(sbyte)this.ReadByte(),
            0xd1 => (long)BinaryPrimitives.ReadInt16BigEndian(this.ReadBytes(2)),
            0xd2 => (long)BinaryPrimitives.ReadInt32BigEndian(this.ReadBytes(4)),
            0xd3 => BinaryPrimitives.ReadInt64BigEndian(this.ReadBytes(8)),
            0xd9 => this.ReadString(this.ReadByte()),
            0xda => this.ReadString(this.ReadUInt16()),
            0xdb => this.ReadString(checked((int)this.ReadUInt32())),
            0xdc => this.ReadArray(this.ReadUInt16(), depth),
            0xdd => this.ReadArray(checked((int)this.ReadUInt32()), depth),
            0xde => this.ReadMap(this.ReadUInt16(), depth),
            0xdf => this.ReadMap(checked((int)this.ReadUInt32()), depth),
            _ => throw new FormatException($"unsupported MessagePack type 0x{code:x2} at {this.position - 1}"),
        };
    }

    private static object Unsigned(ulong value) => value <= long.MaxValue ? (long)value : value;

    private List<object?> ReadArray(int count, int depth)
    {
        this.EnsureAvailable(count);
        var list = new List<object?>(count);
        for (var i = 0; i < count; i++)
        {
            list.Add(this.ReadValue(depth + 1));
        }

        return list;
    }

    private Dictionary<string, object?> ReadMap(int count, int depth)
    {
        this.EnsureAvailable(count * 2);
        var map = new Dictionary<string, object?>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var key = this.ReadValue(depth + 1) as string ?? throw new FormatException("a MessagePack map key that is not a string");
            map[key] = this.ReadValue(depth + 1);
        }

        return map;
    }

    private string ReadString(int length) => Encoding.UTF8.GetString(this.ReadBytes(length));

    private byte ReadByte() => this.ReadBytes(1)[0];

    private ushort ReadUInt16() => BinaryPrimitives.ReadUInt16BigEndian(this.ReadBytes(2));

    private uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(this.ReadBytes(4));

    private ReadOnlySpan<byte> ReadBytes(int length)
    {
        this.EnsureAvailable(length);
        var slice = this.data.Slice(this.position, length);
        this.position += length;
        return slice;
    }

    // Every element takes at least one byte: a count beyond what is left is corrupt, not a reason to allocate.
    private readonly void EnsureAvailable(int length)
    {
        if (length < 0 || length > this.data.Length - this.position)
        {
            throw new FormatException($"MessagePack value runs past the end of the payload at {this.position}");
        }
    }
}
