// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.ExtensionEmulator.Otlp.Model;

internal sealed class OtlpLink
{
    public byte[] TraceId { get; set; } = [];

    public byte[] SpanId { get; set; } = [];

    public string TraceState { get; set; } = string.Empty;

    public List<OtlpKeyValue> Attributes { get; } = [];

    public uint DroppedAttributesCount { get; set; }

    public uint Flags { get; set; }
}
