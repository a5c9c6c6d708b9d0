// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Amazon;
using Amazon.Runtime.Internal;
using Datadog.Otel.Lambda.AwsSdk.Pipeline;
using Datadog.Otel.Lambda.AwsSdk.Tracing;

namespace Datadog.Otel.Lambda.AwsSdk;

/// <summary>
/// The process-wide hooks into AWSSDK.Core, installed once: the telemetry tracer provider (client spans) and the runtime
/// pipeline customizer (request tags, payload injection, span pointers, HttpClient span suppression). The customizer
/// applies to clients created afterwards, so register before creating AWS clients (as with any AWS SDK instrumentation).
/// The hooks read <see cref="Settings"/> on each call: a provider built later replaces the settings, not the hooks.
/// </summary>
internal static class AwsSdkInstrumentation
{
    private static readonly object Gate = new();
    private static DatadogPipelineCustomizer? customizer;
    private static volatile AwsSdkSettings settings = AwsSdkSettings.Default;

    public static AwsSdkSettings Settings => settings;

    public static void Register(AwsSdkSettings current)
    {
        lock (Gate)
        {
            settings = current;
            if (customizer is not null)
            {
                return;
            }

            customizer = new DatadogPipelineCustomizer();
            AWSConfigs.TelemetryProvider.RegisterTracerProvider(new DatadogAwsTracerProvider());
            RuntimePipelineCustomizerRegistry.Instance.Register(customizer);
        }
    }
}
