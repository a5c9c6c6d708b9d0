// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.ExtensionEmulator.Otlp.Model;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Otlp;

/// <summary>
/// Decodes an OTLP <c>ExportTraceServiceRequest</c> in the protobuf wire format (opentelemetry-proto
/// <c>collector/trace/v1</c>, <c>trace/v1</c>, <c>common/v1</c>, <c>resource/v1</c>). Unknown fields are
/// skipped; a known field with the wrong wire type, a truncated field or invalid UTF-8 fails the whole
/// request, like prost in the extension. A singular message field that repeats is merged into the first.
/// </summary>
internal static class OtlpProtobufDecoder
{
    public static OtlpExportRequest Decode(ReadOnlySpan<byte> body)
    {
        var request = new OtlpExportRequest();
        var reader = new ProtobufReader(body);
        while (reader.TryReadTag(out var field, out var type))
        {
            if (field == 1)
            {
                ProtobufReader.Expect(type, WireType.LengthDelimited, "ExportTraceServiceRequest.resource_spans");
                request.ResourceSpans.Add(ReadResourceSpans(reader.ReadLengthDelimited(), depth: 1));
            }
            else
            {
                reader.SkipField(field, type, depth: 0);
            }
        }

        return request;
    }

    private static OtlpResourceSpans ReadResourceSpans(ReadOnlySpan<byte> data, int depth)
    {
        var result = new OtlpResourceSpans();
        var reader = new ProtobufReader(data);
        while (reader.TryReadTag(out var field, out var type))
        {
            switch (field)
            {
                case 1:
                    ProtobufReader.Expect(type, WireType.LengthDelimited, "ResourceSpans.resource");
                    result.Resource ??= new OtlpResource();
                    MergeResource(reader.ReadLengthDelimited(), result.Resource, depth + 1);
                    break;
                case 2:
                    ProtobufReader.Expect(type, WireType.LengthDelimited, "ResourceSpans.scope_spans");
                    result.ScopeSpans.Add(ReadScopeSpans(reader.ReadLengthDelimited(), depth + 1));
                    break;
                case 3:
                    ProtobufReader.Expect(type, WireType.LengthDelimited, "ResourceSpans.schema_url");
                    result.SchemaUrl = reader.ReadString();
                    break;
                default:
                    reader.SkipField(field, type, depth);
                    break;
            }
        }

        return result;
    }

    private static void MergeResource(ReadOnlySpan<byte> data, OtlpResource resource, int depth)
    {
        var reader = new ProtobufReader(data);
        while (reader.TryReadTag(out var field, out var type))
        {
            switch (field)
            {
                case 1:
                    ProtobufReader.Expect(type, WireType.LengthDelimited, "Resource.attributes");
                    resource.Attributes.Add(ReadKeyValue(reader.ReadLengthDelimited(), depth + 1));
                    break;
                case 2:
                    ProtobufReader.Expect(type, WireType.Varint, "Resource.dropped_attributes_count");
                    resource.DroppedAttributesCount = (uint)reader.ReadVarint();
                    break;
                default:
                    reader.SkipField(field, type, depth);
                    break;
            }
        }
    }

    private static OtlpScopeSpans ReadScopeSpans(ReadOnlySpan<byte> data, int depth)
    {
        var result = new OtlpScopeSpans();
        var reader = new ProtobufReader(data);
        while (reader.TryReadTag(out var field, out var type))
        {
            switch (field)
            {
                case 1:
                    ProtobufReader.Expect(type, WireType.LengthDelimited, "ScopeSpans.scope");
                    result.Scope ??= new OtlpScope();
                    MergeScope(reader.ReadLengthDelimited(), result.Scope, depth + 1);
                    break;
                case 2:
                    ProtobufReader.Expect(type, WireType.LengthDelimited, "ScopeSpans.spans");
                    result.Spans.Add(ReadSpan(reader.ReadLengthDelimited(), depth + 1));
                    break;
                case 3:
                    ProtobufReader.Expect(type, WireType.LengthDelimited, "ScopeSpans.schema_url");
                    result.SchemaUrl = reader.ReadString();
                    break;
                default:
                    reader.SkipField(field, type, depth);
                    break;
            }
        }

        return result;
    }

