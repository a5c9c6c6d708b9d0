// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.ExtensionEmulator.Otlp.Model;

internal sealed class OtlpSpan
{
    public byte[] TraceId { get; set; } = [];

    public byte[] SpanId { get; set; } = [];

    public string TraceState { get; set; } = string.Empty;

    public byte[] ParentSpanId { get; set; } = [];

    public string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets the raw enum value; values outside the enum are kept as sent.</summary>
    public int Kind { get; set; }

    public ulong StartTimeUnixNano { get; set; }

    public ulong EndTimeUnixNano { get; set; }

    public List<OtlpKeyValue> Attributes { get; } = [];

    public uint DroppedAttributesCount { get; set; }

    public List<OtlpEvent> Events { get; } = [];

    public uint DroppedEventsCount { get; set; }

    public List<OtlpLink> Links { get; } = [];

    public uint DroppedLinksCount { get; set; }

    /// <summary>Gets or sets the status; null when the field was absent (the extension then writes no <c>otel.status_*</c> tags).</summary>
    public OtlpStatus? Status { get; set; }

    public uint Flags { get; set; }
}
