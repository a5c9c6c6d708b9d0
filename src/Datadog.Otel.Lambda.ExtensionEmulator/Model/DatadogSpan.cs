// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using Datadog.Otel.Lambda.ExtensionEmulator.Mapping;

namespace Datadog.Otel.Lambda.ExtensionEmulator;

/// <summary>
/// A span as the Datadog Lambda Extension forwards it to Datadog after mapping an OTLP span: the Datadog
/// fields, meta and metrics, plus the OTLP kind and scope it came from.
/// </summary>
public sealed class DatadogSpan
{
    private static readonly IReadOnlyDictionary<string, string> NoMeta = new Dictionary<string, string>();
    private static readonly IReadOnlyDictionary<string, double> NoMetrics = new Dictionary<string, double>();

    private readonly string? traceIdHex;
    private IReadOnlyList<DatadogSpanLink>? links;
    private IReadOnlyList<DatadogSpanEvent>? events;

    internal DatadogSpan()
    {
    }

    /// <summary>Gets the Datadog trace id: the lower 64 bits of the OTel trace id.</summary>
    public ulong TraceId { get; internal init; }

    /// <summary>Gets the upper 64 bits of the OTel trace id (the extension writes them in decimal into meta <c>_dd.p.tid</c>).</summary>
    public ulong TraceIdHigh { get; internal init; }

    /// <summary>Gets the full OTel trace id as lower-case hex (also in meta <c>otel.trace_id</c>).</summary>
    public string TraceIdHex
    {
        get => traceIdHex ?? string.Create(CultureInfo.InvariantCulture, $"{TraceIdHigh:x16}{TraceId:x16}");
        internal init => traceIdHex = value;
    }

    /// <summary>Gets the span id.</summary>
    public ulong SpanId { get; internal init; }

    /// <summary>Gets the parent span id, 0 for a root span.</summary>
    public ulong ParentId { get; internal init; }

    /// <summary>Gets the operation name (e.g. <c>aws.lambda</c>, <c>http.client.request</c>).</summary>
    public string Name { get; internal init; } = string.Empty;

    /// <summary>Gets the service name.</summary>
    public string Service { get; internal init; } = string.Empty;

    /// <summary>Gets the resource name.</summary>
    public string Resource { get; internal init; } = string.Empty;

    /// <summary>Gets the span type (e.g. <c>web</c>, <c>http</c>, <c>serverless</c>).</summary>
    public string Type { get; internal init; } = string.Empty;

    /// <summary>Gets the start time in nanoseconds since the Unix epoch.</summary>
    public long Start { get; internal init; }

    /// <summary>Gets the duration in nanoseconds.</summary>
    public long Duration { get; internal init; }

    /// <summary>Gets the error flag: 1 for an error span, else 0.</summary>
    public int Error { get; internal init; }

    /// <summary>Gets the string tags.</summary>
    public IReadOnlyDictionary<string, string> Meta { get; internal init; } = NoMeta;

    /// <summary>Gets the numeric tags (e.g. <c>_sampling_priority_v1</c>, <c>http.status_code</c>).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; internal init; } = NoMetrics;

    /// <summary>Gets the span links, parsed from meta <c>_dd.span_links</c>.</summary>
    public IReadOnlyList<DatadogSpanLink> Links => links ??= SpanEventsAndLinksJson.ParseLinks(Meta);

    /// <summary>Gets the span events, parsed from meta <c>events</c>.</summary>
    public IReadOnlyList<DatadogSpanEvent> Events => events ??= SpanEventsAndLinksJson.ParseEvents(Meta);

    /// <summary>Gets the OTLP span kind the span was sent with.</summary>
    public OtlpSpanKind Kind { get; internal init; }

    /// <summary>Gets the name of the instrumentation scope (the <c>ActivitySource</c>) that produced the span.</summary>
    public string ScopeName { get; internal init; } = string.Empty;

    /// <summary>Gets the OTel span name (the <c>Activity.DisplayName</c>), which Datadog does not show as such.</summary>
    public string OtelName { get; internal init; } = string.Empty;

    /// <summary>Gets the value of a meta tag, or null when the span does not have it.</summary>
    /// <param name="key">The tag name.</param>
    /// <returns>The tag value, or null.</returns>
    public string? GetMeta(string key) => Meta.TryGetValue(key, out var value) ? value : null;

    /// <summary>Gets the value of a metric, or null when the span does not have it.</summary>
    /// <param name="key">The metric name.</param>
    /// <returns>The metric value, or null.</returns>
    public double? GetMetric(string key) => Metrics.TryGetValue(key, out var value) ? value : null;

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name} service={Service} resource={Resource} span_id={SpanId} parent_id={ParentId}");
}
