// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Differential.Tests.Reference;

/// <summary>The MessagePack decoder on hand-encoded bytes (the encodings dd-trace's v0.4 payloads use).</summary>
public sealed class MessagePackReaderTests
{
    [Fact]
    public void DecodesTheTypesOfATracePayload()
    {
        byte[] bytes =
        [
            0x91, // array of 1
            0x85, // map of 5
            0xa8, .. "trace_id"u8, 0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, // uint64 above long.MaxValue
            0xa5, .. "start"u8, 0xd3, 0x18, 0xee, 0xe5, 0x08, 0x2c, 0x4b, 0x00, 0x40, // int64
            0xa4, .. "meta"u8, 0x81, 0xa1, (byte)'k', 0xd9, 0x03, (byte)'v', (byte)'a', (byte)'l', // str8
            0xa7, .. "metrics"u8, 0x82, 0xa1, (byte)'a', 0xcb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 0xa1, (byte)'b', 0xff, // float64 1.5, fixint -1
            0xa4, .. "flag"u8, 0xc3,
        ];

        var root = Assert.IsType<List<object?>>(MessagePackReader.Decode(bytes));
        var span = Assert.IsType<Dictionary<string, object?>>(Assert.Single(root));
        Assert.Equal(ulong.MaxValue - 1, span["trace_id"]);
        Assert.Equal(0x18eee5082c4b0040L, span["start"]);
        Assert.Equal("val", Assert.IsType<Dictionary<string, object?>>(span["meta"])["k"]);
        var metrics = Assert.IsType<Dictionary<string, object?>>(span["metrics"]);
        Assert.Equal(1.5, metrics["a"]);
        Assert.Equal(-1L, metrics["b"]);
        Assert.Equal(true, span["flag"]);
    }

    [Theory]
    [InlineData(new byte[] { 0x92, 0x01 })] // an array of 2 with one element
    [InlineData(new byte[] { 0xdd, 0x7f, 0xff, 0xff, 0xff })] // a count far beyond the payload: refused, not allocated
    [InlineData(new byte[] { 0xc1 })] // a reserved type
    [InlineData(new byte[] { 0x81, 0x01, 0x01 })] // a map key that is not a string
    [InlineData(new byte[] { 0x01, 0x02 })] // bytes after the value
    public void RefusesCorruptPayloads(byte[] bytes) =>
        Assert.Throws<FormatException>(() => MessagePackReader.Decode(bytes));
}