    private static void MergeScope(ReadOnlySpan<byte> data, OtlpScope scope, int depth)
    {
        var reader = new ProtobufReader(data);
        while (reader.TryReadTag(out var field, out var type))
        {
            switch (field)
            {
                case 1:
                    ProtobufReader.Expect(type, WireType.LengthDelimited, "InstrumentationScope.name");
                    scope.Name = reader.ReadString();
                    break;
                case 2:
                    ProtobufReader.Expect(type, WireType.LengthDelimited, "InstrumentationScope.version");
                    scope.Version = reader.ReadString();
                    break;
                case 3:
                    ProtobufReader.Expect(type, WireType.LengthDelimited, "InstrumentationScope.attributes");
                    scope.Attributes.Add(ReadKeyValue(reader.ReadLengthDelimited(), depth + 1));
                    break;
                case 4:
                    ProtobufReader.Expect(type, WireType.Varint, "InstrumentationScope.dropped_attributes_count");
                    scope.DroppedAttributesCount = (uint)reader.ReadVarint();
                    break;
                default:
                    reader.SkipField(field, type, depth);
                    break;
            }
        }
    }

    private static OtlpSpan ReadSpan(ReadOnlySpan<byte> data, int depth)
    {
        var span = new OtlpSpan();
        var reader = new ProtobufReader(data);
        while (reader.TryReadTag(out var field, out var type))
        {
            switch (field)
            {
                case 1:
                    ProtobufReader.Expect(type, WireType.LengthDelimited, "Span.trace_id");
                    span.TraceId = reader.ReadBytes();
                    break;
                case 2:
                    ProtobufReader.Expect(type, WireType.LengthDelimited, "Span.span_id");
                    span.SpanId = reader.ReadBytes();
                    break;
                case 3:
                    ProtobufReader.Expect(type, WireType.LengthDelimited, "Span.trace_state");
                    span.TraceState = reader.ReadString();
                    break;
                case 4:
                    ProtobufReader.Expect(type, WireType.LengthDelimited, "Span.parent_span_id");
                    span.ParentSpanId = reader.ReadBytes();
                    break;
                case 5:
                    ProtobufReader.Expect(type, WireType.LengthDelimited, "Span.name");
                    span.Name = reader.ReadString();
                    break;
                case 6:
                    ProtobufReader.Expect(type, WireType.Varint, "Span.kind");
                    span.Kind = (int)reader.ReadVarint();
                    break;
                case 7:
                    ProtobufReader.Expect(type, WireType.Fixed64, "Span.start_time_unix_nano");
                    span.StartTimeUnixNano = reader.ReadFixed64();
                    break;
                case 8:
                    ProtobufReader.Expect(type, WireType.Fixed64, "Span.end_time_unix_nano");
                    span.EndTimeUnixNano = reader.ReadFixed64();
                    break;
                case 9:
                    ProtobufReader.Expect(type, WireType.LengthDelimited, "Span.attributes");
                    span.Attributes.Add(ReadKeyValue(reader.ReadLengthDelimited(), depth + 1));
                    break;
                case 10:
                    ProtobufReader.Expect(type, WireType.Varint, "Span.dropped_attributes_count");
                    span.DroppedAttributesCount = (uint)reader.ReadVarint();
                    break;
                case 11:
                    ProtobufReader.Expect(type, WireType.LengthDelimited, "Span.events");
                    span.Events.Add(ReadEvent(reader.ReadLengthDelimited(), depth + 1));
                    break;
                case 12:
                    ProtobufReader.Expect(type, WireType.Varint, "Span.dropped_events_count");
                    span.DroppedEventsCount = (uint)reader.ReadVarint();
                    break;
                case 13:
                    ProtobufReader.Expect(type, WireType.LengthDelimited, "Span.links");
                    span.Links.Add(ReadLink(reader.ReadLengthDelimited(), depth + 1));
                    break;
                case 14:
                    ProtobufReader.Expect(type, WireType.Varint, "Span.dropped_links_count");
                    span.DroppedLinksCount = (uint)reader.ReadVarint();
                    break;
                case 15:
                    ProtobufReader.Expect(type, WireType.LengthDelimited, "Span.status");
                    span.Status ??= new OtlpStatus();
                    MergeStatus(reader.ReadLengthDelimited(), span.Status, depth + 1);
                    break;
                case 16:
                    ProtobufReader.Expect(type, WireType.Fixed32, "Span.flags");
                    span.Flags = reader.ReadFixed32();
                    break;
                default:
                    reader.SkipField(field, type, depth);
                    break;
            }
        }

        return span;
    }

