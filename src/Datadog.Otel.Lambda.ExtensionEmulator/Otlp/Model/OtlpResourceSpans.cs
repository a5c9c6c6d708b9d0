// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.ExtensionEmulator.Otlp.Model;

internal sealed class OtlpResourceSpans
{
    /// <summary>Gets or sets the resource; null when the field was absent on the wire (the extension then skips the whole entry).</summary>
    public OtlpResource? Resource { get; set; }

    public List<OtlpScopeSpans> ScopeSpans { get; } = [];

    public string SchemaUrl { get; set; } = string.Empty;
}
