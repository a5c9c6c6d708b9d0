// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.ExtensionEmulator.Otlp;

/// <summary>
/// An OTLP body that cannot be decoded: truncated or malformed protobuf, invalid JSON, a wrong value type,
/// invalid UTF-8. The receiver answers it with HTTP 500, as the extension does for a decode failure.
/// </summary>
internal sealed class OtlpDecodeException : Exception
{
    public OtlpDecodeException()
    {
    }

    public OtlpDecodeException(string message)
        : base(message)
    {
    }

    public OtlpDecodeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
