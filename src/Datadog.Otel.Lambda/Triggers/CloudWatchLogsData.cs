// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers;
using System.IO.Compression;
using System.Text.Json;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// The log group of a CloudWatch Logs subscription's gzipped, base64-encoded <c>awslogs.data</c>.
/// Only the start is decoded and decompressed (the log group comes third, after <c>messageType</c> and <c>owner</c>):
/// a hostile or simply large payload costs a few kilobytes, never its size.
/// </summary>
internal static class CloudWatchLogsData
{
    private const int MaxDecompressedBytes = 64 * 1024;

    /// <summary>Base64 characters decoded: more compressed input than the decompressed bound can need.</summary>
    private const int MaxBase64Chars = 128 * 1024;

    internal static string? ReadLogGroup(string base64)
    {
        byte[]? compressed = null;
        byte[]? decompressed = null;
        try
        {
            var chars = Math.Min(base64.Length, MaxBase64Chars) & ~3;
            compressed = ArrayPool<byte>.Shared.Rent(chars / 4 * 3);
            if (!Convert.TryFromBase64Chars(base64.AsSpan(0, chars), compressed, out var length))
            {
                return null;
            }

            decompressed = ArrayPool<byte>.Shared.Rent(MaxDecompressedBytes);
            var total = 0;
            try
            {
                using var input = new MemoryStream(compressed, 0, length);
                using var gzip = new GZipStream(input, CompressionMode.Decompress);
                int read;
                while (total < MaxDecompressedBytes && (read = gzip.Read(decompressed, total, MaxDecompressedBytes - total)) > 0)
                {
                    total += read;
                }
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException)
            {
                // The decoded input may end inside the stream: what was inflated before is read.
            }

            // Only the logGroup member is needed; it comes before the (possibly truncated) log events.
            var reader = new Utf8JsonReader(decompressed.AsSpan(0, total), isFinalBlock: false, state: default);
            var depth = 0;
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        depth++;
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        depth--;
                        break;
                    case JsonTokenType.PropertyName when depth == 1 && reader.ValueTextEquals("logGroup"):
                        return reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
            }

            return null;
        }
        catch (Exception ex) when (ex is InvalidDataException or JsonException or IOException or InvalidOperationException)
        {
            return null;
        }
        finally
        {
            if (compressed is not null)
            {
                ArrayPool<byte>.Shared.Return(compressed);
            }

            if (decompressed is not null)
            {
                ArrayPool<byte>.Shared.Return(decompressed);
            }
        }
    }
}
