// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using System.Text.Json;
using Datadog.Otel.Lambda.Internal;

namespace Datadog.Otel.Lambda.Extraction;

/// <summary>
/// The headers of the first record of an MSK or self-managed Kafka event: <c>records.{topic-partition}[0].headers</c>,
/// a list of single-entry objects whose value is the header's bytes as an array of numbers.
/// </summary>
internal static class KafkaHeaders
{
    private const int MaxHeaderBytes = 8 * 1024;

    public static bool TryGetFirstRecordHeaders(JsonElement root, out IReadOnlyDictionary<string, string> headers)
    {
        headers = null!;
        if (!root.TryGetObject("records", out var records))
        {
            return false;
        }

        foreach (var partition in records.EnumerateObject())
        {
            if (partition.Value.ValueKind != JsonValueKind.Array || partition.Value.GetArrayLength() == 0
                || !partition.Value[0].TryGetArray("headers", out var list))
            {
                continue;
            }

            var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var entry in list.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                foreach (var header in entry.EnumerateObject())
                {
                    if (header.Value.ValueKind == JsonValueKind.Array && TryReadBytes(header.Value, out var value))
                    {
                        result[header.Name] = value;
                    }
                }
            }

            headers = result;
            return result.Count > 0;
        }

        return false;
    }

    private static bool TryReadBytes(JsonElement array, out string value)
    {
        value = string.Empty;
        var length = array.GetArrayLength();
        if (length > MaxHeaderBytes)
        {
            return false;
        }

        var bytes = new byte[length];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var b) || b is < -128 or > 255)
            {
                return false;
            }

            bytes[i++] = unchecked((byte)b);
        }

        value = Encoding.UTF8.GetString(bytes);
        return true;
    }
}
