// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers.Binary;
using System.IO.Compression;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Tests.TestSupport;

/// <summary>
/// Decodes the 8-bit RGB/RGBA, non-interlaced PNG files chromium writes for screenshots, so that tests can count
/// the pixels of a colour (no image package is needed for that).
/// </summary>
internal sealed class PngPixels
{
    private readonly byte[] pixels;
    private readonly int channels;

    private PngPixels(int width, int height, int channels, byte[] pixels)
    {
        Width = width;
        Height = height;
        this.channels = channels;
        this.pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public static PngPixels Load(string path)
    {
        var file = File.ReadAllBytes(path);
        Assert.True(file.AsSpan(0, 8).SequenceEqual(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }), "not a PNG file");
        int width = 0, height = 0, channels = 0;
        using var idat = new MemoryStream();
        for (var offset = 8; offset < file.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(offset));
            var type = System.Text.Encoding.ASCII.GetString(file, offset + 4, 4);
            var data = file.AsSpan(offset + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(8, data[8]);
                channels = data[9] switch { 2 => 3, 6 => 4, var other => throw new NotSupportedException("PNG colour type " + other) };
                Assert.Equal(0, data[12]);
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }

            offset += 12 + length;
        }

        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        return new PngPixels(width, height, channels, Unfilter(inflated.ToArray(), width, height, channels));
    }

    /// <summary>Counts the pixels within <paramref name="tolerance"/> of a colour on each channel.</summary>
    public int Count(byte r, byte g, byte b, int tolerance = 12)
    {
        var count = 0;
        for (var i = 0; i < pixels.Length; i += channels)
        {
            if (Math.Abs(pixels[i] - r) <= tolerance && Math.Abs(pixels[i + 1] - g) <= tolerance && Math.Abs(pixels[i + 2] - b) <= tolerance)
            {
                count++;
            }
        }

        return count;
    }

    private static byte[] Unfilter(byte[] data, int width, int height, int channels)
    {
        var stride = width * channels;
        var result = new byte[stride * height];
        for (var y = 0; y < height; y++)
        {
            var filter = data[y * (stride + 1)];
            var source = data.AsSpan((y * (stride + 1)) + 1, stride);
            var row = result.AsSpan(y * stride, stride);
            var previous = y == 0 ? new byte[stride] : result.AsSpan((y - 1) * stride, stride);
            for (var x = 0; x < stride; x++)
            {
                int left = x >= channels ? row[x - channels] : 0;
                int up = previous[x];
                int upLeft = x >= channels ? previous[x - channels] : 0;
                row[x] = (byte)(source[x] + filter switch
                {
                    0 => 0,
                    1 => left,
                    2 => up,
                    3 => (left + up) / 2,
                    4 => Paeth(left, up, upLeft),
                    _ => throw new NotSupportedException("PNG filter " + filter),
                });
            }
        }

        return result;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
