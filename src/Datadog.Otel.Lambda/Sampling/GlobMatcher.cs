// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Sampling;

/// <summary>
/// Datadog's glob for sampling rules: <c>*</c> any run of characters, <c>?</c> exactly one, everything else literal,
/// case-insensitive. Linear-time matching (one backtrack point), no allocation.
/// </summary>
internal sealed class GlobMatcher : IValueMatcher
{
    private readonly string pattern;
    private readonly bool matchesAll;

    public GlobMatcher(string pattern)
    {
        this.pattern = pattern;
        matchesAll = pattern.Length > 0 && pattern.AsSpan().TrimStart('*').IsEmpty;
        WildcardsOnly = pattern.AsSpan().TrimStart("*?").IsEmpty;
    }

    /// <inheritdoc/>
    public bool WildcardsOnly { get; }

    public bool IsMatch(string value) => matchesAll || IsMatch(pattern, value);

    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> value)
    {
        var p = 0;
        var v = 0;
        var starPattern = -1;
        var starValue = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                starPattern = p++;
                starValue = v;
            }
            else if (p < pattern.Length && (pattern[p] == '?' || EqualsIgnoreCase(pattern[p], value[v])))
            {
                p++;
                v++;
            }
            else if (starPattern >= 0)
            {
                p = starPattern + 1;
                v = ++starValue;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private static bool EqualsIgnoreCase(char a, char b) =>
        a == b || char.ToUpperInvariant(a) == char.ToUpperInvariant(b);
}
