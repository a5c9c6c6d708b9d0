// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Datadog.Otel.Lambda.Differential.Tests.Comparison;

namespace Datadog.Otel.Lambda.Differential.Tests.AcceptedDifferences;

/// <summary>
/// One row of <c>accepted-differences.json</c>: a way this library's output differs from Datadog's Node.js library, what
/// the Python library does, what is done here and why. <see cref="Match"/> says which differences of the comparison the
/// row covers; a row without matchers documents a choice that no Node.js comparison can show (Node.js and this library
/// agree there, Python differs).
/// </summary>
internal sealed class AcceptedDifference
{
    /// <summary>Gets the row's stable name.</summary>
    public required string Id { get; init; }

    /// <summary>
    /// Gets the kind of difference: <c>library</c> (Datadog's libraries differ, or this library chose; shown in
    /// docs/triggers.md), <c>tracer</c> (bookkeeping that dd-trace adds and an OTLP exporter does not), <c>otlp</c> (what
    /// the extension's OTLP path adds), <c>semconv</c> (OpenTelemetry attributes this library adds beside Datadog's).
    /// </summary>
    public required string Kind { get; init; }

    public required string Topic { get; init; }

    public required string Python { get; init; }

    public required string Node { get; init; }

    public required string Here { get; init; }

    public required string Why { get; init; }

    public IReadOnlyList<DifferenceMatcher> Match { get; init; } = [];
}

/// <summary>
/// Which differences a row covers: case ids, span role and field (globs with <c>*</c>), and optionally the values each
/// side must have (<c>null</c>: absent; <c>/regex/</c>; otherwise exact). An <see cref="Ignore"/> matcher removes the
/// field from the comparison before it is made (for values that legitimately differ from run to run); any other matcher
/// must cover at least one difference in every full run, or the row is stale and the test says so.
/// </summary>
internal sealed class DifferenceMatcher
{
    public IReadOnlyList<string> Cases { get; init; } = ["*"];

    public string Span { get; init; } = "*";

    public required string Field { get; init; }

    [JsonPropertyName("node")]
    public ValuePattern? NodeValue { get; init; }

    [JsonPropertyName("here")]
    public ValuePattern? OurValue { get; init; }

    public bool Ignore { get; init; }

    public bool Matches(string caseId, string span, string field) =>
        this.Cases.Any(c => Glob.IsMatch(c, caseId)) && Glob.IsMatch(this.Span, span) && Glob.IsMatch(this.Field, field);

    public bool Matches(Difference difference) =>
        this.Matches(difference.CaseId, difference.Span, difference.Field)
        && (this.NodeValue is null || this.NodeValue.IsMatch(difference.Node))
        && (this.OurValue is null || this.OurValue.IsMatch(difference.Ours));

    public override string ToString() =>
        $"cases [{string.Join(", ", this.Cases)}] span {this.Span} field {this.Field}" + (this.Ignore ? " (ignored)" : string.Empty);
}

/// <summary>An expected value: <see cref="Absent"/>, a <c>/regex/</c>, or exact text.</summary>
[JsonConverter(typeof(ValuePatternConverter))]
internal sealed class ValuePattern
{
    private readonly Regex? regex;

    public ValuePattern(string? text)
    {
        this.Text = text;
        if (text is { Length: > 1 } t && t[0] == '/' && t[^1] == '/')
        {
            this.regex = new Regex("^(?:" + t[1..^1] + ")$", RegexOptions.CultureInvariant);
        }
    }

    /// <summary>Gets the pattern as written; null means the field must be absent.</summary>
    public string? Text { get; }

    public bool IsMatch(string? value) => this.Text is null ? value is null : value is not null && (this.regex?.IsMatch(value) ?? this.Text == value);
}

internal static class Glob
{
    public static bool IsMatch(string pattern, string value) =>
        pattern == "*" || (pattern.Contains('*', StringComparison.Ordinal)
            ? Regex.IsMatch(value, "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant)
            : pattern == value);
}
