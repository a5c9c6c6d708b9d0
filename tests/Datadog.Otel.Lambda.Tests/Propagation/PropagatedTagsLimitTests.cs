// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.Propagation;

namespace Datadog.Otel.Lambda.Tests.Propagation;

/// <summary><c>x-datadog-tags</c> limits and <c>_dd.propagation_error</c> values (datadog-extension-otlp.md §4.1).</summary>
public class PropagatedTagsLimitTests
{
    [Fact]
    public void Extract_TagsOverTheLimit_AreIgnoredWithExtractMaxSize()
    {
        var tags = "_dd.p.a=" + new string('x', 512 - 8 + 1);
        Assert.Equal(513, tags.Length);

        var extracted = new DatadogCompositePropagator().ExtractDetailed(Headers.Of(("x-datadog-trace-id", "5"), ("x-datadog-tags", tags)), Headers.Getter);

        Assert.True(extracted.HasContext);
        Assert.Equal("extract_max_size", extracted.PropagationError);
        Assert.Empty(extracted.PropagatedTags);
    }

    [Fact]
    public void Extract_TagsAtTheLimit_AreRead()
    {
        var tags = "_dd.p.a=" + new string('x', 512 - 8);

        var extracted = new DatadogCompositePropagator().ExtractDetailed(Headers.Of(("x-datadog-trace-id", "5"), ("x-datadog-tags", tags)), Headers.Getter);

        Assert.Null(extracted.PropagationError);
        Assert.Equal(tags, Ctx.Tags(extracted.Parent));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(0)]
    [InlineData(2000)]
    public void Extract_ConfiguredLimitDoesNotApply_ExtractionReadsUpTo512(int configured)
    {
        // dd-trace-py bounds extraction with the fixed default; DD_TRACE_X_DATADOG_TAGS_MAX_LENGTH bounds injection.
        var propagator = new DatadogCompositePropagator(new DatadogPropagationOptions { XDatadogTagsMaxLength = configured });

        var extracted = propagator.ExtractDetailed(Headers.Of(("x-datadog-trace-id", "5"), ("x-datadog-tags", "_dd.p.dm=-4")), Headers.Getter);
        var tooLong = propagator.ExtractDetailed(Headers.Of(("x-datadog-trace-id", "5"), ("x-datadog-tags", "_dd.p.a=" + new string('x', 505))), Headers.Getter);

        Assert.Null(extracted.PropagationError);
        Assert.Equal("_dd.p.dm=-4", Ctx.Tags(extracted.Parent));
        Assert.Equal("extract_max_size", tooLong.PropagationError);
    }

    [Theory]
    [InlineData(",")]
    [InlineData(",_dd.p.a=1")]
    [InlineData("_dd.p.a=1,,_dd.p.b=2")]
    [InlineData("_dd.p.a=1,_dd.p.b")]
    [InlineData("_dd.p.a=  ")]
    [InlineData(" _dd.p.a=1")]
    [InlineData("_dd.p.a")]
    [InlineData("_dd.p.a=")]
    [InlineData("=1")]
    [InlineData("_dd.p.a b=1")]
    [InlineData("_dd.p.a=é")]
    [InlineData("_dd.p.a=\t1")]
    public void Extract_MalformedPairs_FlagDecodingError(string tags)
    {
        var extracted = new DatadogCompositePropagator().ExtractDetailed(Headers.Of(("x-datadog-trace-id", "5"), ("x-datadog-tags", tags)), Headers.Getter);

        Assert.True(extracted.HasContext);
        Assert.Equal("decoding_error", extracted.PropagationError);
        Assert.Empty(extracted.PropagatedTags);
    }

    [Fact]
    public void Extract_OneMalformedPair_DiscardsTheWholeHeader()
    {
        var extracted = new DatadogCompositePropagator().ExtractDetailed(
            Headers.Of(("x-datadog-trace-id", "5"), ("x-datadog-tags", "_dd.p.tid=1234567890abcdef,_dd.p.dm=-4,bad")),
            Headers.Getter);

        // dd-trace-py keeps only the error: _dd.p.tid is lost too, so the trace id is the 64-bit one.
        Assert.Equal("decoding_error", extracted.PropagationError);
        Assert.Empty(extracted.PropagatedTags);
        Assert.Equal(0UL, Ctx.Upper(extracted.Parent));
    }

    [Fact]
    public void Extract_ValuesMayContainSpacesAndEquals()
    {
        var extracted = new DatadogCompositePropagator().ExtractDetailed(Headers.Of(("x-datadog-trace-id", "5"), ("x-datadog-tags", "_dd.p.a=x y=z")), Headers.Getter);

        Assert.Null(extracted.PropagationError);
        Assert.Equal("_dd.p.a=x y=z", Ctx.Tags(extracted.Parent));
    }

    [Fact]
    public void Inject_TagsOverTheLimit_AreNotWrittenAndTheSpanIsTagged()
    {
        using var source = new ActivitySource(nameof(Inject_TagsOverTheLimit_AreNotWrittenAndTheSpanIsTagged));
        using var listener = Listen(source);
        var propagator = new DatadogPropagator(20);
        using var activity = source.StartActivity("client", ActivityKind.Client, Ctx.Create(0, 5, 6, "dd=s:1;t.dm:-4;t.usr.id:123456789"))!;

        var headers = Ctx.Inject(propagator, activity.Context);

        Assert.Null(headers["x-datadog-tags"]);
        Assert.Equal("5", headers["x-datadog-trace-id"]);
        Assert.Equal("inject_max_size", activity.GetTagItem("_dd.propagation_error"));
    }

    [Fact]
    public void Inject_LimitZero_IsDisabled()
    {
        using var source = new ActivitySource(nameof(Inject_LimitZero_IsDisabled));
        using var listener = Listen(source);
        var propagator = new DatadogPropagator(0);
        using var activity = source.StartActivity("client", ActivityKind.Client, Ctx.Create(0, 5, 6, "dd=s:1;t.dm:-4"))!;

        var headers = Ctx.Inject(propagator, activity.Context);

        Assert.Null(headers["x-datadog-tags"]);
        Assert.Equal("disabled", activity.GetTagItem("_dd.propagation_error"));
    }

    [Fact]
    public void Inject_TidCountsTowardsTheLimit()
    {
        var headers = Ctx.Inject(new DatadogPropagator(26), Ctx.Create(0x1234567890abcdef, 5, 6));

        Assert.Equal("_dd.p.tid=1234567890abcdef", headers["x-datadog-tags"]);
        Assert.Null(Ctx.Inject(new DatadogPropagator(25), Ctx.Create(0x1234567890abcdef, 5, 6))["x-datadog-tags"]);
    }

    private static ActivityListener Listen(ActivitySource source)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = s => s == source,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
