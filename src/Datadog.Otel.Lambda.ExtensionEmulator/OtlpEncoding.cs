// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.ExtensionEmulator;

/// <summary>How a request body is decoded, chosen from its <c>Content-Type</c> as the extension chooses it.</summary>
public enum OtlpEncoding
{
    /// <summary>Protobuf: any content type that does not start with <c>application/json</c>, or none.</summary>
    Protobuf,

    /// <summary>OTLP/JSON: a content type starting with <c>application/json</c>.</summary>
    Json,
}