    private static OtlpEvent ReadEvent(ReadOnlySpan<byte> data, int depth)
    {
        var result = new OtlpEvent();
        var reader = new ProtobufReader(data);
        while (reader.TryReadTag(out var field, out var type))
        {
            switch (field)
            {
                case 1:
                    ProtobufReader.Expect(type, WireType.Fixed64, "Span.Event.time_unix_nano");
                    result.TimeUnixNano = reader.ReadFixed64();
                    break;
                case 2:
                    ProtobufReader.Expect(type, WireType.LengthDelimited, "Span.Event.name");
                    result.Name = reader.ReadString();
                    break;
                case 3:
                    ProtobufReader.Expect(type, WireType.LengthDelimited, "Span.Event.attributes");
                    result.Attributes.Add(ReadKeyValue(reader.ReadLengthDelimited(), depth + 1));
                    break;
                case 4:
                    ProtobufReader.Expect(type, WireType.Varint, "Span.Event.dropped_attributes_count");
                    result.DroppedAttributesCount = (uint)reader.ReadVarint();
                    break;
                default:
                    reader.SkipField(field, type, depth);
                    break;
            }
        }

        return result;
    }

    private static OtlpLink ReadLink(ReadOnlySpan<byte> data, int depth)
    {
        var result = new OtlpLink();
        var reader = new ProtobufReader(data);
        while (reader.TryReadTag(out var field, out var type))
        {
            switch (field)
            {
                case 1:
                    ProtobufReader.Expect(type, WireType.LengthDelimited, "Span.Link.trace_id");
                    result.TraceId = reader.ReadBytes();
                    break;
                case 2:
                    ProtobufReader.Expect(type, WireType.LengthDelimited, "Span.Link.span_id");
                    result.SpanId = reader.ReadBytes();
                    break;
                case 3:
                    ProtobufReader.Expect(type, WireType.LengthDelimited, "Span.Link.trace_state");
                    result.TraceState = reader.ReadString();
                    break;
                case 4:
                    ProtobufReader.Expect(type, WireType.LengthDelimited, "Span.Link.attributes");
                    result.Attributes.Add(ReadKeyValue(reader.ReadLengthDelimited(), depth + 1));
                    break;
                case 5:
                    ProtobufReader.Expect(type, WireType.Varint, "Span.Link.dropped_attributes_count");
                    result.DroppedAttributesCount = (uint)reader.ReadVarint();
                    break;
                case 6:
                    ProtobufReader.Expect(type, WireType.Fixed32, "Span.Link.flags");
                    result.Flags = reader.ReadFixed32();
                    break;
                default:
                    reader.SkipField(field, type, depth);
                    break;
            }
        }

        return result;
    }

    private static void MergeStatus(ReadOnlySpan<byte> data, OtlpStatus status, int depth)
    {
        var reader = new ProtobufReader(data);
        while (reader.TryReadTag(out var field, out var type))
        {
            switch (field)
            {
                case 2:
                    ProtobufReader.Expect(type, WireType.LengthDelimited, "Status.message");
                    status.Message = reader.ReadString();
                    break;
                case 3:
                    ProtobufReader.Expect(type, WireType.Varint, "Status.code");
                    status.Code = (int)reader.ReadVarint();
                    break;
                default:
                    reader.SkipField(field, type, depth);
                    break;
            }
        }
    }

