// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace Datadog.Otel.Lambda;

/// <summary>
/// Raises OpenTelemetry's span limits for the provider being built, through the SDK's own configuration and never the
/// process environment. OpenTelemetry's OTLP exporter keeps 128 attributes and 128 links per span unless the provider's
/// <see cref="IConfiguration"/> sets <c>OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT</c>/<c>OTEL_SPAN_LINK_COUNT_LIMIT</c> (its
/// <c>SdkLimitOptions</c> read them there). When that exporter is configured, the provider's configuration is replaced by
/// one that answers those names with this package's defaults whenever the original leaves them unset: the user's value
/// always wins. Without it nothing is replaced (this distribution's own exporter is given the limits directly).
/// </summary>
internal static class SpanLimitConfiguration
{
    /// <summary>
    /// The service key under which a package registers the limit defaults it needs (a keyed
    /// <c>IReadOnlyDictionary&lt;string, string&gt;</c> by limit name) for this distribution's own exporter, which raises its
    /// own defaults to them when the provider is built. A service, not the configuration: replacing the application's
    /// <see cref="IConfiguration"/> for an exporter that is given its limits directly would hide the host's configuration
    /// providers from it (no reload, no disposal).
    /// </summary>
    public const string DefaultsServiceKey = "Datadog.Otel.Lambda.SpanLimitDefaults";

    private static readonly string[] LimitNames = [EnvironmentVariables.OtelSpanAttributeCountLimit, EnvironmentVariables.OtelSpanLinkCountLimit];

    /// <summary>
    /// Registers the limit defaults <paramref name="limits"/> computes (from the user's configuration; an empty map for
    /// none) for this distribution's own exporter, under <see cref="DefaultsServiceKey"/>.
    /// </summary>
    public static void RegisterDefaults(IServiceCollection services, Func<IServiceProvider, IReadOnlyDictionary<string, string>> limits) =>
        services.AddKeyedSingleton<IReadOnlyDictionary<string, string>>(DefaultsServiceKey, (serviceProvider, _) => limits(serviceProvider));

    /// <summary>
    /// <paramref name="own"/>, each limit raised to the largest default another package registered under
    /// <see cref="DefaultsServiceKey"/>; the same map when none raises anything. A value the user sets still wins: these are
    /// defaults.
    /// </summary>
    public static IReadOnlyDictionary<string, string> WithRegisteredDefaults(IReadOnlyDictionary<string, string> own, IServiceProvider serviceProvider)
    {
        if (serviceProvider is not IKeyedServiceProvider)
        {
            return own;
        }

        Dictionary<string, string>? raised = null;
        foreach (var defaults in serviceProvider.GetKeyedServices<IReadOnlyDictionary<string, string>>(DefaultsServiceKey))
        {
            foreach (var (name, value) in defaults)
            {
                var current = raised is null ? own.GetValueOrDefault(name) : raised.GetValueOrDefault(name);
                if (IsLarger(value, current))
                {
                    raised ??= new Dictionary<string, string>(own, StringComparer.Ordinal);
                    raised[name] = value;
                }
            }
        }

        return raised ?? own;
    }

    /// <summary>
    /// Registers the replacement configuration. <paramref name="original"/> receives the configuration it replaces when it
    /// is created (settings are read there, not through the replacement). <paramref name="limits"/> gives the defaults by
    /// name (an empty map for none); it runs once, when the exporter first reads a limit.
    /// </summary>
    public static void Register(IServiceCollection services, Action<IConfiguration> original, Func<IServiceProvider, IReadOnlyDictionary<string, string>> limits)
    {
        ServiceDescriptor? replaced = null;
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(IConfiguration) && !services[i].IsKeyedService)
            {
                replaced = services[i];
                break;
            }
        }

        if (replaced is null)
        {
            // The SDK registers its configuration before any builder extension runs; without one, nothing reads limits.
            return;
        }

        services.AddSingleton(serviceProvider =>
        {
            var configuration = Resolve(replaced, serviceProvider);
            original(configuration);
            if (!HasOtlpExporter(services))
            {
                return configuration;
            }

            return new ConfigurationBuilder()
                .Add(new LimitDefaults(() => limits(serviceProvider)))
                .AddConfiguration(configuration, shouldDisposeConfiguration: false)
                .Build();
        });
    }

    /// <summary>
    /// Whether OpenTelemetry's OTLP exporter is configured: <c>AddOtlpExporter</c> and <c>UseOtlpExporter</c> register an
    /// options factory for <c>OtlpExporterOptions</c>, recognised by name without referencing that package.
    /// </summary>
    public static bool HasOtlpExporter(IServiceCollection services)
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

    private static bool IsLarger(string value, string? current) =>
        int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var candidate)
        && (current is null || !int.TryParse(current, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var existing) || candidate > existing);

    private static IConfiguration Resolve(ServiceDescriptor descriptor, IServiceProvider serviceProvider)
    {
        if (descriptor.ImplementationInstance is IConfiguration instance)
        {
            return instance;
        }

        if (descriptor.ImplementationFactory is { } factory)
        {
            return (IConfiguration)factory(serviceProvider);
        }

        return (IConfiguration)ActivatorUtilities.CreateInstance(serviceProvider, descriptor.ImplementationType!);
    }

    /// <summary>The defaults, computed on first use; every configuration source above it wins.</summary>
    private sealed class LimitDefaults(Func<IReadOnlyDictionary<string, string>> compute) : IConfigurationSource, IConfigurationProvider
    {
        // While one thread computes the defaults (reading the configuration), every such source is transparent to it.
        [ThreadStatic]
        private static bool computing;

        private readonly object sync = new();
        private IReadOnlyDictionary<string, string>? values;

        public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

        public bool TryGet(string key, out string? value)
        {
            value = null;
            if (!IsLimitName(key) || this.Values() is not { } defaults || !defaults.TryGetValue(LimitName(key), out var found))
            {
                return false;
            }

            value = found;
            return true;
        }

        public void Set(string key, string? value)
        {
        }

        public IChangeToken GetReloadToken() => new CancellationChangeToken(CancellationToken.None);

        public void Load()
        {
        }

        public IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath)
        {
            if (parentPath is not null || this.Values() is not { Count: > 0 } defaults)
            {
                return earlierKeys;
            }

            return earlierKeys.Concat(defaults.Keys).Order(ConfigurationKeyComparer.Instance);
        }

        private static bool IsLimitName(string key) => Array.Exists(LimitNames, name => string.Equals(name, key, StringComparison.OrdinalIgnoreCase));

        private static string LimitName(string key) => Array.Find(LimitNames, name => string.Equals(name, key, StringComparison.OrdinalIgnoreCase))!;

        private IReadOnlyDictionary<string, string>? Values()
        {
            if (computing)
            {
                return null;
            }

            lock (this.sync)
            {
                if (this.values is null)
                {
                    computing = true;
                    try
                    {
                        this.values = compute();
                    }
#pragma warning disable CA1031 // Configuration must never fail the provider; the SDK's defaults apply.
                    catch (Exception exception)
#pragma warning restore CA1031
                    {
                        Diag.TracingFailed("span limits", exception);
                        this.values = new Dictionary<string, string>();
                    }
                    finally
                    {
                        computing = false;
                    }
                }

                return this.values;
            }
        }
    }
}
