// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Datadog.Otel.Lambda.AwsSdk.Injection;

/// <summary>
/// SQS's MD5 of message attributes (what the service returns as <c>MD5OfMessageAttributes</c> and AWSSDK.SQS checks):
/// for each attribute in ordinal name order, the name, the data type, then 1 and the string value or 2 and the binary
/// value; strings and byte arrays prefixed by their big-endian 32-bit length. Computed from the marshalled JSON map.
/// </summary>
internal static class SqsAttributeMd5
{
    /// <summary>The MD5 (lowercase hex) of <paramref name="attributes"/>, or null for list values (not supported here).</summary>
    public static string? Compute(JsonElement attributes)
    {
        var names = new List<string>();
        foreach (var attribute in attributes.EnumerateObject())
        {
            names.Add(attribute.Name);
        }

        names.Sort(StringComparer.Ordinal);
        using var buffer = new MemoryStream();
        foreach (var name in names)
        {
            var value = attributes.GetProperty(name);
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("DataType"u8, out var type) || type.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            WriteText(buffer, name);
            WriteText(buffer, type.GetString()!);
            if (value.TryGetProperty("StringValue"u8, out var text) && text.ValueKind == JsonValueKind.String)
            {
                buffer.WriteByte(1);
                WriteText(buffer, text.GetString()!);
            }
            else if (value.TryGetProperty("BinaryValue"u8, out var binary) && binary.ValueKind == JsonValueKind.String && binary.TryGetBytesFromBase64(out var bytes))
            {
                buffer.WriteByte(2);
                WriteBytes(buffer, bytes);
            }
            else
            {
                return null;
            }
        }

        var hash = MD5.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        return string.Create(hash.Length * 2, hash, static (chars, bytes) =>
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                chars[2 * i] = "0123456789abcdef"[bytes[i] >> 4];
                chars[(2 * i) + 1] = "0123456789abcdef"[bytes[i] & 0xF];
            }
        });
    }

    private static void WriteText(MemoryStream buffer, string text) => WriteBytes(buffer, Encoding.UTF8.GetBytes(text));

    private static void WriteBytes(MemoryStream buffer, byte[] bytes)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        buffer.Write(length);
        buffer.Write(bytes);
    }
}
