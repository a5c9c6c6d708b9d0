// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Collections.Frozen;
using Datadog.Otel.Lambda.Diagnostics;

namespace Datadog.Otel.Lambda.Payload;

/// <summary>
/// Which names are secrets: the built-in ones (<see cref="SensitiveKeys"/>, which cannot be turned off) and the user's
/// own, from <see cref="DatadogLambdaOptions.RedactedKeys"/> and <c>DD_OTEL_LAMBDA_REDACTED_KEYS</c> (comma-separated),
/// matched whole after the same normalization. Read once per provider.
/// </summary>
internal sealed class RedactionRules
{
    /// <summary>The built-in names only.</summary>
    public static readonly RedactionRules Default = new(FrozenSet<string>.Empty);

    /// <summary>User names beyond this many are ignored (with a diagnostic): a key is checked against all of them.</summary>
    public const int MaxUserNames = 256;

    private readonly FrozenSet<string> userNames;

    private RedactionRules(FrozenSet<string> userNames)
    {
        this.userNames = userNames;
    }

    /// <summary>The user's normalized names, for tests and diagnostics.</summary>
    public IReadOnlyCollection<string> UserNames => this.userNames;

    /// <summary>The built-in names plus <paramref name="optionNames"/> and the comma-separated <paramref name="variableValue"/>.</summary>
    public static RedactionRules Create(IEnumerable<string>? optionNames, string? variableValue, string variableName)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in optionNames ?? [])
        {
            Add(names, name, "DatadogLambdaOptions.RedactedKeys");
        }

        foreach (var name in (variableValue ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            Add(names, name, variableName);
        }

        return names.Count == 0 ? Default : new RedactionRules(names.ToFrozenSet(StringComparer.Ordinal));
    }

    public bool IsSensitive(ReadOnlySpan<char> name)
    {
        if (SensitiveKeys.IsSensitive(name))
        {
            return true;
        }

        if (this.userNames.Count == 0 || name.Length > 256)
        {
            return false;
        }

        Span<char> buffer = stackalloc char[name.Length];
        var normalized = SensitiveKeys.Normalize(name, buffer);
#if NET9_0_OR_GREATER
        return this.userNames.GetAlternateLookup<ReadOnlySpan<char>>().Contains(normalized);
#else
        return this.userNames.Contains(normalized.ToString());
#endif
    }

    /// <summary>The last dot-separated segment of a payload key (see <see cref="SensitiveKeys.IsSensitiveLastSegment"/>).</summary>
    public bool IsSensitiveLastSegment(ReadOnlySpan<char> name)
    {
        var dot = name.LastIndexOf('.');
        return this.IsSensitive(dot < 0 ? name : name[(dot + 1)..]);
    }

    private static void Add(HashSet<string> names, string name, string source)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return;
        }

        if (names.Count == MaxUserNames)
        {
            Diag.InvalidSetting(source, name, $"more than {MaxUserNames} redacted key names; this one and the ones after it are ignored");
            return;
        }

        var trimmed = name.Trim();
        Span<char> buffer = trimmed.Length <= 256 ? stackalloc char[trimmed.Length] : new char[trimmed.Length];
        var normalized = SensitiveKeys.Normalize(trimmed, buffer);
        if (normalized.IsEmpty)
        {
            return;
        }

        names.Add(normalized.ToString());
    }
}
