// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.ExtensionEmulator.Otlp.Model;

internal sealed class OtlpStatus
{
    /// <summary>The <c>STATUS_CODE_ERROR</c> enum value.</summary>
    public const int ErrorCode = 2;

    public string Message { get; set; } = string.Empty;

    /// <summary>Gets or sets the raw enum value (0 unset, 1 ok, 2 error).</summary>
    public int Code { get; set; }
}
