// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.ZeroCode.Tests.TestSupport;

/// <summary>Sets process environment variables and puts the previous values back when disposed.</summary>
internal sealed class EnvironmentScope : IDisposable
{
    private readonly Dictionary<string, string?> previous = new(StringComparer.Ordinal);

    public EnvironmentScope(IReadOnlyDictionary<string, string?> values)
    {
        foreach (var (name, value) in values)
        {
            this.Set(name, value);
        }
    }

    public void Set(string name, string? value)
    {
        this.previous.TryAdd(name, Environment.GetEnvironmentVariable(name));
        Environment.SetEnvironmentVariable(name, value);
    }

    public void Dispose()
    {
        foreach (var (name, value) in this.previous)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
