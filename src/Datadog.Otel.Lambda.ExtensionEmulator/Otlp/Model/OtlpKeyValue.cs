// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.ExtensionEmulator.Otlp.Model;

/// <summary>An attribute. <see cref="Value"/> is null when the value field was absent on the wire.</summary>
internal sealed record OtlpKeyValue(string Key, OtlpAnyValue? Value);
