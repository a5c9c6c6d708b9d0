// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Sampling;

/// <summary>A sampling-rule pattern for one span property or tag.</summary>
internal interface IValueMatcher
{
    /// <summary>
    /// Gets a value indicating whether a tag value that is a number with a fraction may match: only a glob made of
    /// <c>*</c> and <c>?</c> alone (Datadog's tracers keep <c>2*</c> from matching 20.1), or a regular expression that
    /// accepts anything. Such a number is then matched as Python writes it (<see cref="PythonText.FormatFloat"/>).
    /// </summary>
    bool WildcardsOnly { get; }

    bool IsMatch(string value);
}
