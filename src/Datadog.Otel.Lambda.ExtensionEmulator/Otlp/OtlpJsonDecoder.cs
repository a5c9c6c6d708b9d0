// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using System.Text.Json;
using Datadog.Otel.Lambda.ExtensionEmulator.Otlp.Model;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Otlp;

/// <summary>
/// Decodes an OTLP/JSON <c>ExportTraceServiceRequest</c> (the proto3 JSON mapping as OTLP specifies it):
/// lowerCamelCase field names, trace and span ids as hex strings, enums as integers, 64-bit integers as
/// strings or numbers, <c>bytesValue</c> as base64. Unknown fields are ignored and <c>null</c> means "absent".
/// Timestamps are read leniently the way the extension normalises them (v94+): a string, a number or a
/// <c>{"low":…,"high":…}</c> object.
/// </summary>
internal static class OtlpJsonDecoder
{
    // serde_json, which the extension uses, stops at 128 levels of nesting.
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 128 };

    public static OtlpExportRequest Decode(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new OtlpDecodeException($"invalid JSON: {e.Message}", e);
        }

        using (document)
        {
            try
            {
                var root = document.RootElement;
                RequireObject(root, "ExportTraceServiceRequest");
                var request = new OtlpExportRequest();
                foreach (var item in Array(root, "resourceSpans"))
                {
                    request.ResourceSpans.Add(ReadResourceSpans(item));
                }

                return request;
            }
            catch (InvalidOperationException e)
            {
                // JsonElement getters throw this for text that is not valid UTF-16 (a lone surrogate escape).
                throw new OtlpDecodeException($"invalid JSON value: {e.Message}", e);
            }
        }
    }

    private static OtlpResourceSpans ReadResourceSpans(JsonElement element)
    {
        RequireObject(element, "ResourceSpans");
        var result = new OtlpResourceSpans();
        if (Property(element, "resource") is { } resource)
        {
            RequireObject(resource, "Resource");
            result.Resource = new OtlpResource { DroppedAttributesCount = UInt32(resource, "droppedAttributesCount") };
            ReadAttributes(resource, "attributes", result.Resource.Attributes);
        }

        foreach (var item in Array(element, "scopeSpans"))
        {
            result.ScopeSpans.Add(ReadScopeSpans(item));
        }

        result.SchemaUrl = String(element, "schemaUrl");
        return result;
    }

    private static OtlpScopeSpans ReadScopeSpans(JsonElement element)
    {
        RequireObject(element, "ScopeSpans");
        var result = new OtlpScopeSpans();
        if (Property(element, "scope") is { } scope)
        {
            RequireObject(scope, "InstrumentationScope");
            result.Scope = new OtlpScope
            {
                Name = String(scope, "name"),
                Version = String(scope, "version"),
                DroppedAttributesCount = UInt32(scope, "droppedAttributesCount"),
            };
            ReadAttributes(scope, "attributes", result.Scope.Attributes);
        }

        foreach (var item in Array(element, "spans"))
        {
            result.Spans.Add(ReadSpan(item));
        }

        result.SchemaUrl = String(element, "schemaUrl");
        return result;
    }

    private static OtlpSpan ReadSpan(JsonElement element)
    {
        RequireObject(element, "Span");
        var span = new OtlpSpan
        {
            TraceId = HexBytes(element, "traceId"),
            SpanId = HexBytes(element, "spanId"),
            TraceState = String(element, "traceState"),
            ParentSpanId = HexBytes(element, "parentSpanId"),
            Name = String(element, "name"),
            Kind = Int32(element, "kind"),
            StartTimeUnixNano = Timestamp(element, "startTimeUnixNano"),
            EndTimeUnixNano = Timestamp(element, "endTimeUnixNano"),
            DroppedAttributesCount = UInt32(element, "droppedAttributesCount"),
            DroppedEventsCount = UInt32(element, "droppedEventsCount"),
            DroppedLinksCount = UInt32(element, "droppedLinksCount"),
            Flags = UInt32(element, "flags"),
        };
        ReadAttributes(element, "attributes", span.Attributes);
        foreach (var item in Array(element, "events"))
        {
            span.Events.Add(ReadEvent(item));
        }

        foreach (var item in Array(element, "links"))
        {
            span.Links.Add(ReadLink(item));
        }

        if (Property(element, "status") is { } status)
        {
            RequireObject(status, "Status");
            span.Status = new OtlpStatus { Message = String(status, "message"), Code = Int32(status, "code") };
        }

        return span;
    }

    private static OtlpEvent ReadEvent(JsonElement element)
    {
        RequireObject(element, "Span.Event");
        var result = new OtlpEvent
        {
            TimeUnixNano = Timestamp(element, "timeUnixNano"),
            Name = String(element, "name"),
            DroppedAttributesCount = UInt32(element, "droppedAttributesCount"),
        };
        ReadAttributes(element, "attributes", result.Attributes);
        return result;
    }

    private static OtlpLink ReadLink(JsonElement element)
    {
        RequireObject(element, "Span.Link");
        var result = new OtlpLink
        {
            TraceId = HexBytes(element, "traceId"),
            SpanId = HexBytes(element, "spanId"),
            TraceState = String(element, "traceState"),
            DroppedAttributesCount = UInt32(element, "droppedAttributesCount"),
            Flags = UInt32(element, "flags"),
        };
        ReadAttributes(element, "attributes", result.Attributes);
        return result;
    }

    private static void ReadAttributes(JsonElement owner, string name, List<OtlpKeyValue> target)
    {
        foreach (var item in Array(owner, name))
        {
            target.Add(ReadKeyValue(item));
        }
    }

    private static OtlpKeyValue ReadKeyValue(JsonElement element)
    {
        RequireObject(element, "KeyValue");
        var value = Property(element, "value") is { } v ? ReadAnyValue(v) : null;
        return new OtlpKeyValue(String(element, "key"), value);
    }

    private static OtlpAnyValue ReadAnyValue(JsonElement element)
    {
        RequireObject(element, "AnyValue");
        var value = OtlpAnyValue.Empty;
        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            switch (property.Name)
            {
                case "stringValue":
                    value = OtlpAnyValue.FromString(RequireString(property.Value, "stringValue"));
                    break;
                case "boolValue":
                    value = OtlpAnyValue.FromBool(RequireBool(property.Value, "boolValue"));
                    break;
                case "intValue":
                    value = OtlpAnyValue.FromInt(ParseInt64(property.Value, "intValue"));
                    break;
                case "doubleValue":
                    value = OtlpAnyValue.FromDouble(ParseDouble(property.Value, "doubleValue"));
                    break;
                case "bytesValue":
                    value = OtlpAnyValue.FromBytes(ParseBase64(property.Value, "bytesValue"));
                    break;
                case "arrayValue":
                    RequireObject(property.Value, "ArrayValue");
                    value = OtlpAnyValue.FromArray(Array(property.Value, "values").Select(i => (OtlpAnyValue?)ReadAnyValue(i)).ToList());
                    break;
                case "kvlistValue":
                    RequireObject(property.Value, "KeyValueList");
                    value = OtlpAnyValue.FromKeyValues(Array(property.Value, "values").Select(ReadKeyValue).ToList());
                    break;
                default:
                    break;
            }
        }

        return value;
    }

    private static JsonElement? Property(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static IEnumerable<JsonElement> Array(JsonElement owner, string name)
    {
        if (Property(owner, name) is not { } value)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new OtlpDecodeException($"invalid type for '{name}': expected an array, got {value.ValueKind}");
        }

        return value.EnumerateArray();
    }

    private static string String(JsonElement owner, string name) =>
        Property(owner, name) is { } value ? RequireString(value, name) : string.Empty;

    private static int Int32(JsonElement owner, string name)
    {
        if (Property(owner, name) is not { } value)
        {
            return 0;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var result))
        {
            throw new OtlpDecodeException($"invalid value for '{name}': expected a 32-bit integer, got {value.GetRawText()}");
        }

        return result;
    }

    private static uint UInt32(JsonElement owner, string name)
    {
        if (Property(owner, name) is not { } value)
        {
            return 0;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetUInt32(out var result))
        {
            throw new OtlpDecodeException($"invalid value for '{name}': expected an unsigned 32-bit integer, got {value.GetRawText()}");
        }

        return result;
    }

    /// <summary>
    /// Reads a fixed64 nanosecond timestamp: a decimal string (proto3 JSON), a JSON integer, or the
    /// <c>{"low":…,"high":…}</c> split form old JavaScript SDKs send, rebuilt as <c>high &lt;&lt; 32 | low</c>.
    /// </summary>
    private static ulong Timestamp(JsonElement owner, string name)
    {
        if (Property(owner, name) is not { } value)
        {
            return 0;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.String when ulong.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed):
                return parsed;
            case JsonValueKind.Number when value.TryGetUInt64(out var number):
                return number;
            case JsonValueKind.Object
                when value.TryGetProperty("low", out var low) && low.ValueKind == JsonValueKind.Number && low.TryGetUInt64(out var lowBits)
                && value.TryGetProperty("high", out var high) && high.ValueKind == JsonValueKind.Number && high.TryGetUInt64(out var highBits):
                return (highBits << 32) | (lowBits & 0xFFFF_FFFF);
            default:
                throw new OtlpDecodeException($"invalid value for '{name}': expected an unsigned 64-bit timestamp, got {value.GetRawText()}");
        }
    }

    private static byte[] HexBytes(JsonElement owner, string name)
    {
        var text = String(owner, name);
        if (text.Length % 2 != 0)
        {
            throw new OtlpDecodeException($"invalid hex id for '{name}': odd length {text.Length}");
        }

        try
        {
            return Convert.FromHexString(text);
        }
        catch (FormatException e)
        {
            throw new OtlpDecodeException($"invalid hex id for '{name}': '{text}'", e);
        }
    }

    private static string RequireString(JsonElement value, string name)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw new OtlpDecodeException($"invalid type for '{name}': expected a string, got {value.ValueKind}");
        }

        return value.GetString()!;
    }

    private static bool RequireBool(JsonElement value, string name) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new OtlpDecodeException($"invalid type for '{name}': expected a boolean, got {value.ValueKind}"),
    };

    private static long ParseInt64(JsonElement value, string name)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String
            && long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }

        throw new OtlpDecodeException($"invalid value for '{name}': expected a 64-bit integer, got {value.GetRawText()}");
    }

    private static double ParseDouble(JsonElement value, string name)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number))
        {
            return number;
        }

        // proto3 JSON writes the non-finite values as strings.
        if (value.ValueKind == JsonValueKind.String)
        {
            switch (value.GetString())
            {
                case "NaN":
                    return double.NaN;
                case "Infinity":
                    return double.PositiveInfinity;
                case "-Infinity":
                    return double.NegativeInfinity;
                case var text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed):
                    return parsed;
                default:
                    break;
            }
        }

        throw new OtlpDecodeException($"invalid value for '{name}': expected a number, got {value.GetRawText()}");
    }

    private static byte[] ParseBase64(JsonElement value, string name)
    {
        var text = RequireString(value, name);

        // proto3 JSON accepts both the standard and the URL-safe alphabet, padded or not.
        var standard = text.Replace('-', '+').Replace('_', '/');
        standard = standard.PadRight(standard.Length + ((4 - (standard.Length % 4)) % 4), '=');
        try
        {
            return Convert.FromBase64String(standard);
        }
        catch (FormatException e)
        {
            throw new OtlpDecodeException($"invalid base64 for '{name}'", e);
        }
    }

    private static void RequireObject(JsonElement value, string what)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new OtlpDecodeException($"invalid type for {what}: expected an object, got {value.ValueKind}");
        }
    }
}
