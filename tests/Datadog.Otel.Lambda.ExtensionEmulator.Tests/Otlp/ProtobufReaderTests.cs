// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.ExtensionEmulator.Otlp;
using Datadog.Otel.Lambda.ExtensionEmulator.Tests.TestSupport;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Tests.Otlp;

public class ProtobufReaderTests
{
    [Theory]
    [InlineData(new byte[] { 0x00 }, 0UL)]
    [InlineData(new byte[] { 0x96, 0x01 }, 150UL)]
    [InlineData(new byte[] { 0x85, 0x80, 0x80, 0x00 }, 5UL)] // 4-byte padded, as the .NET OTLP exporter writes lengths
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 }, 0UL)] // 10 bytes of padding
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 }, ulong.MaxValue)]
    public void ReadVarint_AcceptsMinimalAndPaddedEncodings(byte[] input, ulong expected)
    {
        var reader = new ProtobufReader(input);
        Assert.Equal(expected, reader.ReadVarint());
        Assert.True(reader.IsAtEnd);
    }

    [Theory]
    [InlineData(new byte[] { 0x80 })] // continuation bit, then nothing
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02 })] // overflows 64 bits
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 })] // 11 bytes
    public void ReadVarint_RejectsTruncatedOrOverlongInput(byte[] input)
    {
        Assert.Throws<OtlpDecodeException>(() => new ProtobufReader(input).ReadVarint());
    }

    [Fact]
    public void ReadLengthDelimited_RejectsALengthBeyondTheInputWithoutAllocating()
    {
        // A length prefix of 2^62 must not make the reader try to allocate anything.
        var input = new ProtoWriter().Tag(1, 2).Raw(ProtoWriter.PaddedVarint(1UL << 62, 9)).Raw(1, 2, 3).ToArray();
        var exception = Assert.Throws<OtlpDecodeException>(() =>
        {
            var reader = new ProtobufReader(input);
            reader.TryReadTag(out _, out _);
            reader.ReadLengthDelimited();
        });
        Assert.Contains("exceeds", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x00 })] // field number 0
    [InlineData(new byte[] { 0x0E })] // wire type 6
    [InlineData(new byte[] { 0x0F })] // wire type 7
    public void TryReadTag_RejectsInvalidTags(byte[] input)
    {
        Assert.Throws<OtlpDecodeException>(() => new ProtobufReader(input).TryReadTag(out _, out _));
    }

    [Fact]
    public void SkipField_SkipsEveryWireTypeIncludingNestedGroups()
    {
        var input = new ProtoWriter().UnknownFields().Varint(1, 7).ToArray();
        var reader = new ProtobufReader(input);
        var fields = new List<int>();
        while (reader.TryReadTag(out var field, out var type))
        {
            if (field == 1)
            {
                Assert.Equal(7UL, reader.ReadVarint());
                fields.Add(field);
            }
            else
            {
                reader.SkipField(field, type, depth: 0);
            }
        }

        Assert.Equal([1], fields);
    }

    [Fact]
    public void SkipField_RejectsAGroupClosedByAnotherField()
    {
        var input = new ProtoWriter().Tag(5, 3).Varint(1, 1).Tag(6, 4).ToArray();
        Assert.Throws<OtlpDecodeException>(() =>
        {
            var reader = new ProtobufReader(input);
            reader.TryReadTag(out var field, out var type);
            reader.SkipField(field, type, depth: 0);
        });
    }

    [Fact]
    public void ReadString_RejectsInvalidUtf8()
    {
        var input = new ProtoWriter().Bytes(1, [0x61, 0xC3, 0x28]).ToArray();
        Assert.Throws<OtlpDecodeException>(() =>
        {
            var reader = new ProtobufReader(input);
            reader.TryReadTag(out _, out _);
            reader.ReadString();
        });
    }
}
