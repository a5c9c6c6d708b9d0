// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.Diagnostics;
using Datadog.Otel.Lambda.Export;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Invocation;
using Datadog.Otel.Lambda.Sampling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda;

/// <summary>
/// What one <c>AddDatadogLambda</c> call does to its provider: registers its named options and the span limits with the
/// provider's services, then, when the provider is built, resolves the options and settings once and adds the resource,
/// sampler, processors and exporter. Process-wide hooks (the default propagator, the trace id generator) are installed
/// there too, once, unless the options turn them off.
/// </summary>
internal sealed class DatadogLambdaSetup
{
    private readonly string? name;
    private readonly object sync = new();
    private Action<DatadogLambdaOptions>? configure;
    private DatadogLambdaSetup? primary;
    private IServiceCollection? services;
    private IConfiguration? configuration;
    private Resolved? resolved;
    private bool built;

    public DatadogLambdaSetup(string? name, Action<DatadogLambdaOptions>? configure)
    {
        this.name = name;
        this.configure = configure;
    }

    public void ConfigureServices(IServiceCollection services)
    {
        if (FindPrimary(services) is { } primary)
        {
            // A second call on one builder (a redirect's ConfigureTracing adding options to the provider it builds, two
            // libraries each adding the distribution): one distribution per provider, or its runtimes, exporters and
            // process-wide hooks would be doubled and disagree. This call's options apply after the first call's.
            this.primary = primary;
            primary.Merge(this.name, this.configure, services);
            return;
        }

        services.AddSingleton(this);
        this.services = services;
        if (this.name is not null && this.configure is not null)
        {
            // Named options go through the options pipeline, as OpenTelemetry's exporters do.
            services.Configure(this.name, this.configure);
        }

        SpanLimitConfiguration.Register(
            services,
            original: configuration => this.configuration = configuration,
            limits: serviceProvider => this.Resolve(serviceProvider).Settings.SpanLimitDefaults);
    }

    public void ConfigureProvider(IServiceProvider serviceProvider, TracerProviderBuilder builder)
    {
        if (this.built || this.primary is not null)
        {
            return;
        }

        this.built = true;
        var (options, settings, source) = this.Resolve(serviceProvider);
        if (settings.ServiceIsFallback)
        {
            // Typically a local run: outside Lambda nothing sets the function name, and the service would be aws.lambda silently.
            Diag.Warn("config", "AWS_LAMBDA_FUNCTION_NAME is not set (not running in Lambda?) and no service is configured: spans are reported under the service 'aws.lambda'. Set DD_SERVICE (or OTEL_SERVICE_NAME, or DatadogLambdaOptions.ServiceName) to name the service.");
        }

        builder.ConfigureResource(resource => LambdaResource.Configure(resource, settings));

        // This distribution's own exporter reads the span limits it needs directly, raised to those another package (the
        // AWS SDK instrumentation's payload tagging) registered; nothing is written anywhere.
        var limitDefaults = SpanLimitConfiguration.WithRegisteredDefaults(settings.SpanLimitDefaults, serviceProvider);
        var minimumAttributes = settings.CaptureLambdaPayload ? LambdaSettings.CapturedPayloadAttributeLimit : OtlpExporterSettings.DefaultLimit;
        var exporterSettings = OtlpExporterSettings.FromEnvironment(EnvironmentSource.WithDefaults(source, limitDefaults), options.Endpoint, minimumAttributes);
        // DD_TRACE_ENABLED=false: the wrapper passes through and nothing flushes, so the export would only queue the
        // handler's own spans (AWS SDK, HttpClient, user spans) until its bound. They are still made and sampled, as by
        // Datadog's disabled tracer: what they inject downstream keeps its keep-or-drop decision (an always-off sampler
        // would tell every traced consumer to drop its trace).
        var exporter = settings.TraceEnabled && this.ChooseExporter(options, exporterSettings) ? new ExtensionExportProcessor(new ExtensionExporter(exporterSettings), settings, static () => CurrentInvocation.Value?.Settings) : null;
        var runtime = new DatadogLambdaRuntime(settings, options, exporter, options.FlushTracerProvider ?? exporter is null);
        SetProcessDefaults(options, settings, runtime);
        builder.SetSampler(new DatadogSampler(settings.Sampling, settings.ServiceName, options.TimeProvider));
        builder.AddProcessor(runtime.SpanProcessor);
        if (exporter is not null)
        {
            builder.AddProcessor(exporter);
        }

        runtime.Register();
        if (Diag.IsInfoEnabled)
        {
            // Composed only when someone reads it: at the default level this is formatting work at cold start for nothing.
            Diag.Info("config", Describe(settings, exporter is null ? null : exporterSettings, runtime.FlushProvider));
        }
    }