    private static OtlpKeyValue ReadKeyValue(ReadOnlySpan<byte> data, int depth)
    {
        ProtobufReader.CheckDepth(depth);
        var key = string.Empty;
        OtlpAnyValue? value = null;
        var reader = new ProtobufReader(data);
        while (reader.TryReadTag(out var field, out var type))
        {
            switch (field)
            {
                case 1:
                    ProtobufReader.Expect(type, WireType.LengthDelimited, "KeyValue.key");
                    key = reader.ReadString();
                    break;
                case 2:
                    ProtobufReader.Expect(type, WireType.LengthDelimited, "KeyValue.value");
                    value = ReadAnyValue(reader.ReadLengthDelimited(), depth + 1);
                    break;
                default:
                    reader.SkipField(field, type, depth);
                    break;
            }
        }

        return new OtlpKeyValue(key, value);
    }

    private static OtlpAnyValue ReadAnyValue(ReadOnlySpan<byte> data, int depth)
    {
        ProtobufReader.CheckDepth(depth);

        // A oneof: when several members are present the last one wins, as protobuf specifies.
        var value = OtlpAnyValue.Empty;
        var reader = new ProtobufReader(data);
        while (reader.TryReadTag(out var field, out var type))
        {
            switch (field)
            {
                case 1:
                    ProtobufReader.Expect(type, WireType.LengthDelimited, "AnyValue.string_value");
                    value = OtlpAnyValue.FromString(reader.ReadString());
                    break;
                case 2:
                    ProtobufReader.Expect(type, WireType.Varint, "AnyValue.bool_value");
                    value = OtlpAnyValue.FromBool(reader.ReadVarint() != 0);
                    break;
                case 3:
                    ProtobufReader.Expect(type, WireType.Varint, "AnyValue.int_value");
                    value = OtlpAnyValue.FromInt(unchecked((long)reader.ReadVarint()));
                    break;
                case 4:
                    ProtobufReader.Expect(type, WireType.Fixed64, "AnyValue.double_value");
                    value = OtlpAnyValue.FromDouble(reader.ReadDouble());
                    break;
                case 5:
                    ProtobufReader.Expect(type, WireType.LengthDelimited, "AnyValue.array_value");
                    value = OtlpAnyValue.FromArray(ReadArrayValue(reader.ReadLengthDelimited(), depth + 1));
                    break;
                case 6:
                    ProtobufReader.Expect(type, WireType.LengthDelimited, "AnyValue.kvlist_value");
                    value = OtlpAnyValue.FromKeyValues(ReadKeyValueList(reader.ReadLengthDelimited(), depth + 1));
                    break;
                case 7:
                    ProtobufReader.Expect(type, WireType.LengthDelimited, "AnyValue.bytes_value");
                    value = OtlpAnyValue.FromBytes(reader.ReadBytes());
                    break;
                default:
                    reader.SkipField(field, type, depth);
                    break;
            }
        }

        return value;
    }

    private static List<OtlpAnyValue?> ReadArrayValue(ReadOnlySpan<byte> data, int depth)
    {
        ProtobufReader.CheckDepth(depth);
        var values = new List<OtlpAnyValue?>();
        var reader = new ProtobufReader(data);
        while (reader.TryReadTag(out var field, out var type))
        {
            if (field == 1)
            {
                ProtobufReader.Expect(type, WireType.LengthDelimited, "ArrayValue.values");
                values.Add(ReadAnyValue(reader.ReadLengthDelimited(), depth + 1));
            }
            else
            {
                reader.SkipField(field, type, depth);
            }
        }

        return values;
    }

    private static List<OtlpKeyValue> ReadKeyValueList(ReadOnlySpan<byte> data, int depth)
    {
        ProtobufReader.CheckDepth(depth);
        var values = new List<OtlpKeyValue>();
        var reader = new ProtobufReader(data);
        while (reader.TryReadTag(out var field, out var type))
        {
            if (field == 1)
            {
                ProtobufReader.Expect(type, WireType.LengthDelimited, "KeyValueList.values");
                values.Add(ReadKeyValue(reader.ReadLengthDelimited(), depth + 1));
            }
            else
            {
                reader.SkipField(field, type, depth);
            }
        }

        return values;
    }
}
