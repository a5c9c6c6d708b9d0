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
