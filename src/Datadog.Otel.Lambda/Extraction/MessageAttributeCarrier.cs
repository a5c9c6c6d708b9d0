// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda.Diagnostics;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Triggers;

namespace Datadog.Otel.Lambda.Extraction;

/// <summary>
/// Decodes the <c>_datadog</c> message attribute — a JSON map of trace headers — in the two spellings AWS delivers:
/// SQS records (<c>dataType</c>, <c>stringValue</c> / base64 <c>binaryValue</c>) and SNS messages (<c>Type</c>,
/// <c>Value</c>: JSON text for <c>String</c>, base64 for <c>Binary</c>). Other data types (Number) are ignored.
/// </summary>
internal static class MessageAttributeCarrier
{
    /// <summary>Attributes are at most 256 KB; a larger one is not decoded.</summary>
    private const int MaxEncodedLength = 1 << 20;

    public static bool TryDecode(TriggerDescription owner, JsonElement attribute, out JsonElement headers)
    {
        headers = default;
        if (attribute.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var type = attribute.GetString("dataType") ?? attribute.GetString("Type") ?? attribute.GetString("DataType");
        if (type is null || type.StartsWith("String", StringComparison.Ordinal))
        {
            var text = attribute.GetString("stringValue") ?? attribute.GetString("Value") ?? attribute.GetString("StringValue");
            return text is not null && Parse(owner, text, out headers);
        }

        if (type.StartsWith("Binary", StringComparison.Ordinal))
        {
            var base64 = attribute.GetString("binaryValue") ?? attribute.GetString("Value") ?? attribute.GetString("BinaryValue");
            return base64 is not null && TryDecodeBase64(owner, base64, out headers);
        }

        Diag.ExtractionSkipped("_datadog attribute", "its data type is not String or Binary");
        return false;
    }

    public static bool TryDecodeBase64(TriggerDescription owner, string base64, out JsonElement headers)
    {
        headers = default;
        if (base64.Length > MaxEncodedLength)
        {
            Diag.ExtractionSkipped("_datadog attribute", "too large");
            return false;
        }

        var bytes = new byte[(base64.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(base64, bytes, out var length))
        {
            Diag.ExtractionSkipped("_datadog attribute", "not valid base64");
            return false;
        }

        if (!owner.TryParseObject(bytes.AsMemory(0, length), out headers))
        {
            Diag.ExtractionSkipped("_datadog attribute", "not a JSON object");
            return false;
        }

        return true;
    }

    private static bool Parse(TriggerDescription owner, string text, out JsonElement headers)
    {
        if (text.Length > MaxEncodedLength || !owner.TryParseObject(text, out headers))
        {
            Diag.ExtractionSkipped("_datadog attribute", "not a JSON object");
            headers = default;
            return false;
        }

        return true;
    }
}
