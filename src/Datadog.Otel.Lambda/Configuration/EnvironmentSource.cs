// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda;

/// <summary>Environment sources: the process environment, or a fixed map (tests, examples).</summary>
internal static class EnvironmentSource
{
    public static readonly IEnvironmentSource Process = new ProcessEnvironment();

    public static IEnvironmentSource FromDictionary(IReadOnlyDictionary<string, string?> values) => new DictionaryEnvironment(values);

    private sealed class ProcessEnvironment : IEnvironmentSource
    {
        public string? Get(string name) => Environment.GetEnvironmentVariable(name);
    }

    private sealed class DictionaryEnvironment(IReadOnlyDictionary<string, string?> values) : IEnvironmentSource
    {
        public string? Get(string name) => values.TryGetValue(name, out var value) ? value : null;
    }
}
