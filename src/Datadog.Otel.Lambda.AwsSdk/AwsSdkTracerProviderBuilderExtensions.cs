// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda;
using Datadog.Otel.Lambda.AwsSdk;
using Datadog.Otel.Lambda.AwsSdk.Tracing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace OpenTelemetry.Trace;

/// <summary>Adds the AWS SDK for .NET v4 instrumentation of Datadog.Otel.Lambda to a <see cref="TracerProviderBuilder"/>.</summary>
public static class AwsSdkTracerProviderBuilderExtensions
{
    /// <summary>
    /// Traces every AWS SDK for .NET v4 call as a client span named <c>{Service}.{Operation}</c> with Datadog's tags
    /// (service <c>{service}-aws-{name}</c>, resource, region, request id, queue/table/bucket … names, HTTP status,
    /// errors), and writes the span's context into SQS messages (<c>_datadog</c>) as Datadog's tracers do. The SDK's own
    /// HTTP request is not traced again by the HttpClient instrumentation. Configured by Datadog's settings
    /// (<c>DD_BOTOCORE_DISTRIBUTED_TRACING</c>, <c>DD_SERVICE_MAPPING</c> …), read from the provider's <c>IConfiguration</c>
    /// when it is built. Call it before creating AWS clients: it hooks AWSSDK.Core process-wide
    /// (<c>AWSConfigs.TelemetryProvider</c> and the runtime pipeline customizer registry), and the last provider built
    /// with it supplies the settings.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The same builder.</returns>
    public static TracerProviderBuilder AddDatadogAwsSdkInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // The hooks now, so that clients created before the provider is built are instrumented; the settings when it is built.
        AwsSdkInstrumentation.Register(AwsSdkInstrumentation.Settings);
        var resolution = new AwsSdkSettingsResolution();
        builder.ConfigureServices(services =>
        {
            // OpenTelemetry's OTLP exporter reads the limits from the provider's configuration; this distribution's own
            // exporter is handed them when AddDatadogLambda builds it.
            SpanLimitConfiguration.Register(
                services,
                original: resolution.SetConfiguration,
                limits: serviceProvider => resolution.Resolve(serviceProvider).SpanLimitDefaults);
            SpanLimitConfiguration.RegisterDefaults(services, serviceProvider => resolution.Resolve(serviceProvider).SpanLimitDefaults);
        });
        if (builder is IDeferredTracerProviderBuilder deferred)
        {
            deferred.Configure((serviceProvider, _) => AwsSdkInstrumentation.Register(resolution.Resolve(serviceProvider)));
        }

        return builder.AddSource(AwsSdkActivitySource.Name);
    }

    /// <summary>With fixed settings (tests, benchmarks): registered now, nothing read from configuration.</summary>
    internal static TracerProviderBuilder AddDatadogAwsSdkInstrumentation(this TracerProviderBuilder builder, AwsSdkSettings settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AwsSdkInstrumentation.Register(settings);
        return builder.AddSource(AwsSdkActivitySource.Name);
    }

    /// <summary>The settings of one provider, read once from its configuration (as registered, below the span limits).</summary>
    private sealed class AwsSdkSettingsResolution
    {
        private readonly object sync = new();
        private IConfiguration? configuration;
        private AwsSdkSettings? settings;

        public void SetConfiguration(IConfiguration original) => this.configuration = original;

        public AwsSdkSettings Resolve(IServiceProvider serviceProvider)
        {
            lock (this.sync)
            {
                if (this.settings is null)
                {
                    var registered = serviceProvider.GetRequiredService<IConfiguration>();
                    this.settings = AwsSdkSettings.FromEnvironment(EnvironmentSource.FromConfiguration(this.configuration ?? registered));
                }

                return this.settings;
            }
        }
    }
}
