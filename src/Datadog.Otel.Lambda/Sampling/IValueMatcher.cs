// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Sampling;

/// <summary>A sampling-rule pattern for one span property or tag.</summary>
internal interface IValueMatcher
{
    /// <summary>Gets a value indicating whether the pattern accepts anything, including a missing value.</summary>
    bool MatchesAll { get; }

    bool IsMatch(string value);
}
