// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.ExtensionEmulator.Otlp.Model;

internal sealed class OtlpScopeSpans
{
    /// <summary>Gets or sets the instrumentation scope; null when absent on the wire (the extension then skips these spans).</summary>
    public OtlpScope? Scope { get; set; }

    public List<OtlpSpan> Spans { get; } = [];

    public string SchemaUrl { get; set; } = string.Empty;
}
