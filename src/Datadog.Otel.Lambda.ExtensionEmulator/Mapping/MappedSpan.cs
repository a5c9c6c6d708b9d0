// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.ExtensionEmulator.Mapping;

/// <summary>A Datadog span while the mapping and the trace processor still change it (the extension's <c>pb::Span</c>).</summary>
internal sealed class MappedSpan
{
    public ulong TraceId { get; set; }

    public ulong TraceIdHigh { get; set; }

    public string TraceIdHex { get; set; } = string.Empty;

    public ulong SpanId { get; set; }

    public ulong ParentId { get; set; }

    public string Name { get; set; } = string.Empty;

    public string Service { get; set; } = string.Empty;

    public string Resource { get; set; } = string.Empty;

    public string Type { get; set; } = string.Empty;

    public long Start { get; set; }

    public long Duration { get; set; }

    public int Error { get; set; }

    public Dictionary<string, string> Meta { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, double> Metrics { get; } = new(StringComparer.Ordinal);

    public int Kind { get; set; }

    public string ScopeName { get; set; } = string.Empty;

    public string OtelName { get; set; } = string.Empty;

    public DatadogSpan Freeze() => new()
    {
        TraceId = TraceId,
        TraceIdHigh = TraceIdHigh,
        TraceIdHex = TraceIdHex,
        SpanId = SpanId,
        ParentId = ParentId,
        Name = Name,
        Service = Service,
        Resource = Resource,
        Type = Type,
        Start = Start,
        Duration = Duration,
        Error = Error,
        Meta = new Dictionary<string, string>(Meta, StringComparer.Ordinal).AsReadOnly(),
        Metrics = new Dictionary<string, double>(Metrics, StringComparer.Ordinal).AsReadOnly(),
        Kind = (OtlpSpanKind)Kind,
        ScopeName = ScopeName,
        OtelName = OtelName,
    };
}
