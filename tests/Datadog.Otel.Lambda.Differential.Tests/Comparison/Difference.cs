// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Differential.Tests.Comparison;

/// <summary>
/// One way the two sides' output for a case differs, in Datadog's terms: a span (by its role in the invocation's trace,
/// e.g. <c>inferred</c>, <c>aws.lambda</c>, <c>cold_start</c>, or <c>trace</c>, <c>result</c>, <c>xray:trace</c>) and a
/// field (<c>name</c>, <c>service</c>, <c>resource</c>, <c>type</c>, <c>error</c>, <c>parent</c>, <c>start</c>,
/// <c>end</c>, <c>meta.*</c>, <c>metrics.*</c>, or <c>span</c> when the span exists on one side only). A null value is
/// an absent field.
/// </summary>
internal sealed record Difference(string CaseId, string Span, string Field, string? Node, string? Ours)
{
    public override string ToString() => $"{this.CaseId}: span {this.Span}, {this.Field}: Node.js {Show(this.Node)}, here {Show(this.Ours)}";

    private static string Show(string? value) => value is null ? "<absent>" : "'" + value + "'";
}
