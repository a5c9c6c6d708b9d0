// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.RegularExpressions;

namespace Datadog.Otel.Lambda.Sampling;

/// <summary>
/// <c>DD_TRACE_SAMPLING_RULES_FORMAT=regex</c>: the pattern must match the whole value, case-insensitively. Interpreted
/// (no <c>RegexOptions.Compiled</c>, which Native AOT cannot use) and bounded by a match timeout; a timeout counts as
/// no match.
/// </summary>
internal sealed class RegexMatcher : IValueMatcher
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);
    private readonly Regex regex;

    public RegexMatcher(string pattern)
    {
        regex = new Regex("^(?:" + pattern + ")$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, MatchTimeout);
        WildcardsOnly = pattern is ".*" or "(.*)";
    }

    /// <inheritdoc/>
    public bool WildcardsOnly { get; }

    public bool IsMatch(string value)
    {
        try
        {
            return regex.IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
