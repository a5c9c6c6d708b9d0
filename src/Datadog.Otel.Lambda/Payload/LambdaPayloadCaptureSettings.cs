// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Payload;

/// <summary>Lambda request/response payload capture (<c>DD_CAPTURE_LAMBDA_PAYLOAD</c>, off by default).</summary>
internal sealed class LambdaPayloadCaptureSettings
{
    public static readonly LambdaPayloadCaptureSettings Disabled = new();

    public bool Enabled { get; init; }

    /// <summary>Nesting levels flattened into tags (root = 0); deeper values become their compact JSON text.</summary>
    public int MaxDepth { get; init; } = PayloadTagValues.DefaultMaxDepth;

    /// <summary>
    /// Tags written per payload before <c>_dd.payload_tags_incomplete</c> is set. Datadog's Lambda libraries have no
    /// cap; we use the AWS SDK tagging's 758 so a huge event cannot flood a span. No environment variable.
    /// </summary>
    public int MaxTags { get; init; } = PayloadTagValues.DefaultMaxTags;

    /// <summary>The names whose values are redacted: the built-in ones and the user's.</summary>
    public RedactionRules Redaction { get; init; } = RedactionRules.Default;
}
