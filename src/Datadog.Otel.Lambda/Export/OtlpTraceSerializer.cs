// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Globalization;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Propagation;
using Datadog.Otel.Lambda.SnapStart;
using OpenTelemetry.Resources;

namespace Datadog.Otel.Lambda.Export;

/// <summary>
/// Encodes finished activities as an OTLP <c>ExportTraceServiceRequest</c> (protobuf). Spans are written in batch
/// order, opening a new <c>ScopeSpans</c> whenever the source changes, and a request is closed as soon as it passes
/// the size budget so that the caller can send the rest in another request.
/// </summary>
internal sealed class OtlpTraceSerializer
{
    // Field numbers from opentelemetry/proto/trace/v1/trace.proto and common/v1/common.proto.
    private const int RequestResourceSpans = 1;
    private const int ResourceSpansResource = 1;
    private const int ResourceSpansScopeSpans = 2;
    private const int ResourceAttributes = 1;
    private const int ScopeSpansScope = 1;
    private const int ScopeSpansSpans = 2;
    private const int ScopeName = 1;
    private const int ScopeVersion = 2;
    private const int SpanTraceId = 1;
    private const int SpanSpanId = 2;
    private const int SpanTraceState = 3;
    private const int SpanParentSpanId = 4;
    private const int SpanName = 5;
    private const int SpanKind = 6;
    private const int SpanStartTime = 7;
    private const int SpanEndTime = 8;
    private const int SpanAttributes = 9;
    private const int SpanDroppedAttributes = 10;
    private const int SpanEvents = 11;
    private const int SpanDroppedEvents = 12;
    private const int SpanLinks = 13;
    private const int SpanDroppedLinks = 14;
    private const int SpanStatus = 15;
    private const int SpanFlags = 16;
    private const int EventTime = 1;
    private const int EventName = 2;
    private const int EventAttributes = 3;
    private const int EventDroppedAttributes = 4;
    private const int LinkTraceId = 1;
    private const int LinkSpanId = 2;
    private const int LinkTraceState = 3;
    private const int LinkAttributes = 4;
    private const int LinkDroppedAttributes = 5;
    private const int LinkFlags = 6;
    private const int StatusMessage = 2;
    private const int StatusCode = 3;
    private const int KeyValueKey = 1;
    private const int KeyValueValue = 2;
    private const int AnyValueString = 1;
    private const int AnyValueBool = 2;
    private const int AnyValueInt = 3;
    private const int AnyValueDouble = 4;
    private const int AnyValueArray = 5;
    private const int ArrayValues = 1;

    // OTLP span flags: bits 0-7 are the W3C trace flags, bit 8 says whether bit 9 (parent is remote) is known.
    private const uint FlagsContextHasIsRemote = 0x100;
    private const uint FlagsContextIsRemote = 0x200;

    private const long UnixEpochTicks = 621355968000000000L;

    private readonly OtlpExporterSettings settings;
    private byte[]? resourceBytes;
    private string? lastTraceState;
    private int lastTraceStatePriority;
    private bool lastTraceStateHasPriority;

    public OtlpTraceSerializer(OtlpExporterSettings settings)
    {
        this.settings = settings;
    }

