// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Amazon.Runtime.Telemetry;
using Amazon.Runtime.Telemetry.Tracing;
using Datadog.Otel.Lambda.Diagnostics;
using AwsTracer = Amazon.Runtime.Telemetry.Tracing.Tracer;

namespace Datadog.Otel.Lambda.AwsSdk.Tracing;

/// <summary>
/// Turns the SDK's spans into activities: the per-call client span (<c>SQS.SendMessage</c>) becomes a
/// <see cref="ClientSpan"/>; the inner <c>HttpRequest</c> span only reports its HTTP status to that client span (Datadog
/// shows one span per AWS call, as dd-trace does); the other internal spans (credentials, retries) are not exported.
/// </summary>
internal sealed class DatadogAwsTracer : AwsTracer
{
    public override TraceSpan CreateSpan(string name, Attributes? initialAttributes = null, SpanKind spanKind = SpanKind.INTERNAL, SpanContext? parentContext = null)
    {
        try
        {
            if (spanKind == SpanKind.CLIENT)
            {
                return (TraceSpan?)ClientSpan.Start(name, initialAttributes, AwsSdkInstrumentation.Settings) ?? InertSpan.Instance;
            }

            // The HTTP attempt runs under the client span; its status belongs on it.
            return Activity.Current is { } current && AwsSdkActivitySource.IsClientSpan(current)
                ? new AttemptSpan(current, name)
                : InertSpan.Instance;
        }
        catch (Exception exception)
        {
            Diag.TracingFailed("aws-sdk span start", exception);
            return InertSpan.Instance;
        }
    }
}
