// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Export;

namespace Datadog.Otel.Lambda.Tests.Export;

public class ProtobufWriterTests
{
    [Theory]
    [InlineData(0UL, new byte[] { 0x00 })]
    [InlineData(1UL, new byte[] { 0x01 })]
    [InlineData(300UL, new byte[] { 0xAC, 0x02 })]
    [InlineData(ulong.MaxValue, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
    public void WritesVarints(ulong value, byte[] expected)
    {
        using var writer = new ProtobufWriter(16);
        writer.WriteVarint(value);
        Assert.Equal(expected, writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void NestedMessageLengthIsAPaddedVarint()
    {
        using var writer = new ProtobufWriter(16);
        var bookmark = writer.BeginMessage(1);
        writer.WriteStringField(2, "abc");
        writer.EndMessage(bookmark);

        // tag(1, LEN) + 4-byte padded length 5 + tag(2, LEN) + 3 + "abc"
        Assert.Equal(new byte[] { 0x0A, 0x85, 0x80, 0x80, 0x00, 0x12, 0x03, (byte)'a', (byte)'b', (byte)'c' }, writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void CompactMessageLengthIsOneByteUnder128()
    {
        using var writer = new ProtobufWriter(16);
        var bookmark = writer.BeginCompactMessage(1);
        writer.WriteStringField(2, "abc");
        writer.EndCompactMessage(bookmark);

        // tag(1, LEN) + length 5 + tag(2, LEN) + 3 + "abc"
        Assert.Equal(new byte[] { 0x0A, 0x05, 0x12, 0x03, (byte)'a', (byte)'b', (byte)'c' }, writer.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData(127, 1)]
    [InlineData(128, 2)]
    [InlineData(20_000, 3)]
    [InlineData(3_000_000, 4)]
    public void CompactMessageMovesItsContentWhenTheLengthNeedsMoreBytes(int contentLength, int lengthBytes)
    {
        using var writer = new ProtobufWriter(4);
        writer.WriteVarintField(7, 1);
        var bookmark = writer.BeginCompactMessage(1);
        var content = new byte[contentLength];
        new Random(contentLength).NextBytes(content);
        writer.WriteRaw(content);
        writer.EndCompactMessage(bookmark);
        writer.WriteVarintField(8, 2);

        var written = writer.WrittenSpan.ToArray();
        Assert.Equal(2 + 1 + lengthBytes + contentLength + 2, written.Length);
        Assert.Equal(new byte[] { 0x38, 0x01, 0x0A }, written[..3]);
        var length = 0UL;
        for (var i = 0; i < lengthBytes; i++)
        {
            length |= (ulong)(written[3 + i] & 0x7F) << (7 * i);
            Assert.Equal(i < lengthBytes - 1, (written[3 + i] & 0x80) != 0);
        }

        Assert.Equal((ulong)contentLength, length);
        Assert.Equal(content, written[(3 + lengthBytes)..^2]);
        Assert.Equal(new byte[] { 0x40, 0x02 }, written[^2..]);
    }

    [Fact]
    public void GrowsPastTheInitialBuffer()
    {
        using var writer = new ProtobufWriter(4);
        var text = new string('x', 100_000);
        writer.WriteStringField(1, text);
        Assert.Equal(1 + 3 + 100_000, writer.Length);
    }

    [Fact]
    public void CutsLongStringsWithoutSplittingSurrogates()
    {
        using var writer = new ProtobufWriter(16);
        writer.WriteStringField(1, "ab\U0001F600c", maxChars: 3);
        Assert.Equal(new byte[] { 0x0A, 0x02, (byte)'a', (byte)'b' }, writer.WrittenSpan.ToArray());
    }
}
