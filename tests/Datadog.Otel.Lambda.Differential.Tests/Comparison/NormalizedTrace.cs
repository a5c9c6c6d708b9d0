// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Differential.Tests.Comparison;

/// <summary>A span in comparable form: its role, the name it had, and every field as text (absent fields are missing).</summary>
internal sealed class NormalizedSpan
{
    public NormalizedSpan(string role, string name)
    {
        this.Role = role;
        this.Name = name;
    }

    public string Role { get; }

    public string Name { get; }

    public SortedDictionary<string, string> Fields { get; } = new(StringComparer.Ordinal);

    public override string ToString() => $"{this.Role} ({this.Name})";
}

/// <summary>One side's output for one case in comparable form: spans by role, plus the <c>trace</c>, <c>result</c> and X-Ray pseudo-spans.</summary>
internal sealed class NormalizedTrace
{
    public SortedDictionary<string, NormalizedSpan> Spans { get; } = new(StringComparer.Ordinal);

    public NormalizedSpan Add(string role, string name)
    {
        var span = new NormalizedSpan(role, name);
        this.Spans.Add(role, span);
        return span;
    }
}
