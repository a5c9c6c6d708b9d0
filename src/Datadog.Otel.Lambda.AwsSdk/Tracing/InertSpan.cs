// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Amazon.Runtime.Telemetry;
using Amazon.Runtime.Telemetry.Tracing;

namespace Datadog.Otel.Lambda.AwsSdk.Tracing;

/// <summary>The span handed to the SDK when nothing is recorded (unsampled, not listened to, or an internal step).</summary>
internal sealed class InertSpan : TraceSpan
{
    public static readonly InertSpan Instance = new();

    private InertSpan()
    {
        this.Name = string.Empty;
    }

    public override void EmitEvent(string name, Attributes? attributes = null)
    {
    }

    public override void SetAttribute(string key, object value)
    {
    }

    public override void SetStatus(SpanStatus status)
    {
    }

    public override void RecordException(Exception exception, Attributes? attributes = null)
    {
    }

    public override void End()
    {
    }
}
