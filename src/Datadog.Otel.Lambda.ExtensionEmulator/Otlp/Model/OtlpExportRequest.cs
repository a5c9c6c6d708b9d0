// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.ExtensionEmulator.Otlp.Model;

/// <summary>An <c>ExportTraceServiceRequest</c> as decoded from the wire, before any Datadog mapping.</summary>
internal sealed class OtlpExportRequest
{
    public List<OtlpResourceSpans> ResourceSpans { get; } = [];

    public int SpanCount => ResourceSpans.Sum(r => r.ScopeSpans.Sum(s => s.Spans.Count));
}
