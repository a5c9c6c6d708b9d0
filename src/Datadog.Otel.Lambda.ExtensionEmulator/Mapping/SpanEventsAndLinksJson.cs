// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using System.Text;
using System.Text.Json;
using Datadog.Otel.Lambda.ExtensionEmulator.Otlp.Model;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Mapping;

/// <summary>
/// The JSON the extension stores in meta <c>events</c> and <c>_dd.span_links</c> (it leaves the native
/// Datadog span events/links empty), and the parse back into <see cref="DatadogSpanEvent"/>/<see cref="DatadogSpanLink"/>.
/// </summary>
/// <remarks>
/// Objects keep the order the extension inserts their keys in: its <c>serde_json</c> is built with
/// <c>preserve_order</c> (a dependency turns the feature on for the whole build), so a map keeps insertion order, and a
/// repeated attribute key keeps its first place with its last value. Attribute values are their text
/// (<see cref="AnyValueText"/>), not typed JSON (the Go agent keeps types; the extension does not).
/// </remarks>
internal static class SpanEventsAndLinksJson
{
    public const string EventsMetaKey = "events";
    public const string LinksMetaKey = "_dd.span_links";

    /// <summary>
    /// <c>[{"time_unix_nano":n,"name":…,"attributes":{…},"dropped_attributes_count":n}]</c>; a zero time, an empty name,
    /// no attributes and a zero dropped count are left out.
    /// </summary>
    public static string MarshalEvents(IReadOnlyList<OtlpEvent> events)
    {
        var builder = new StringBuilder("[");
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var fields = new List<(string Key, Action<StringBuilder> Write)>();
            if (e.TimeUnixNano != 0)
            {
                fields.Add(("time_unix_nano", b => b.Append(e.TimeUnixNano.ToString(CultureInfo.InvariantCulture))));
            }

            if (e.Name.Length != 0)
            {
                fields.Add(("name", b => RustTextFormat.AppendJsonString(b, e.Name)));
            }

            if (e.Attributes.Count != 0)
            {
                fields.Add(("attributes", b => RustTextFormat.AppendJsonStringObject(b, AttributeTexts(e.Attributes), sorted: false)));
            }

            if (e.DroppedAttributesCount > 0)
            {
                fields.Add(("dropped_attributes_count", b => b.Append(e.DroppedAttributesCount.ToString(CultureInfo.InvariantCulture))));
            }

            AppendSeparator(builder, i);
            AppendObject(builder, fields);
        }

        return builder.Append(']').ToString();
    }

    /// <summary>
    /// <c>[{"trace_id":"32 hex","span_id":"16 hex","tracestate":…,"attributes":{…},"dropped_attributes_count":n}]</c>;
    /// the ids are always written, the other fields only when non-empty/non-zero.
    /// </summary>
    public static string MarshalLinks(IReadOnlyList<OtlpLink> links)
    {
        var builder = new StringBuilder("[");
        for (var i = 0; i < links.Count; i++)
        {
            var link = links[i];
            var fields = new List<(string Key, Action<StringBuilder> Write)>
            {
                ("trace_id", b => RustTextFormat.AppendJsonString(b, Hex(link.TraceId))),
                ("span_id", b => RustTextFormat.AppendJsonString(b, Hex(link.SpanId))),
            };
            if (link.TraceState.Length != 0)
            {
                fields.Add(("tracestate", b => RustTextFormat.AppendJsonString(b, link.TraceState)));
            }

            if (link.Attributes.Count != 0)
            {
                fields.Add(("attributes", b => RustTextFormat.AppendJsonStringObject(b, AttributeTexts(link.Attributes), sorted: false)));
            }

            if (link.DroppedAttributesCount > 0)
            {
                fields.Add(("dropped_attributes_count", b => b.Append(link.DroppedAttributesCount.ToString(CultureInfo.InvariantCulture))));
            }

            AppendSeparator(builder, i);
            AppendObject(builder, fields);
        }

        return builder.Append(']').ToString();
    }

    /// <summary>Parses meta <c>_dd.span_links</c> back; an absent or unreadable value gives no links.</summary>
    public static IReadOnlyList<DatadogSpanLink> ParseLinks(IReadOnlyDictionary<string, string> meta) =>
        ParseArray(meta, LinksMetaKey, item => new DatadogSpanLink(
            StringField(item, "trace_id"),
            StringField(item, "span_id"),
            item.TryGetProperty("tracestate", out var state) && state.ValueKind == JsonValueKind.String ? state.GetString() : null,
            AttributesField(item),
            UIntField(item, "dropped_attributes_count")));

    /// <summary>Parses meta <c>events</c> back; an absent or unreadable value gives no events.</summary>
    public static IReadOnlyList<DatadogSpanEvent> ParseEvents(IReadOnlyDictionary<string, string> meta) =>
        ParseArray(meta, EventsMetaKey, item => new DatadogSpanEvent(
            StringField(item, "name"),
            item.TryGetProperty("time_unix_nano", out var time) && time.TryGetUInt64(out var nanos) ? nanos : 0,
            AttributesField(item),
            UIntField(item, "dropped_attributes_count")));

    private static IEnumerable<KeyValuePair<string, string>> AttributeTexts(IReadOnlyList<OtlpKeyValue> attributes)
    {
        // The extension collects them into a JSON object: a repeated key keeps its first place and its last value, as a
        // dictionary that is only added to enumerates them.
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var attribute in attributes)
        {
            if (AnyValueText.ToText(attribute.Value) is { } text)
            {
                map[attribute.Key] = text;
            }
        }

        return map;
    }

    private static void AppendObject(StringBuilder builder, List<(string Key, Action<StringBuilder> Write)> fields)
    {
        builder.Append('{');
        for (var i = 0; i < fields.Count; i++)
        {
            AppendSeparator(builder, i);
            RustTextFormat.AppendJsonString(builder, fields[i].Key);
            builder.Append(':');
            fields[i].Write(builder);
        }

        builder.Append('}');
    }

    private static void AppendSeparator(StringBuilder builder, int index)
    {
        if (index > 0)
        {
            builder.Append(',');
        }
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    private static List<T> ParseArray<T>(IReadOnlyDictionary<string, string> meta, string key, Func<JsonElement, T> read)
    {
        var result = new List<T>();
        if (!meta.TryGetValue(key, out var json))
        {
            return result;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in document.RootElement.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object)
                    {
                        result.Add(read(item));
                    }
                }
            }
        }
        catch (JsonException)
        {
            // A hand-written meta value that is not our JSON: no parsed view, the raw meta stays available.
        }

        return result;
    }

    private static string StringField(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;

    private static uint UIntField(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetUInt32(out var number) ? number : 0;

    private static Dictionary<string, string> AttributesField(JsonElement item)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (item.TryGetProperty("attributes", out var value) && value.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in value.EnumerateObject())
            {
                attributes[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            }
        }

        return attributes;
    }
}
