// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda;
using Datadog.Otel.Lambda.AwsSdk;
using Datadog.Otel.Lambda.AwsSdk.Tracing;

namespace OpenTelemetry.Trace;

/// <summary>Adds the AWS SDK for .NET v4 instrumentation of Datadog.Otel.Lambda to a <see cref="TracerProviderBuilder"/>.</summary>
public static class AwsSdkTracerProviderBuilderExtensions
{
    /// <summary>
    /// Traces every AWS SDK for .NET v4 call as a client span named <c>{Service}.{Operation}</c> with Datadog's tags
    /// (service <c>{service}-aws-{name}</c>, resource, region, request id, queue/table/bucket … names, HTTP status,
    /// errors), and writes the span's context into SQS messages (<c>_datadog</c>) as Datadog's tracers do. The SDK's own
    /// HTTP request is not traced again by the HttpClient instrumentation. Configured by Datadog's environment variables
    /// (<c>DD_BOTOCORE_DISTRIBUTED_TRACING</c>, <c>DD_SERVICE_MAPPING</c> …). Call it before creating AWS clients: it
    /// hooks AWSSDK.Core process-wide (<c>AWSConfigs.TelemetryProvider</c> and the runtime pipeline customizer registry).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The same builder.</returns>
    public static TracerProviderBuilder AddDatadogAwsSdkInstrumentation(this TracerProviderBuilder builder) =>
        AddDatadogAwsSdkInstrumentation(builder, AwsSdkSettings.FromEnvironment(EnvironmentSource.Process));

    internal static TracerProviderBuilder AddDatadogAwsSdkInstrumentation(this TracerProviderBuilder builder, AwsSdkSettings settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AwsSdkInstrumentation.Register(settings);

        // Payload tags add up to DD_TRACE_CLOUD_PAYLOAD_TAGGING_MAX_TAGS attributes; OpenTelemetry keeps 128 per span
        // unless told otherwise (read when the provider is built), so raise the limit unless the user set one.
        if (settings.PayloadTagging.Enabled
            && Environment.GetEnvironmentVariable(EnvironmentVariables.OtelSpanAttributeCountLimit) is null
            && Environment.GetEnvironmentVariable(EnvironmentVariables.OtelAttributeCountLimit) is null)
        {
            var limit = Math.Max(2048, settings.PayloadTagging.MaxTags + 256);
            Environment.SetEnvironmentVariable(EnvironmentVariables.OtelSpanAttributeCountLimit, limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return builder.AddSource(AwsSdkActivitySource.Name);
    }
}
