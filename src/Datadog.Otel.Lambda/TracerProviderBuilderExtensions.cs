// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda;
using Datadog.Otel.Lambda.Diagnostics;
using Datadog.Otel.Lambda.Export;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Invocation;
using Datadog.Otel.Lambda.Sampling;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Resources;

namespace OpenTelemetry.Trace;

/// <summary>Adds the Datadog Lambda distribution to an OpenTelemetry <see cref="TracerProviderBuilder"/>.</summary>
public static class TracerProviderBuilderExtensions
{
    /// <summary>
    /// Configures the provider for AWS Lambda and Datadog: the invocation, inferred and cold-start spans; Datadog
    /// propagation (set as the default propagator) and sampling; the function's resource (service, env, version from
    /// <c>DD_SERVICE</c>/<c>DD_ENV</c>/<c>DD_VERSION</c>/<c>DD_TAGS</c>, <c>OTEL_*</c>, and the Lambda environment); and an
    /// OTLP http/protobuf exporter to the Datadog Lambda Extension (<c>http://127.0.0.1:4318/v1/traces</c>) unless
    /// <c>OTEL_EXPORTER_OTLP_*</c> point elsewhere, <c>OTEL_TRACES_EXPORTER</c> names other exporters, or an OTLP exporter
    /// is already configured on this builder. Works beside the instrumentations and exporters you add yourself.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Optional code defaults; Datadog's environment variables take precedence over them.</param>
    /// <returns>The same builder.</returns>
    public static TracerProviderBuilder AddDatadogLambda(this TracerProviderBuilder builder, Action<DatadogLambdaOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new DatadogLambdaOptions();
        configure?.Invoke(options);
        var env = options.Environment;
        var settings = LambdaSettings.Resolve(env, options);
        if (settings.ServiceIsFallback)
        {
            // Typically a local run: outside Lambda nothing sets the function name, and the service would be aws.lambda silently.
            Diag.Warn("config", "AWS_LAMBDA_FUNCTION_NAME is not set (not running in Lambda?) and no service is configured: spans are reported under the service 'aws.lambda'. Set DD_SERVICE (or OTEL_SERVICE_NAME, or DatadogLambdaOptions.ServiceName) to name the service.");
        }

        // Payload capture adds many attributes; raise the SDK's limit (128 by default, counted in insertion order) unless
        // the user set one, so that captured payloads arrive whole through any exporter.
        var minimumAttributes = settings.CaptureLambdaPayload ? 2048 : OtlpExporterSettings.DefaultLimit;
        if (settings.CaptureLambdaPayload && ReferenceEquals(env, EnvironmentSource.Process)
            && env.Get(EnvironmentVariables.OtelSpanAttributeCountLimit) is null && env.Get(EnvironmentVariables.OtelAttributeCountLimit) is null)
        {
            Environment.SetEnvironmentVariable(EnvironmentVariables.OtelSpanAttributeCountLimit, minimumAttributes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var exporterSettings = OtlpExporterSettings.FromEnvironment(env, options.Endpoint, minimumAttributes);
        IServiceCollection? services = null;
        builder.ConfigureServices(s => services = s);

        builder.AddSource(LambdaActivitySource.Name);
        builder.ConfigureResource(resource => ConfigureResource(resource, settings));

        var decided = false;
        DatadogLambdaRuntime? runtime = null;
        ExtensionExportProcessor? exporter = null;
        if (builder is IDeferredTracerProviderBuilder deferred)
        {
            deferred.Configure((_, b) =>
            {
                if (decided)
                {
                    return;
                }

                decided = true;
                exporter = ChooseExporter(options, exporterSettings, services) ? new ExtensionExportProcessor(new ExtensionExporter(exporterSettings), settings, static () => CurrentInvocation.Value?.Settings) : null;
                runtime = new DatadogLambdaRuntime(settings, options, exporter, options.FlushTracerProvider ?? exporter is null);

                // Process-wide OpenTelemetry hooks, installed when the provider is built: Datadog propagation for every
                // instrumentation (HttpClient, AWS SDK), and trace ids that are valid Datadog and X-Ray ids at once.
                Sdk.SetDefaultTextMapPropagator(runtime.Propagator);
                Activity.TraceIdGenerator = DatadogTraceIdGenerator.FromEnvironment(env);
                b.SetSampler(CreateSampler(env, settings, options));
                b.AddProcessor(runtime.SpanProcessor);
                if (exporter is not null)
                {
                    b.AddProcessor(exporter);
                }

                runtime.Register();
                Diag.Info("config", Describe(settings, exporter is null ? null : exporterSettings, runtime.FlushProvider));
            });
        }
        else
        {
            Diag.Warn("config", "the TracerProviderBuilder does not support deferred configuration; AddDatadogLambda() cannot configure it");
        }

        return builder;
    }

    private static DatadogSampler CreateSampler(IEnvironmentSource env, LambdaSettings settings, DatadogLambdaOptions options)
    {
        var sampling = SamplingSettings.FromEnvironment(env);
        var resolved = new SamplingSettings
        {
            Rules = sampling.Rules,
            SampleRate = sampling.SampleRate,
            RateLimit = sampling.RateLimit,
            ExportSampledOut = settings.ExportSampledOut,
        };
        return new DatadogSampler(resolved, settings.ServiceName, options.TimeProvider);
    }

    private static bool ChooseExporter(DatadogLambdaOptions options, OtlpExporterSettings exporterSettings, IServiceCollection? services)
    {
        switch (options.Exporter)
        {
            case DatadogLambdaExporter.Extension:
                return true;
            case DatadogLambdaExporter.None:
                return false;
        }

        if (exporterSettings.DisabledByOtelTracesExporter)
        {
            Diag.Info("config", "OTEL_TRACES_EXPORTER does not name otlp; AddDatadogLambda() adds no exporter");
            return false;
        }

        if (services is not null && HasOtlpExporter(services))
        {
            Diag.Info("config", "an OTLP exporter is already configured; AddDatadogLambda() adds none (set DatadogLambdaOptions.Exporter = Extension to add it anyway)");
            return false;
        }

        return true;
    }

    /// <summary>
    /// <c>AddOtlpExporter</c> and <c>UseOtlpExporter</c> register an options factory for <c>OtlpExporterOptions</c>; its
    /// presence is how an existing OTLP exporter is recognised without referencing that package.
    /// </summary>
    private static bool HasOtlpExporter(IServiceCollection services)
    {
        foreach (var descriptor in services)
        {
            var type = descriptor.ServiceType;
            if (!type.IsGenericType)
            {
                continue;
            }

            foreach (var argument in type.GenericTypeArguments)
            {
                if (argument.FullName == "OpenTelemetry.Exporter.OtlpExporterOptions")
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static void ConfigureResource(ResourceBuilder resource, LambdaSettings settings)
    {
        var attributes = new List<KeyValuePair<string, object>>
        {
            new(TagNames.ServiceName, settings.ServiceName),
            new(TagNames.CloudProvider, "aws"),
            new(TagNames.CloudPlatform, "aws_lambda"),
        };
        if (settings.Environment is { } environment)
        {
            attributes.Add(new(TagNames.DeploymentEnvironmentName, environment));
        }

        if (settings.Version is { } version)
        {
            attributes.Add(new(TagNames.ServiceVersion, version));
        }

        if (settings.Region is { } region)
        {
            attributes.Add(new(TagNames.CloudRegion, region));
        }

        if (settings.FunctionName is { } functionName)
        {
            attributes.Add(new(TagNames.FaasName, functionName));
        }

        if (settings.FunctionVersion is { } functionVersion)
        {
            attributes.Add(new(TagNames.FaasVersion, functionVersion));
        }

        if (settings.LogStreamName is { } logStream)
        {
            attributes.Add(new(TagNames.FaasInstance, logStream));
        }

        if (settings.MemorySizeMB > 0)
        {
            attributes.Add(new(TagNames.FaasMaxMemory, (long)settings.MemorySizeMB * 1024 * 1024));
        }

        if (settings.LogGroupName is { } logGroup)
        {
            attributes.Add(new(TagNames.AwsLogGroupNames, new[] { logGroup }));
        }

        foreach (var tag in settings.Tags)
        {
            attributes.Add(new(tag.Key, tag.Value));
        }

        resource.AddAttributes(attributes);
    }

    private static string Describe(LambdaSettings settings, OtlpExporterSettings? exporter, bool flushProvider) =>
        $"service={settings.ServiceName} env={settings.Environment ?? "-"} version={settings.Version ?? "-"} " +
        $"exporter={(exporter is null ? "none" : exporter.Endpoint.ToString())} flushProvider={flushProvider} " +
        $"coldStartTracing={settings.ColdStartTracing} managedServices={settings.ManagedServices} mergeXRay={settings.MergeXRayTraces} " +
        $"capturePayload={settings.CaptureLambdaPayload} initType={settings.InitializationType ?? "-"} activityIdFormat={Activity.DefaultIdFormat}";
}
