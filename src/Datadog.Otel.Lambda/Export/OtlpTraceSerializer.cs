// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Propagation;
using Datadog.Otel.Lambda.SnapStart;
using OpenTelemetry.Resources;

namespace Datadog.Otel.Lambda.Export;

/// <summary>
/// Encodes finished activities as an OTLP <c>ExportTraceServiceRequest</c> (protobuf) that decodes to the spans
/// OpenTelemetry .NET's <c>OtlpTraceExporter</c> sends for them (the parity test holds the two to that), plus one
/// attribute: <c>sampling.priority</c> from the <c>dd</c> trace state on a span that lacks it. Spans are written in
/// batch order (<see cref="GroupBySource"/> puts spans of one source together first), opening a new
/// <c>ScopeSpans</c> whenever the source changes, and a request is closed as soon as it passes the size budget so that
/// the caller can send the rest in another request.
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
    private const int ResourceSpansSchemaUrl = 3;
    private const int ScopeSpansSchemaUrl = 3;
    private const int ScopeName = 1;
    private const int ScopeVersion = 2;
    private const int ScopeAttributes = 3;
    private const int ScopeDroppedAttributes = 4;
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

    // OTLP span flags: bits 0-7 are the W3C trace flags, bit 8 says whether bit 9 (parent is remote) is known.
    private const uint FlagsContextHasIsRemote = 0x100;
    private const uint FlagsContextIsRemote = 0x200;

    private const long UnixEpochTicks = 621355968000000000L;

    private readonly OtlpExporterSettings settings;
    private readonly List<Activity> grouped = [];
    private readonly List<ActivitySource> sources = [];
    private byte[]? resourceBytes;
    private string? resourceSchemaUrl;
    private string? lastTraceState;
    private int lastTraceStatePriority;
    private bool lastTraceStateHasPriority;

    public OtlpTraceSerializer(OtlpExporterSettings settings)
    {
        this.settings = settings;
    }

    /// <summary>Gets a value indicating whether <see cref="SetResource"/> was called.</summary>
    public bool HasResource => this.resourceBytes is not null;

    /// <summary>Pre-encodes the resource once; every request carries the same one.</summary>
    public void SetResource(Resource resource)
    {
        using var writer = new ProtobufWriter(1024);
        foreach (var attribute in resource.Attributes)
        {
            OtlpAttributeWriter.WriteKeyValue(writer, ResourceAttributes, attribute.Key, attribute.Value, int.MaxValue);
        }

        this.resourceBytes = writer.WrittenSpan.ToArray();
        this.resourceSchemaUrl = resource.SchemaUrl;
    }

    /// <summary>
    /// Reorders <paramref name="spans"/>, keeping their order otherwise, so that spans of one source follow each other
    /// (one <c>ScopeSpans</c> per source, as OpenTelemetry's exporter writes them). Spans of concurrent invocations
    /// interleave; within one invocation they are usually of one or two sources already, and then nothing moves.
    /// Not thread-safe: one export at a time.
    /// </summary>
    public void GroupBySource(List<Activity> spans)
    {
        var sources = this.sources;
        sources.Clear();
        var contiguous = true;
        ActivitySource? previous = null;
        foreach (var span in spans)
        {
            var source = span.Source;
            if (ReferenceEquals(source, previous))
            {
                continue;
            }

            if (sources.Contains(source))
            {
                contiguous = false;
            }
            else
            {
                sources.Add(source);
            }

            previous = source;
        }

        if (!contiguous)
        {
            var grouped = this.grouped;
            grouped.Clear();
            foreach (var source in sources)
            {
                foreach (var span in spans)
                {
                    if (ReferenceEquals(span.Source, source))
                    {
                        grouped.Add(span);
                    }
                }
            }

            spans.Clear();
            spans.AddRange(grouped);
            grouped.Clear();
        }

        sources.Clear();
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
                this.EndScopeSpans(writer, scopeSpans, currentSource);
                currentSource = activity.Source;
                scopeSpans = writer.BeginMessage(ResourceSpansScopeSpans);
                this.WriteScope(writer, currentSource);
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

        this.EndScopeSpans(writer, scopeSpans, currentSource);
        if (!string.IsNullOrEmpty(this.resourceSchemaUrl))
        {
            writer.WriteStringField(ResourceSpansSchemaUrl, this.resourceSchemaUrl);
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

    /// <summary>Reads the status OpenTelemetry's exporter takes from an <c>otel.status_code</c> tag, case-insensitively.</summary>
    private static ActivityStatusCode? ParseStatusTag(object? value) => value switch
    {
        string s when string.Equals(s, "UNSET", StringComparison.OrdinalIgnoreCase) => ActivityStatusCode.Unset,
        string s when string.Equals(s, "ERROR", StringComparison.OrdinalIgnoreCase) => ActivityStatusCode.Error,
        string s when string.Equals(s, "OK", StringComparison.OrdinalIgnoreCase) => ActivityStatusCode.Ok,
        _ => null,
    };

    private void EndScopeSpans(ProtobufWriter writer, int scopeSpans, ActivitySource? source)
    {
        if (scopeSpans < 0)
        {
            return;
        }

        if (!string.IsNullOrEmpty(source?.TelemetrySchemaUrl))
        {
            writer.WriteStringField(ScopeSpansSchemaUrl, source.TelemetrySchemaUrl);
        }

        writer.EndMessage(scopeSpans);
    }

    private void WriteScope(ProtobufWriter writer, ActivitySource source)
    {
        var scope = writer.BeginMessage(ScopeSpansScope);
        writer.WriteStringField(ScopeName, source.Name);
        if (!string.IsNullOrEmpty(source.Version))
        {
            writer.WriteStringField(ScopeVersion, source.Version);
        }

        if (source.Tags is { } tags)
        {
            var written = 0;
            var dropped = 0;
            foreach (var tag in tags)
            {
                if (written >= this.settings.AttributeCountLimit)
                {
                    dropped++;
                    continue;
                }

                OtlpAttributeWriter.WriteKeyValue(writer, ScopeAttributes, tag.Key, tag.Value, this.settings.AttributeValueLengthLimit);
                written++;
            }

            if (dropped > 0)
            {
                writer.WriteVarintField(ScopeDroppedAttributes, (ulong)dropped);
            }
        }

        writer.EndMessage(scope);
    }

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

        // Older instrumentations report the status as tags; OTLP has a field for it. As in OpenTelemetry's exporter,
        // the two tags never become attributes, and the span's own status wins over them.
        ActivityStatusCode? statusTag = null;
        string? statusTagDescription = null;
        var limit = this.settings.AttributeCountLimit;
        var maxChars = this.settings.AttributeValueLengthLimit;
        var written = 0;
        var dropped = 0;
        var hasPriority = false;
        foreach (ref readonly var tag in activity.EnumerateTagObjects())
        {
            var key = tag.Key;
            if (key == "otel.status_code")
            {
                statusTag = ParseStatusTag(tag.Value);
                continue;
            }

            if (key == "otel.status_description")
            {
                statusTagDescription = tag.Value as string;
                continue;
            }

            if (key == TagNames.SamplingPriority)
            {
                // The extension reads it; never counted against the limit.
                hasPriority = true;
            }
            else if (written >= limit)
            {
                dropped++;
                continue;
            }

            OtlpAttributeWriter.WriteKeyValue(writer, SpanAttributes, key, tag.Value, maxChars);
            written++;
        }

        // The extension takes a chunk's sampling priority from its root span or the first span that has one; spans of
        // a trace can reach it in different requests, so every span carries the priority of its trace state.
        if (!hasPriority && this.TryGetPriority(traceState, out var priority))
        {
            OtlpAttributeWriter.WriteKeyValue(writer, SpanAttributes, TagNames.SamplingPriority, (long)priority, maxChars);
        }

        if (dropped > 0)
        {
            writer.WriteVarintField(SpanDroppedAttributes, (ulong)dropped);
        }

        this.WriteEvents(writer, activity);
        this.WriteLinks(writer, activity);

        var statusCode = activity.Status;
        var statusDescription = activity.StatusDescription;
        if (statusCode == ActivityStatusCode.Unset && statusTag is { } fromTag)
        {
            // An explicit UNSET tag is written as a status with code 0, as OpenTelemetry's exporter does.
            WriteStatus(writer, fromTag, statusTagDescription);
        }
        else if (statusCode != ActivityStatusCode.Unset)
        {
            WriteStatus(writer, statusCode, statusDescription);
        }

        var flags = ((uint)activity.ActivityTraceFlags & 0xFF) | FlagsContextHasIsRemote | (activity.HasRemoteParent ? FlagsContextIsRemote : 0);
        writer.WriteFixed32Field(SpanFlags, flags);
        writer.EndMessage(span);
    }

    private static void WriteStatus(ProtobufWriter writer, ActivityStatusCode code, string? description)
    {
        var status = writer.BeginMessage(SpanStatus);
        if (code == ActivityStatusCode.Error && !string.IsNullOrEmpty(description))
        {
            writer.WriteStringField(StatusMessage, description);
        }

        writer.WriteVarintField(StatusCode, code switch
        {
            ActivityStatusCode.Ok => 1UL,
            ActivityStatusCode.Error => 2UL,
            _ => 0UL,
        });
        writer.EndMessage(status);
    }

    private void WriteEvents(ProtobufWriter writer, Activity activity)
    {
        var count = 0;
        var dropped = 0;
        var maxChars = this.settings.AttributeValueLengthLimit;
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
                if (attributes >= this.settings.AttributeCountLimit)
                {
                    droppedAttributes++;
                    continue;
                }

                OtlpAttributeWriter.WriteKeyValue(writer, EventAttributes, tag.Key, tag.Value, maxChars);
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
        var maxChars = this.settings.AttributeValueLengthLimit;
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
                if (attributes >= this.settings.AttributeCountLimit)
                {
                    droppedAttributes++;
                    continue;
                }

                OtlpAttributeWriter.WriteKeyValue(writer, LinkAttributes, tag.Key, tag.Value, maxChars);
                attributes++;
            }

            if (droppedAttributes > 0)
            {
                writer.WriteVarintField(LinkDroppedAttributes, (ulong)droppedAttributes);
            }

            writer.WriteFixed32Field(LinkFlags, ((uint)link.Context.TraceFlags & 0xFF) | FlagsContextHasIsRemote | (link.Context.IsRemote ? FlagsContextIsRemote : 0));
            writer.EndMessage(message);
            count++;
        }

        if (dropped > 0)
        {
            writer.WriteVarintField(SpanDroppedLinks, (ulong)dropped);
        }
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
