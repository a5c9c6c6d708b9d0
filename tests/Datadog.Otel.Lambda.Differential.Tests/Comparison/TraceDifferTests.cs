// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda.Differential.Tests.AcceptedDifferences;

namespace Datadog.Otel.Lambda.Differential.Tests.Comparison;

/// <summary>The differ and the accepted-difference matching on hand-made traces.</summary>
public sealed class TraceDifferTests
{
    private static NormalizedTrace Trace(params (string Role, string Name, string Parent, string? Tag)[] spans)
    {
        var trace = new NormalizedTrace();
        foreach (var (role, name, parent, tag) in spans)
        {
            var span = trace.Add(role, name);
            span.Fields["name"] = name;
            span.Fields["parent"] = parent;
            if (tag is not null)
            {
                span.Fields["meta.tag"] = tag;
            }
        }

        return trace;
    }

    private static AcceptedDifferenceSet Rows(string json) => AcceptedDifferenceSet.Parse(json);

    [Fact]
    public void AnUnlistedDifferenceIsReportedWithCaseSpanAndField()
    {
        var node = Trace(("aws.lambda", "aws.lambda", "none", "a"));
        var ours = Trace(("aws.lambda", "aws.lambda", "none", "b"));
        var result = TraceDiffer.Compare("case-1", node, ours, Rows("[]"));
        var difference = Assert.Single(result.Unaccepted);
        Assert.Equal("case-1: span aws.lambda, meta.tag: Node.js 'a', here 'b'", difference.ToString());
    }

    [Fact]
    public void AListedDifferenceIsAcceptedOnlyWithTheListedValues()
    {
        const string Rows1 = """[{"id":"r","kind":"library","topic":"t","python":"p","node":"n","here":"h","why":"w","match":[{"cases":["case-*"],"span":"aws.lambda","field":"meta.tag","node":"a","here":"/b+/"}]}]""";
        var accepted = Rows(Rows1);
        var ok = TraceDiffer.Compare("case-1", Trace(("aws.lambda", "aws.lambda", "none", "a")), Trace(("aws.lambda", "aws.lambda", "none", "bbb")), accepted);
        Assert.Empty(ok.Unaccepted);
        Assert.Single(ok.Accepted);
        Assert.Empty(accepted.Unused());

        var other = TraceDiffer.Compare("case-1", Trace(("aws.lambda", "aws.lambda", "none", "a")), Trace(("aws.lambda", "aws.lambda", "none", "c")), Rows(Rows1));
        Assert.Single(other.Unaccepted);
        var otherCase = TraceDiffer.Compare("another", Trace(("aws.lambda", "aws.lambda", "none", "a")), Trace(("aws.lambda", "aws.lambda", "none", "bbb")), Rows(Rows1));
        Assert.Single(otherCase.Unaccepted);
    }

    [Fact]
    public void AnAbsentValueIsMatchedByNullOnly()
    {
        const string Json = """[{"id":"r","kind":"library","topic":"t","python":"p","node":"n","here":"h","why":"w","match":[{"field":"meta.tag","node":null}]}]""";
        Assert.Empty(TraceDiffer.Compare("c", Trace(("aws.lambda", "aws.lambda", "none", null)), Trace(("aws.lambda", "aws.lambda", "none", "x")), Rows(Json)).Unaccepted);
        Assert.Single(TraceDiffer.Compare("c", Trace(("aws.lambda", "aws.lambda", "none", "y")), Trace(("aws.lambda", "aws.lambda", "none", "x")), Rows(Json)).Unaccepted);
    }

    [Fact]
    public void AnAcceptedExtraSpanIsSplicedOutAndItsChildrenTakeItsParent()
    {
        const string Json = """[{"id":"r","kind":"library","topic":"t","python":"p","node":"n","here":"h","why":"w","match":[{"span":"inferred","field":"span","node":null,"here":"aws.alb"}]}]""";
        var node = Trace(("aws.lambda", "aws.lambda", "upstream:7", null));
        var ours = Trace(("inferred", "aws.alb", "upstream:7", null), ("aws.lambda", "aws.lambda", "inferred", null));
        var result = TraceDiffer.Compare("c", node, ours, Rows(Json));
        Assert.Empty(result.Unaccepted);
        Assert.Equal("upstream:7", ours.Spans["aws.lambda"].Fields["parent"]);
    }

    [Fact]
    public void AnUnusedMatcherIsStale()
    {
        var accepted = Rows("""[{"id":"r","kind":"library","topic":"t","python":"p","node":"n","here":"h","why":"w","match":[{"field":"meta.gone"},{"field":"meta.noise","ignore":true}]}]""");
        TraceDiffer.Compare("c", Trace(("aws.lambda", "aws.lambda", "none", null)), Trace(("aws.lambda", "aws.lambda", "none", null)), accepted);
        var (row, matcher) = Assert.Single(accepted.Unused());
        Assert.Equal("r", row.Id);
        Assert.Equal("meta.gone", matcher.Field);
    }

    [Fact]
    public void AnUnknownPropertyInTheDataIsAnError() =>
        Assert.Throws<JsonException>(() => Rows("""[{"id":"r","kind":"library","topic":"t","python":"p","node":"n","here":"h","why":"w","fields":[]}]"""));
}
