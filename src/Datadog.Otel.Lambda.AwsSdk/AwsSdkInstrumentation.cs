// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Amazon;
using Amazon.Runtime.Internal;
using Datadog.Otel.Lambda.AwsSdk.Pipeline;
using Datadog.Otel.Lambda.AwsSdk.Tracing;

namespace Datadog.Otel.Lambda.AwsSdk;

/// <summary>
/// The process-wide hooks into AWSSDK.Core, installed once: the telemetry tracer provider (client spans) and the runtime
/// pipeline customizer (request tags, payload injection, HttpClient span suppression). The customizer applies to clients
/// created afterwards, so register before creating AWS clients (as with any AWS SDK instrumentation).
/// </summary>
internal static class AwsSdkInstrumentation
{
    private static readonly object Gate = new();
    private static DatadogPipelineCustomizer? customizer;

    public static bool IsRegistered => customizer is not null;

    public static void Register(AwsSdkSettings settings)
    {
        lock (Gate)
        {
            if (customizer is not null)
            {
                return;
            }

            customizer = new DatadogPipelineCustomizer(settings);
            AWSConfigs.TelemetryProvider.RegisterTracerProvider(new DatadogAwsTracerProvider(settings));
            RuntimePipelineCustomizerRegistry.Instance.Register(customizer);
        }
    }
}
