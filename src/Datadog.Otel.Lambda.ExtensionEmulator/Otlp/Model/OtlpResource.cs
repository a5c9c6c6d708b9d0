// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.ExtensionEmulator.Otlp.Model;

internal sealed class OtlpResource
{
    public List<OtlpKeyValue> Attributes { get; } = [];

    public uint DroppedAttributesCount { get; set; }
}