    /// <summary>Pre-encodes the resource once; every request carries the same one.</summary>
    public void SetResource(Resource resource)
    {
        using var writer = new ProtobufWriter(1024);
        foreach (var attribute in resource.Attributes)
        {
            this.WriteKeyValue(writer, ResourceAttributes, attribute.Key, attribute.Value);
        }

        this.resourceBytes = writer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Writes one request with spans starting at <paramref name="start"/> and returns the index of the first span not
    /// written (equal to <c>spans.Count</c> when everything fit). At least one span is always written.
    /// </summary>
    public int WriteRequest(ProtobufWriter writer, IReadOnlyList<Activity> spans, int start)
    {
        writer.Reset();
        var resourceSpans = writer.BeginMessage(RequestResourceSpans);
        var resource = writer.BeginMessage(ResourceSpansResource);
        writer.WriteRaw(this.resourceBytes ?? []);
        writer.EndMessage(resource);

        ActivitySource? currentSource = null;
        var scopeSpans = -1;
        var index = start;
        while (index < spans.Count)
        {
            var activity = spans[index];
            if (!ReferenceEquals(activity.Source, currentSource))
            {
                if (scopeSpans >= 0)
                {
                    writer.EndMessage(scopeSpans);
                }

                currentSource = activity.Source;
                scopeSpans = writer.BeginMessage(ResourceSpansScopeSpans);
                var scope = writer.BeginMessage(ScopeSpansScope);
                writer.WriteStringField(ScopeName, currentSource.Name);
                if (!string.IsNullOrEmpty(currentSource.Version))
                {
                    writer.WriteStringField(ScopeVersion, currentSource.Version);
                }

                writer.EndMessage(scope);
            }

            var before = writer.Length;
            try
            {
                this.WriteSpan(writer, activity);
            }
#pragma warning disable CA1031 // One unserializable span must not lose the rest of the batch.
            catch (Exception)
#pragma warning restore CA1031
            {
                writer.Truncate(before);
            }

            index++;
            if (writer.Length >= this.settings.MaxRequestBytes)
            {
                break;
            }
        }

        if (scopeSpans >= 0)
        {
            writer.EndMessage(scopeSpans);
        }

        writer.EndMessage(resourceSpans);
        return index;
    }

    internal static ulong ToUnixNanoseconds(DateTime utc) => (ulong)(utc.Ticks - UnixEpochTicks) * 100UL;

    private static int MapKind(ActivityKind kind) => kind switch
    {
        ActivityKind.Server => 2,
        ActivityKind.Client => 3,
        ActivityKind.Producer => 4,
        ActivityKind.Consumer => 5,
        _ => 1,
    };

    private void WriteSpan(ProtobufWriter writer, Activity activity)
    {
        var span = writer.BeginMessage(ScopeSpansSpans);
        Span<byte> id = stackalloc byte[16];
        activity.TraceId.CopyTo(id);
        writer.WriteBytesField(SpanTraceId, id);
        RestoredSpanIds.Local(activity.SpanId).CopyTo(id[..8]);
        writer.WriteBytesField(SpanSpanId, id[..8]);
        var traceState = activity.TraceStateString;
        if (!string.IsNullOrEmpty(traceState))
        {
            writer.WriteStringField(SpanTraceState, traceState);
        }

        if (activity.ParentSpanId != default)
        {
            RestoredSpanIds.Parent(activity).CopyTo(id[..8]);
            writer.WriteBytesField(SpanParentSpanId, id[..8]);
        }

        writer.WriteStringField(SpanName, activity.DisplayName);
        writer.WriteVarintField(SpanKind, (ulong)MapKind(activity.Kind));
        var startNanos = ToUnixNanoseconds(activity.StartTimeUtc);
        writer.WriteFixed64Field(SpanStartTime, startNanos);
        writer.WriteFixed64Field(SpanEndTime, startNanos + ((ulong)Math.Max(0, activity.Duration.Ticks) * 100UL));

        var statusCode = activity.Status;
        var statusDescription = activity.StatusDescription;
        var written = 0;
        var dropped = 0;
        var hasPriority = false;
        foreach (ref readonly var tag in activity.EnumerateTagObjects())
        {
            if (tag.Value is null)
            {
                continue;
            }

            // Older instrumentations report the status as tags; OTLP has a field for it.
            if (tag.Key == "otel.status_code")
            {
                if (statusCode == ActivityStatusCode.Unset && tag.Value is string code)
                {
                    statusCode = code == "ERROR" ? ActivityStatusCode.Error : code == "OK" ? ActivityStatusCode.Ok : ActivityStatusCode.Unset;
                }

                continue;
            }

            if (tag.Key == "otel.status_description")
            {
                statusDescription ??= tag.Value as string;
                continue;
            }

            if (tag.Key == TagNames.SamplingPriority)
            {
                hasPriority = true;
            }
            else if (written >= this.settings.AttributeCountLimit)
            {
                dropped++;
                continue;
            }

            this.WriteKeyValue(writer, SpanAttributes, tag.Key, tag.Value);
            written++;
        }

        // The extension takes a chunk's sampling priority from its root span or the first span that has one; spans of
        // a trace can reach it in different requests, so every span carries the priority of its trace state.
        if (!hasPriority && this.TryGetPriority(traceState, out var priority))
        {
            this.WriteKeyValue(writer, SpanAttributes, TagNames.SamplingPriority, (long)priority);
        }

        if (dropped > 0)
        {
            writer.WriteVarintField(SpanDroppedAttributes, (ulong)dropped);
        }

        this.WriteEvents(writer, activity);
        this.WriteLinks(writer, activity);

        if (statusCode != ActivityStatusCode.Unset)
        {
            var status = writer.BeginMessage(SpanStatus);
            if (statusCode == ActivityStatusCode.Error && !string.IsNullOrEmpty(statusDescription))
            {
                writer.WriteStringField(StatusMessage, statusDescription, this.settings.AttributeValueLengthLimit);
            }

            writer.WriteVarintField(StatusCode, statusCode == ActivityStatusCode.Ok ? 1UL : 2UL);
            writer.EndMessage(status);
        }

        var flags = (uint)activity.ActivityTraceFlags | FlagsContextHasIsRemote | (activity.HasRemoteParent ? FlagsContextIsRemote : 0);
        writer.WriteFixed32Field(SpanFlags, flags);
        writer.EndMessage(span);
    }

    private void WriteEvents(ProtobufWriter writer, Activity activity)
    {
        var count = 0;
        var dropped = 0;
        foreach (ref readonly var activityEvent in activity.EnumerateEvents())
        {
            if (count >= this.settings.EventCountLimit)
            {
                dropped++;
                continue;
            }

            var message = writer.BeginMessage(SpanEvents);
            writer.WriteFixed64Field(EventTime, ToUnixNanoseconds(activityEvent.Timestamp.UtcDateTime));
            writer.WriteStringField(EventName, activityEvent.Name);
            var attributes = 0;
            var droppedAttributes = 0;
            foreach (ref readonly var tag in activityEvent.EnumerateTagObjects())
            {
                if (tag.Value is null)
                {
                    continue;
                }

                if (attributes >= this.settings.AttributeCountLimit)
                {
                    droppedAttributes++;
                    continue;
                }

                this.WriteKeyValue(writer, EventAttributes, tag.Key, tag.Value);
                attributes++;
            }

            if (droppedAttributes > 0)
            {
                writer.WriteVarintField(EventDroppedAttributes, (ulong)droppedAttributes);
            }

            writer.EndMessage(message);
            count++;
        }

        if (dropped > 0)
        {
            writer.WriteVarintField(SpanDroppedEvents, (ulong)dropped);
        }
    }

    private void WriteLinks(ProtobufWriter writer, Activity activity)
    {
        Span<byte> id = stackalloc byte[16];
        var count = 0;
        var dropped = 0;
        foreach (ref readonly var link in activity.EnumerateLinks())
        {
            if (count >= this.settings.LinkCountLimit)
            {
                dropped++;
                continue;
            }

            var message = writer.BeginMessage(SpanLinks);
            link.Context.TraceId.CopyTo(id);
            writer.WriteBytesField(LinkTraceId, id);
            RestoredSpanIds.Linked(link.Context).CopyTo(id[..8]);
            writer.WriteBytesField(LinkSpanId, id[..8]);
            if (!string.IsNullOrEmpty(link.Context.TraceState))
            {
                writer.WriteStringField(LinkTraceState, link.Context.TraceState);
            }

            var attributes = 0;
            var droppedAttributes = 0;
            foreach (ref readonly var tag in link.EnumerateTagObjects())
            {
                if (tag.Value is null)
                {
                    continue;
                }

                if (attributes >= this.settings.AttributeCountLimit)
                {
                    droppedAttributes++;
                    continue;
                }

                this.WriteKeyValue(writer, LinkAttributes, tag.Key, tag.Value);
                attributes++;
            }

            if (droppedAttributes > 0)
            {
                writer.WriteVarintField(LinkDroppedAttributes, (ulong)droppedAttributes);
            }

            writer.WriteFixed32Field(LinkFlags, (uint)link.Context.TraceFlags | FlagsContextHasIsRemote | (link.Context.IsRemote ? FlagsContextIsRemote : 0));
            writer.EndMessage(message);
            count++;
        }

        if (dropped > 0)
        {
            writer.WriteVarintField(SpanDroppedLinks, (ulong)dropped);
        }
    }

    private void WriteKeyValue(ProtobufWriter writer, int fieldNumber, string key, object value)
    {
        var keyValue = writer.BeginMessage(fieldNumber);
        writer.WriteStringField(KeyValueKey, key);
        var anyValue = writer.BeginMessage(KeyValueValue);
        this.WriteAnyValue(writer, value);
        writer.EndMessage(anyValue);
        writer.EndMessage(keyValue);
    }

    private void WriteAnyValue(ProtobufWriter writer, object value)
    {
        switch (value)
        {
            case string s:
                writer.WriteStringField(AnyValueString, s, this.settings.AttributeValueLengthLimit);
                break;
            case bool b:
                writer.WriteBoolField(AnyValueBool, b);
                break;
            case int i:
                writer.WriteVarintField(AnyValueInt, (ulong)(long)i);
                break;
            case long l:
                writer.WriteVarintField(AnyValueInt, (ulong)l);
                break;
            case short sh:
                writer.WriteVarintField(AnyValueInt, (ulong)(long)sh);
                break;
            case byte by:
                writer.WriteVarintField(AnyValueInt, by);
                break;
            case sbyte sb:
                writer.WriteVarintField(AnyValueInt, (ulong)(long)sb);
                break;
            case ushort us:
                writer.WriteVarintField(AnyValueInt, us);
                break;
            case uint ui:
                writer.WriteVarintField(AnyValueInt, ui);
                break;
            case ulong ul when ul <= long.MaxValue:
                writer.WriteVarintField(AnyValueInt, ul);
                break;
            case double d:
                writer.WriteDoubleField(AnyValueDouble, d);
                break;
            case float f:
                writer.WriteDoubleField(AnyValueDouble, f);
                break;
            case string[] strings:
                this.WriteArray(writer, strings);
                break;
            case bool[] bools:
                this.WriteArray(writer, bools);
                break;
            case long[] longs:
                this.WriteArray(writer, longs);
                break;
            case int[] ints:
                this.WriteArray(writer, ints);
                break;
            case double[] doubles:
                this.WriteArray(writer, doubles);
                break;
            default:
                writer.WriteStringField(AnyValueString, Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty, this.settings.AttributeValueLengthLimit);
                break;
        }
    }

    private void WriteArray<T>(ProtobufWriter writer, T[] values)
    {
        var array = writer.BeginMessage(AnyValueArray);
        foreach (var item in values)
        {
            var element = writer.BeginMessage(ArrayValues);
            if (item is not null)
            {
                this.WriteAnyValue(writer, item);
            }

            writer.EndMessage(element);
        }

        writer.EndMessage(array);
    }

    private bool TryGetPriority(string? traceState, out int priority)
    {
        // Spans of one trace share the same trace-state string instance, so a one-entry cache avoids re-parsing.
        if (ReferenceEquals(traceState, this.lastTraceState) && traceState is not null)
        {
            priority = this.lastTraceStatePriority;
            return this.lastTraceStateHasPriority;
        }

        var found = DatadogTraceState.TryGetPriority(traceState, out priority);
        this.lastTraceState = traceState;
        this.lastTraceStatePriority = priority;
        this.lastTraceStateHasPriority = found;
        return found;
    }
}
