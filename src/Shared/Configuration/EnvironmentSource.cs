// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Microsoft.Extensions.Configuration;

namespace Datadog.Otel.Lambda;

/// <summary>
/// Setting sources: the provider's <see cref="IConfiguration"/> (where every setting is read from: environment
/// variables are one of its sources, appsettings.json or any other can be others), the live process environment (for
/// the variables Lambda's runtime changes per invocation), or a fixed map (tests, examples).
/// </summary>
internal static class EnvironmentSource
{
    public static readonly IEnvironmentSource Process = new ProcessEnvironment();

    public static IEnvironmentSource FromDictionary(IReadOnlyDictionary<string, string?> values) => new DictionaryEnvironment(values);

    /// <summary>Reads settings by their environment variable names (<c>DD_SERVICE</c> …) as keys of <paramref name="configuration"/>.</summary>
    public static IEnvironmentSource FromConfiguration(IConfiguration configuration) => new ConfigurationEnvironment(configuration);

    /// <summary>Answers from <paramref name="source"/>, and from <paramref name="defaults"/> for the names it does not set.</summary>
    public static IEnvironmentSource WithDefaults(IEnvironmentSource source, IReadOnlyDictionary<string, string> defaults) =>
        defaults.Count == 0 ? source : new DefaultedEnvironment(source, defaults);

    private sealed class ProcessEnvironment : IEnvironmentSource
    {
        public string? Get(string name) => Environment.GetEnvironmentVariable(name);
    }

    private sealed class DictionaryEnvironment(IReadOnlyDictionary<string, string?> values) : IEnvironmentSource
    {
        public string? Get(string name) => values.TryGetValue(name, out var value) ? value : null;
    }

    private sealed class ConfigurationEnvironment(IConfiguration configuration) : IEnvironmentSource
    {
        public string? Get(string name) => configuration[name];
    }

    private sealed class DefaultedEnvironment(IEnvironmentSource source, IReadOnlyDictionary<string, string> defaults) : IEnvironmentSource
    {
        public string? Get(string name) => source.Get(name) is { Length: > 0 } value ? value : defaults.GetValueOrDefault(name);
    }
}
