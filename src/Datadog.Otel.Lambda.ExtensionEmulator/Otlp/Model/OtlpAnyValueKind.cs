// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.ExtensionEmulator.Otlp.Model;

internal enum OtlpAnyValueKind
{
    None,
    String,
    Bool,
    Int,
    Double,
    Array,
    KeyValueList,
    Bytes,
}
