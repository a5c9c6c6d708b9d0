// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Amazon.Runtime.Telemetry;
using Amazon.Runtime.Telemetry.Tracing;

namespace Datadog.Otel.Lambda.AwsSdk.Tracing;

/// <summary>
/// The SDK's <c>HttpRequest</c> span, folded into its client span: the status of the (last) attempt is the call's
/// HTTP status; nothing else of it is kept, so that an AWS call is one span in Datadog.
/// </summary>
internal sealed class AttemptSpan : TraceSpan
{
    private readonly Activity client;

    public AttemptSpan(Activity client, string name)
    {
        this.client = client;
        this.Name = name;
    }

    public override void SetAttribute(string key, object value)
    {
        if (key == AwsTagNames.HttpStatusCodeSdk && this.client.IsAllDataRequested && HttpStatusTags.TryRead(value, out var status))
        {
            HttpStatusTags.Set(this.client, status);
        }
    }

    public override void EmitEvent(string name, Attributes? attributes = null)
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