    /// <summary>The setup of the first <c>AddDatadogLambda</c> call on these services, if there was one.</summary>
    private static DatadogLambdaSetup? FindPrimary(IServiceCollection services)
    {
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(DatadogLambdaSetup) && descriptor.ImplementationInstance is DatadogLambdaSetup setup)
            {
                return setup;
            }
        }

        return null;
    }

    /// <summary>A later call's options, applied after this call's own (in the options pipeline when these are named).</summary>
    private void Merge(string? otherName, Action<DatadogLambdaOptions>? otherConfigure, IServiceCollection services)
    {
        Diag.Warn(
            "config",
            string.Equals(otherName, this.name, StringComparison.Ordinal)
                ? "AddDatadogLambda() was called more than once on one TracerProviderBuilder: the distribution is added once, with the options of every call applied in order"
                : $"AddDatadogLambda() was called more than once on one TracerProviderBuilder: the distribution is added once, with the options named '{this.name ?? "(default)"}' of the first call, and the later call's code options (for '{otherName ?? "(default)"}') applied after them");
        if (otherConfigure is null)
        {
            return;
        }

        if (this.name is null)
        {
            this.configure += otherConfigure;
        }
        else
        {
            services.Configure(this.name, otherConfigure);
        }
    }

    /// <summary>
    /// The options and settings of this provider, resolved on first use (building the provider, or its OTLP exporter
    /// reading a span limit, whichever comes first) and kept.
    /// </summary>
    /// <param name="serviceProvider">The provider's services.</param>
    private Resolved Resolve(IServiceProvider serviceProvider)
    {
        lock (this.sync)
        {
            if (this.resolved is { } existing)
            {
                return existing;
            }

            var options = this.ResolveOptions(serviceProvider);
            var source = options.Environment;
            if (ReferenceEquals(source, EnvironmentSource.Process))
            {
                // The provider's configuration, as registered before the span limits were layered over it.
                var registered = serviceProvider.GetRequiredService<IConfiguration>();
                source = EnvironmentSource.FromConfiguration(this.configuration ?? registered);
            }

            var created = new Resolved(options, LambdaSettings.Resolve(source, options), source);
            this.resolved = created;
            return created;
        }
    }

    /// <summary>
    /// Unnamed: a fresh instance from the options factory (every <c>services.Configure&lt;DatadogLambdaOptions&gt;</c>),
    /// then the inline delegate. Named: the options pipeline's instance for that name. As OpenTelemetry's exporters do.
    /// </summary>
    private DatadogLambdaOptions ResolveOptions(IServiceProvider serviceProvider)
    {
        if (this.name is null)
        {
            var options = this.ConfiguredThroughServices(serviceProvider)
                ? serviceProvider.GetService<IOptionsFactory<DatadogLambdaOptions>>()?.Create(Options.DefaultName) ?? new DatadogLambdaOptions()
                : new DatadogLambdaOptions();
            this.configure?.Invoke(options);
            return options;
        }

        return serviceProvider.GetRequiredService<IOptionsMonitor<DatadogLambdaOptions>>().Get(this.name);
    }

    /// <summary>
    /// Whether anything could change what the options factory makes for the default name. When nothing does, it would
    /// make a new instance, and asking it is a cold-start cost of its own: the container builds
    /// <c>OptionsFactory&lt;DatadogLambdaOptions&gt;</c> and its three enumerables at run time (about 0.5 ms under Native
    /// AOT, where each generic type is built by the type loader). A container that cannot say is asked.
    /// </summary>
    private bool ConfiguredThroughServices(IServiceProvider serviceProvider)
    {
        if (serviceProvider.GetService<IServiceProviderIsService>() is not { } isService
            || isService.IsService(typeof(IConfigureOptions<DatadogLambdaOptions>))
            || isService.IsService(typeof(IPostConfigureOptions<DatadogLambdaOptions>))
            || isService.IsService(typeof(IValidateOptions<DatadogLambdaOptions>)))
        {
            return true;
        }

        // IsService cannot tell a factory registered for these options from the open-generic default that every
        // container with options has; the registrations can.
        if (this.services is null)
        {
            return true;
        }

        foreach (var descriptor in this.services)
        {
            if (descriptor.ServiceType == typeof(IOptionsFactory<DatadogLambdaOptions>))
            {
                return true;
            }
        }

        return false;
    }

    private static void SetProcessDefaults(DatadogLambdaOptions options, LambdaSettings settings, DatadogLambdaRuntime runtime)
    {
        // Process-wide OpenTelemetry hooks, set once per provider when it is built: Datadog propagation for every
        // instrumentation (HttpClient, AWS SDK), and trace ids that are valid Datadog and X-Ray ids at once.
        if (options.SetDefaultTextMapPropagator)
        {
            Sdk.SetDefaultTextMapPropagator(runtime.Propagator);
        }

        if (options.SetActivityTraceIdGenerator)
        {
            Activity.TraceIdGenerator = settings.Generate128BitTraceIds ? DatadogTraceIdGenerator.New128BitTraceId : DatadogTraceIdGenerator.New64BitTraceId;
        }
    }

    private static string Describe(LambdaSettings settings, OtlpExporterSettings? exporter, bool flushProvider) =>
        $"service={settings.ServiceName} env={settings.Environment ?? "-"} version={settings.Version ?? "-"} " +
        $"exporter={(exporter is null ? "none" : exporter.Endpoint.ToString())} flushProvider={flushProvider} " +
        $"coldStartTracing={settings.ColdStartTracing} managedServices={settings.ManagedServices} mergeXRay={settings.MergeXRayTraces} " +
        $"capturePayload={settings.CaptureLambdaPayload} initType={settings.InitializationType ?? "-"} activityIdFormat={Activity.DefaultIdFormat}";

    private bool ChooseExporter(DatadogLambdaOptions options, OtlpExporterSettings exporterSettings)
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

        if (this.services is not null && SpanLimitConfiguration.HasOtlpExporter(this.services))
        {
            Diag.Info("config", "an OTLP exporter is already configured; AddDatadogLambda() adds none (set DatadogLambdaOptions.Exporter = Extension to add it anyway)");
            return false;
        }

        return true;
    }

    private sealed record Resolved(DatadogLambdaOptions Options, LambdaSettings Settings, IEnvironmentSource Source);
}
