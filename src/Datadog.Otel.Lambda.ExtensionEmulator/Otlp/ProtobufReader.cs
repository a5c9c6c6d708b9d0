// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers.Binary;
using System.Text;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Otlp;

/// <summary>
/// Reads the protobuf wire format from a byte span. Every length is checked against the bytes that are
/// left before anything is sliced or allocated, so a hostile length prefix costs nothing.
/// </summary>
internal ref struct ProtobufReader
{
    /// <summary>The nesting limit prost (the extension's decoder) applies; it also bounds our recursion.</summary>
    public const int MaxDepth = 100;

    // Strings must be valid UTF-8: prost rejects the whole request otherwise, so we do too.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> data;
    private int position;

    public ProtobufReader(ReadOnlySpan<byte> data)
    {
        this.data = data;
        position = 0;
    }

    public readonly bool IsAtEnd => position >= data.Length;

    private readonly int Remaining => data.Length - position;

    /// <summary>Reads the next field tag, or returns false at the end of the message.</summary>
    public bool TryReadTag(out int fieldNumber, out WireType wireType)
    {
        if (IsAtEnd)
        {
            fieldNumber = 0;
            wireType = default;
            return false;
        }

        var tag = ReadVarint();
        if (tag > uint.MaxValue)
        {
            throw new OtlpDecodeException($"invalid tag value {tag}");
        }

        var type = (int)(tag & 0x7);
        if (type > (int)WireType.Fixed32)
        {
            throw new OtlpDecodeException($"invalid wire type value {type}");
        }

        fieldNumber = (int)(tag >> 3);
        if (fieldNumber == 0)
        {
            throw new OtlpDecodeException("invalid field number 0");
        }

        wireType = (WireType)type;
        return true;
    }

    /// <summary>
    /// Reads a base-128 varint of at most 10 bytes. Non-minimal encodings (continuation bytes that only
    /// add zero bits) are valid protobuf and are accepted: the OpenTelemetry .NET exporter pads lengths to 4 bytes.
    /// </summary>
    public ulong ReadVarint()
    {
        ulong result = 0;
        for (var i = 0; i < 10; i++)
        {
            if (position >= data.Length)
            {
                throw new OtlpDecodeException("truncated varint");
            }

            var b = data[position++];

            // The tenth byte carries bit 63 only; anything more overflows 64 bits.
            if (i == 9 && b > 1)
            {
                throw new OtlpDecodeException("varint overflows 64 bits");
            }

            result |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw new OtlpDecodeException("varint longer than 10 bytes");
    }

    public ulong ReadFixed64()
    {
        EnsureAvailable(8, "fixed64");
        var value = BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(position, 8));
        position += 8;
        return value;
    }

    public uint ReadFixed32()
    {
        EnsureAvailable(4, "fixed32");
        var value = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(position, 4));
        position += 4;
        return value;
    }

    public double ReadDouble() => BitConverter.UInt64BitsToDouble(ReadFixed64());

    /// <summary>Reads a length prefix and returns the bytes it covers, without copying.</summary>
    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        var length = ReadVarint();
        if (length > (ulong)Remaining)
        {
            throw new OtlpDecodeException($"length {length} exceeds the {Remaining} bytes left (truncated or malformed input)");
        }

        var slice = data.Slice(position, (int)length);
        position += (int)length;
        return slice;
    }

    public string ReadString()
    {
        var bytes = ReadLengthDelimited();
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new OtlpDecodeException("invalid string value: data is not UTF-8 encoded", e);
        }
    }

    public byte[] ReadBytes() => ReadLengthDelimited().ToArray();

    /// <summary>Skips a field this decoder does not know, whatever its wire type, as protobuf requires.</summary>
    public void SkipField(int fieldNumber, WireType wireType, int depth)
    {
        switch (wireType)
        {
            case WireType.Varint:
                ReadVarint();
                break;
            case WireType.Fixed64:
                Advance(8, "fixed64");
                break;
            case WireType.Fixed32:
                Advance(4, "fixed32");
                break;
            case WireType.LengthDelimited:
                ReadLengthDelimited();
                break;
            case WireType.StartGroup:
                SkipGroup(fieldNumber, depth + 1);
                break;
            default:
                throw new OtlpDecodeException($"unexpected end group tag for field {fieldNumber}");
        }
    }

    /// <summary>Throws unless a known field arrived with the wire type its schema gives it (prost does the same).</summary>
    public static void Expect(WireType actual, WireType expected, string field)
    {
        if (actual != expected)
        {
            throw new OtlpDecodeException($"invalid wire type for {field}: expected {expected}, got {actual}");
        }
    }

    public static void CheckDepth(int depth)
    {
        if (depth > MaxDepth)
        {
            throw new OtlpDecodeException($"recursion limit of {MaxDepth} reached");
        }
    }

    private void SkipGroup(int groupField, int depth)
    {
        CheckDepth(depth);
        while (true)
        {
            if (!TryReadTag(out var field, out var type))
            {
                throw new OtlpDecodeException($"truncated group for field {groupField}");
            }

            if (type == WireType.EndGroup)
            {
                if (field != groupField)
                {
                    throw new OtlpDecodeException($"unexpected end group tag: expected field {groupField}, got {field}");
                }

                return;
            }

            SkipField(field, type, depth);
        }
    }

    private void Advance(int count, string what)
    {
        EnsureAvailable(count, what);
        position += count;
    }

    private readonly void EnsureAvailable(int count, string what)
    {
        if (Remaining < count)
        {
            throw new OtlpDecodeException($"truncated {what}: {count} bytes needed, {Remaining} left");
        }
    }
}
