// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using Datadog.Otel.Lambda.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace Datadog.Otel.Lambda;

/// <summary>
/// Raises OpenTelemetry's span limits for the provider being built, through the SDK's own configuration and never the
/// process environment. OpenTelemetry's OTLP exporter keeps 128 attributes and 128 links per span unless the provider's
/// <see cref="IConfiguration"/> sets <c>OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT</c>/<c>OTEL_SPAN_LINK_COUNT_LIMIT</c> (its
/// <c>SdkLimitOptions</c> read them there), and this distribution's own exporter reads the other packages' limits there
/// too. When a limit is raised for an exporter that reads it, the provider's configuration is replaced by one that answers
/// those names with the largest default of the packages that raised them whenever the user's configuration leaves them
/// unset: the user's value always wins. Otherwise nothing is replaced.
/// </summary>
/// <remarks>
/// Each registration replaces the <see cref="IConfiguration"/> registered before it, so the last one is what the
/// provider resolves, and it resolves the earlier ones in turn. A configuration an earlier registration layered (of
/// either package: this file is compiled into both, so the type names match) is taken apart rather than layered again:
/// every package reads its settings from the user's configuration, and its defaults are combined with the earlier ones.
/// </remarks>
internal static class SpanLimitConfiguration
{
    /// <summary>The full name of the core package's setup, which the AWS SDK package cannot reference.</summary>
    internal const string DistributionSetupTypeName = "Datadog.Otel.Lambda.DatadogLambdaSetup";

    private static readonly string[] LimitNames = [EnvironmentVariables.OtelSpanAttributeCountLimit, EnvironmentVariables.OtelSpanLinkCountLimit];

    /// <summary>
    /// Registers the distribution's replacement configuration, layered only when OpenTelemetry's OTLP exporter is
    /// configured (the distribution's own exporter is given its limits directly). <paramref name="original"/> receives the
    /// user's configuration when the provider's is resolved (settings are read there, not through the replacement).
    /// <paramref name="limits"/> gives the defaults by name (an empty map for none); it runs once, when the exporter first
    /// reads a limit, since it may resolve services that read the configuration.
    /// </summary>
    public static void Register(IServiceCollection services, Action<IConfiguration> original, Func<IServiceProvider, IReadOnlyDictionary<string, string>> limits) =>
        Replace(services, (serviceProvider, user) =>
        {
            original(user);
            return HasOtlpExporter(services) ? () => limits(serviceProvider) : null;
        });

    /// <summary>
    /// Registers an instrumentation package's replacement configuration: <paramref name="limits"/> reads the defaults from
    /// the user's configuration when the provider's is resolved, and they are layered when there are any and an exporter
    /// reads them (OpenTelemetry's OTLP exporter, or this distribution's own); with none, nothing is replaced.
    /// </summary>
    public static void Register(IServiceCollection services, Func<IConfiguration, IReadOnlyDictionary<string, string>> limits) =>
        Replace(services, (_, user) =>
        {
            var defaults = limits(user);
            return defaults.Count > 0 && (HasOtlpExporter(services) || HasDistributionSetup(services)) ? () => defaults : null;
        });

    /// <summary>
    /// The limit defaults for this distribution's own exporter: <paramref name="own"/>, each raised to the default another
    /// package layered into the provider's <paramref name="final"/> configuration for a name the <paramref name="user"/>'s
    /// configuration leaves unset. The same map when nothing was layered (the provider's configuration is the user's).
    /// </summary>
    public static IReadOnlyDictionary<string, string> WithLayeredDefaults(IReadOnlyDictionary<string, string> own, IConfiguration? user, IConfiguration final)
    {
        if (user is null || ReferenceEquals(user, final))
        {
            return own;
        }

        Dictionary<string, string>? raised = null;
        foreach (var name in LimitNames)
        {
            if (user[name] is { Length: > 0 } || final[name] is not { Length: > 0 } layered)
            {
                continue;
            }

            var current = own.GetValueOrDefault(name);
            if (!ReferenceEquals(Larger(current, layered), current))
            {
                raised ??= new Dictionary<string, string>(own, StringComparer.Ordinal);
                raised[name] = layered;
            }
        }

        return raised ?? own;
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

    /// <summary>Whether <c>AddDatadogLambda</c> was called on these services (it registers its setup as a service).</summary>
    private static bool HasDistributionSetup(IServiceCollection services)
    {
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType.FullName == DistributionSetupTypeName)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Replaces the last registered configuration. <paramref name="layer"/> gets the user's configuration and returns the
    /// defaults to layer over it, or null to keep the configuration as resolved.
    /// </summary>
    private static void Replace(IServiceCollection services, Func<IServiceProvider, IConfiguration, Func<IReadOnlyDictionary<string, string>>?> layer)
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
            var (user, earlier) = Unwrap(configuration);
            if (layer(serviceProvider, user) is not { } defaults)
            {
                return configuration;
            }

            return new ConfigurationBuilder()
                .Add(new LimitDefaults(defaults, earlier))
                .AddConfiguration(user, shouldDisposeConfiguration: false)
                .Build();
        });
    }

    /// <summary>The user's configuration and the defaults an earlier registration layered over it, if it did.</summary>
    private static (IConfiguration User, IConfigurationProvider? Earlier) Unwrap(IConfiguration configuration)
    {
        if (configuration is not IConfigurationRoot root)
        {
            return (configuration, null);
        }

        using var providers = root.Providers.GetEnumerator();
        // LimitDefaults is its own source, which few providers are: that test spares the name for the common case.
        if (providers.MoveNext() && providers.Current is { } first && first is IConfigurationSource && first.GetType().FullName == typeof(LimitDefaults).FullName
            && providers.MoveNext() && providers.Current is ChainedConfigurationProvider chained
            && !providers.MoveNext())
        {
            return (chained.Configuration, first);
        }

        return (configuration, null);
    }

    /// <summary>The larger of two limits (null when both are); <paramref name="first"/> when they are equal or one is not a number.</summary>
    private static string? Larger(string? first, string? second)
    {
        if (first is null || second is null)
        {
            return first ?? second;
        }

        return int.TryParse(second, NumberStyles.Integer, CultureInfo.InvariantCulture, out var secondValue)
            && int.TryParse(first, NumberStyles.Integer, CultureInfo.InvariantCulture, out var firstValue)
            && secondValue > firstValue ? second : first;
    }

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

    /// <summary>
    /// The defaults, computed on first use, each the larger of this registration's and the <paramref name="earlier"/>
    /// one's (another package's, so reached through its interface only); every configuration source above it wins.
    /// </summary>
    private sealed class LimitDefaults(Func<IReadOnlyDictionary<string, string>> compute, IConfigurationProvider? earlier) : IConfigurationSource, IConfigurationProvider
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
            if (!IsLimitName(key))
            {
                return false;
            }

            var name = LimitName(key);
            var own = this.Values() is { } defaults ? defaults.GetValueOrDefault(name) : null;
            var theirs = earlier is not null && earlier.TryGet(name, out var found) ? found : null;
            value = Larger(own, theirs);
            return value is not null;
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
            if (parentPath is not null)
            {
                return earlierKeys;
            }

            var keys = (this.Values()?.Keys ?? []).Concat(earlier?.GetChildKeys([], null) ?? []).ToList();
            return keys.Count == 0 ? earlierKeys : earlierKeys.Concat(keys).Order(ConfigurationKeyComparer.Instance);
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
