// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.ExtensionEmulator;

/// <summary>The OTLP span kind, with the protobuf enum's values.</summary>
public enum OtlpSpanKind
{
    /// <summary>No kind was set (<c>SPAN_KIND_UNSPECIFIED</c>).</summary>
    Unspecified = 0,

    /// <summary>An internal operation (<c>SPAN_KIND_INTERNAL</c>).</summary>
    Internal = 1,

    /// <summary>The server side of a request (<c>SPAN_KIND_SERVER</c>).</summary>
    Server = 2,

    /// <summary>The client side of a request (<c>SPAN_KIND_CLIENT</c>).</summary>
    Client = 3,

    /// <summary>The sending of a message (<c>SPAN_KIND_PRODUCER</c>).</summary>
    Producer = 4,

    /// <summary>The processing of a received message (<c>SPAN_KIND_CONSUMER</c>).</summary>
    Consumer = 5,
}
