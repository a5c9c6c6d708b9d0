// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Amazon.Runtime.Telemetry;
using AwsTracer = Amazon.Runtime.Telemetry.Tracing.Tracer;
using AwsTracerProvider = Amazon.Runtime.Telemetry.Tracing.TracerProvider;

namespace Datadog.Otel.Lambda.AwsSdk.Tracing;

/// <summary>
/// The tracer provider AWSSDK.Core asks for a tracer per scope (<c>AWSSDK.SQS</c> …). Every scope gets the same tracer:
/// all client spans come from one activity source. (It must live in a namespace: AWSSDK.Core's user-agent code throws
/// for tracer providers declared in the global namespace.)
/// </summary>
internal sealed class DatadogAwsTracerProvider : AwsTracerProvider
{
    private readonly DatadogAwsTracer tracer = new();

    public override AwsTracer GetTracer(string scope) => this.tracer;

    public override AwsTracer GetTracer(string scope, Attributes attributes) => this.tracer;
}
