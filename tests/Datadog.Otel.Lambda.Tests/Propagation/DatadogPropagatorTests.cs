// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.Propagation;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;

namespace Datadog.Otel.Lambda.Tests.Propagation;

/// <summary>Vectors of datadog-extension-otlp.md §4.1/§4.5 (dd-trace-dotnet DatadogPropagatorTests) and datadog-lambda-behaviour.md §5.1.</summary>
public class DatadogPropagatorTests
{
    private static readonly DatadogPropagator Propagator = new();

    [Fact]
    public void Fields_AreTheFiveDatadogHeaders()
    {
        Assert.Equal(
            new[] { "x-datadog-origin", "x-datadog-parent-id", "x-datadog-sampling-priority", "x-datadog-tags", "x-datadog-trace-id" },
            Propagator.Fields.OrderBy(f => f, StringComparer.Ordinal));
    }

    [Fact]
    public void Inject_WritesDecimalIdsPriorityOriginAndTags()
    {
        var context = Ctx.Create(0, 0x1234567890abcdef, 0x1122334455667788, "dd=s:-1;o:origin;t.key1:value1;t.key2:value2");

        var headers = Ctx.Inject(Propagator, context);

        Assert.Equal("1311768467294899695", headers["x-datadog-trace-id"]);
        Assert.Equal("1234605616436508552", headers["x-datadog-parent-id"]);
        Assert.Equal("-1", headers["x-datadog-sampling-priority"]);
        Assert.Equal("origin", headers["x-datadog-origin"]);
        Assert.Equal("_dd.p.key1=value1,_dd.p.key2=value2", headers["x-datadog-tags"]);
        Assert.Equal(5, headers.Names.Count);
    }

    [Fact]
    public void Inject_128BitTrace_WritesLower64AndTidTag()
    {
        var context = Ctx.Create(0x1234567890abcdef, 0x1122334455667788, 1);

        var headers = Ctx.Inject(Propagator, context);

        Assert.Equal("1234605616436508552", headers["x-datadog-trace-id"]);
        Assert.Equal("1", headers["x-datadog-parent-id"]);
        Assert.Equal("_dd.p.tid=1234567890abcdef", headers["x-datadog-tags"]);
    }

    [Fact]
    public void Inject_64BitTrace_WritesNoTidTag()
    {
        var headers = Ctx.Inject(Propagator, Ctx.Create(0, 0x1122334455667788, 1));

        Assert.Null(headers["x-datadog-tags"]);
    }

    [Fact]
    public void Inject_TidFromTraceStateIsReplacedByTheTraceIdsUpperBits()
    {
        var headers = Ctx.Inject(Propagator, Ctx.Create(0x1234567890abcdef, 1, 1, "dd=s:1;t.tid:ffffffffffffffff;t.dm:-0"));

        Assert.Equal("_dd.p.dm=-0,_dd.p.tid=1234567890abcdef", headers["x-datadog-tags"]);
    }

    [Fact]
    public void Inject_WithoutDatadogPriority_UsesTheSampledFlag()
    {
        Assert.Equal("1", Ctx.Inject(Propagator, Ctx.Create(0, 5, 6, sampled: true))["x-datadog-sampling-priority"]);
        Assert.Equal("0", Ctx.Inject(Propagator, Ctx.Create(0, 5, 6, sampled: false))["x-datadog-sampling-priority"]);
    }

    [Fact]
    public void Inject_InvalidContext_WritesNothing()
    {
        Assert.Empty(Ctx.Inject(Propagator, default).Names);
        Assert.Empty(Ctx.Inject(Propagator, Ctx.Create(0, 5, 0)).Names);
    }

    [Fact]
    public void Extract_OnlyTraceId_GivesTraceWithZeroSpanIdAndNoPriorityOrTags()
    {
        var context = Ctx.Extract(Propagator, Headers.Of(("x-datadog-trace-id", "1311768467294899695"))).ActivityContext;

        Assert.Equal("00000000000000001234567890abcdef", context.TraceId.ToHexString());
        Assert.Equal(default, context.SpanId);
        Assert.True(context.IsRemote);
        Assert.Null(Ctx.Priority(context));
        Assert.Equal(string.Empty, Ctx.Tags(context));
        Assert.Null(context.TraceState);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("id")]
    public void Extract_InvalidTraceId_GivesNoContext(string? traceId)
    {
        var headers = new Headers();
        headers.Add("x-datadog-trace-id", traceId!);
        headers.Add("x-datadog-parent-id", "987654321");
        headers.Add("x-datadog-sampling-priority", "2");

        var extracted = Ctx.Extract(Propagator, headers);

        Assert.Equal(default, extracted.ActivityContext);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("id")]
    public void Extract_InvalidParentId_GivesContextWithZeroSpanIdAndOtherFieldsIntact(string? parentId)
    {
        var headers = Headers.Of(
            ("x-datadog-trace-id", "123456789"),
            ("x-datadog-sampling-priority", "2"),
            ("x-datadog-origin", "rum"),
            ("x-datadog-tags", "_dd.p.dm=-4,_dd.p.usr.id=12345"));
        headers.Add("x-datadog-parent-id", parentId!);

        var context = Ctx.Extract(Propagator, headers).ActivityContext;

        Assert.Equal(123456789UL, Ctx.Lower(context));
        Assert.Equal(default, context.SpanId);
        Assert.Equal(2, Ctx.Priority(context));
        Assert.Equal("rum", Ctx.Origin(context));
        Assert.Equal("_dd.p.dm=-4,_dd.p.usr.id=12345", Ctx.Tags(context));
    }

    [Theory]
    [InlineData("-1000", -1000)]
    [InlineData("1000", 1000)]
    [InlineData("1.0", null)]
    [InlineData("1,0", null)]
    [InlineData("sampling.priority", null)]
    public void Extract_SamplingPriority_KeepsAnyIntegerOnly(string value, int? expected)
    {
        var context = Ctx.Extract(Propagator, Headers.Of(("x-datadog-trace-id", "1"), ("x-datadog-parent-id", "2"), ("x-datadog-sampling-priority", value))).ActivityContext;

        Assert.Equal(expected, Ctx.Priority(context));
        Assert.Equal(expected is null or > 0 ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None, context.TraceFlags);
    }

    [Fact]
    public void Extract_IgnoresLegacySampledHeader()
    {
        var context = Ctx.Extract(Propagator, Headers.Of(("x-datadog-trace-id", "5"), ("x-datadog-parent-id", "6"), ("x-datadog-sampled", "0"))).ActivityContext;

        Assert.Null(Ctx.Priority(context));
        Assert.Equal(ActivityTraceFlags.Recorded, context.TraceFlags);
    }

    [Fact]
    public void Extract_LambdaPlaceholderTraceId()
    {
        var context = Ctx.Extract(Propagator, Headers.Of(("x-datadog-trace-id", "1234"))).ActivityContext;

        Assert.Equal(1234UL, Ctx.Lower(context));
        Assert.Equal(0UL, Ctx.Upper(context));
    }

    [Fact]
    public void Extract_LambdaTraceIdWithDropPriority()
    {
        var context = Ctx.Extract(Propagator, Headers.Of(("x-datadog-trace-id", "1234"), ("x-datadog-sampling-priority", "-1"))).ActivityContext;

        Assert.Equal(1234UL, Ctx.Lower(context));
        Assert.Equal(-1, Ctx.Priority(context));
        Assert.Equal(ActivityTraceFlags.None, context.TraceFlags);
    }

    [Fact]
    public void Extract_TidTagBecomesUpper64Bits()
    {
        var context = Ctx.Extract(Propagator, Headers.Of(
            ("x-datadog-trace-id", "5744042798732701615"),
            ("x-datadog-sampling-priority", "-1"),
            ("x-datadog-tags", "_dd.p.tid=1914fe7789eb32be"))).ActivityContext;

        Assert.Equal("1914fe7789eb32be4fb6f07e011a6faf", context.TraceId.ToHexString());
        Assert.Equal(-1, Ctx.Priority(context));
    }

    [Fact]
    public void Extract_KeepsOnlyPropagatedTags_AndDropsAMalformedTid()
    {
        var context = Ctx.Extract(Propagator, Headers.Of(
            ("x-datadog-trace-id", "5"),
            ("x-datadog-tags", "_dd.p.tid=abc123,any=tag,_dd.p.dm=-4"))).ActivityContext;

        // dd-trace-py: the malformed _dd.p.tid is removed (malformed_tid abc123), the other tags stay.
        Assert.Equal("_dd.p.dm=-4", Ctx.Tags(context));
        Assert.Equal(0UL, Ctx.Upper(context));
    }

    [Theory]
    [InlineData("_dd.p.tid=1234567890ABCDEF")]
    [InlineData("_dd.p.tid=1234567890abcde")]
    [InlineData("_dd.p.tid=1234567890abcdef0")]
    [InlineData("_dd.p.tid=123456789-abcdef")]
    [InlineData("_dd.p.tid=0000000000000000")]
    public void Extract_TidMustBe16LowercaseHex(string tags)
    {
        var extracted = new DatadogCompositePropagator().ExtractDetailed(Headers.Of(("x-datadog-trace-id", "5"), ("x-datadog-tags", tags + ",_dd.p.dm=-4")), Headers.Getter);

        Assert.Equal(0UL, Ctx.Upper(extracted.Parent));
        Assert.Equal(5UL, Ctx.Lower(extracted.Parent));
        Assert.Equal("malformed_tid " + tags["_dd.p.tid=".Length..], extracted.PropagationError);
        Assert.Equal("_dd.p.dm=-4", Ctx.Tags(extracted.Parent));
    }

    [Theory]
    [InlineData("-0", true)]
    [InlineData("-4", true)]
    [InlineData("-255", true)]
    [InlineData("-256", false)]
    [InlineData("-00", false)]
    [InlineData("-01", false)]
    [InlineData("4", false)]
    [InlineData("-", false)]
    [InlineData("-x", false)]
    public void Extract_DecisionMakerOutsideMinus0ToMinus255_IsDroppedWithDecodingError(string dm, bool valid)
    {
        var extracted = new DatadogCompositePropagator().ExtractDetailed(
            Headers.Of(("x-datadog-trace-id", "5"), ("x-datadog-sampling-priority", "1"), ("x-datadog-tags", "_dd.p.dm=" + dm + ",_dd.p.usr.id=u")),
            Headers.Getter);

        Assert.Equal(valid ? null : "decoding_error", extracted.PropagationError);
        Assert.Equal(valid ? "_dd.p.dm=" + dm + ",_dd.p.usr.id=u" : "_dd.p.usr.id=u", Ctx.Tags(extracted.Parent));
    }

    [Fact]
    public void Extract_BadDecisionMakerAndMalformedTid_ReportDecodingError()
    {
        var extracted = new DatadogCompositePropagator().ExtractDetailed(
            Headers.Of(("x-datadog-trace-id", "5"), ("x-datadog-tags", "_dd.p.tid=xyz,_dd.p.dm=7")),
            Headers.Getter);

        // dd-trace-py checks _dd.p.tid, then _dd.p.dm: the later error wins.
        Assert.Equal("decoding_error", extracted.PropagationError);
        Assert.Equal(string.Empty, Ctx.Tags(extracted.Parent));
    }

    [Fact]
    public void Extract_TagValuesAreStrippedOfSpaces_AndATrailingCommaIsAllowed()
    {
        var extracted = new DatadogCompositePropagator().ExtractDetailed(
            Headers.Of(("x-datadog-trace-id", "5"), ("x-datadog-tags", "_dd.p.a=  x y ,_dd.p.tid= 1234567890abcdef ,")),
            Headers.Getter);

        Assert.Null(extracted.PropagationError);
        Assert.Equal("_dd.p.a=x y,_dd.p.tid=1234567890abcdef", Ctx.Tags(extracted.Parent));
        Assert.Equal(0x1234567890abcdefUL, Ctx.Upper(extracted.Parent));
    }

    [Fact]
    public void Inject_ContextWithAPropagationError_WritesNoTags()
    {
        // A context extracted with an error (here malformed_tid) still carries its other tags, but dd-trace-py sends no
        // x-datadog-tags for it; tracestate still carries them.
        var extracted = new DatadogCompositePropagator().ExtractDetailed(
            Headers.Of(("x-datadog-trace-id", "5"), ("x-datadog-parent-id", "6"), ("x-datadog-sampling-priority", "1"), ("x-datadog-tags", "_dd.p.tid=bad,_dd.p.dm=-4")),
            Headers.Getter);
        var child = new ActivityContext(extracted.Parent.TraceId, ActivitySpanId.CreateFromString("0000000000000007"), ActivityTraceFlags.Recorded, extracted.Parent.TraceState);

        var headers = Ctx.Inject(new DatadogCompositePropagator(), child);

        Assert.Null(headers["x-datadog-tags"]);
        Assert.Equal("5", headers["x-datadog-trace-id"]);
        Assert.Equal("dd=s:1;p:0000000000000007;t.dm:-4", headers["tracestate"]);
    }

    [Fact]
    public void Extract_DropsUpstreamServicesTag()
    {
        var context = Ctx.Extract(Propagator, Headers.Of(
            ("x-datadog-trace-id", "5"),
            ("x-datadog-tags", "_dd.p.upstream_services=abc|1|2,_dd.p.dm=-1"))).ActivityContext;

        Assert.Equal("_dd.p.dm=-1", Ctx.Tags(context));
    }

    [Fact]
    public void Extract_SplitsTagPairsAtTheFirstEquals()
    {
        var context = Ctx.Extract(Propagator, Headers.Of(("x-datadog-trace-id", "5"), ("x-datadog-tags", "_dd.p.usr.id=MTIzNDU="))).ActivityContext;

        Assert.Equal("_dd.p.usr.id=MTIzNDU=", Ctx.Tags(context));
        Assert.Equal("dd=t.usr.id:MTIzNDU~", context.TraceState);
    }

    [Fact]
    public void ExtractThenInject_RoundTripsAllHeaders()
    {
        var headers = Headers.Of(
            ("x-datadog-trace-id", "5744042798732701615"),
            ("x-datadog-parent-id", "987654321"),
            ("x-datadog-sampling-priority", "2"),
            ("x-datadog-origin", "synthetics"),
            ("x-datadog-tags", "_dd.p.dm=-4,_dd.p.usr.id=MTIzNDU=,_dd.p.tid=1914fe7789eb32be"));

        var context = Ctx.Extract(Propagator, headers).ActivityContext;
        var injected = Ctx.Inject(Propagator, context);

        foreach (var name in headers.Names)
        {
            Assert.Equal(headers[name], injected[name]);
        }
    }

    [Fact]
    public void Extract_ReturnsTheIncomingContextWhenItIsAlreadyValid()
    {
        var incoming = new PropagationContext(Ctx.Create(0, 7, 8), Baggage.Create(new Dictionary<string, string> { ["k"] = "v" }));

        var result = Propagator.Extract(incoming, Headers.Of(("x-datadog-trace-id", "1"), ("x-datadog-parent-id", "2")), Headers.Getter);

        Assert.Equal(incoming, result);
    }

    [Fact]
    public void Extract_KeepsTheIncomingBaggage()
    {
        var baggage = Baggage.Create(new Dictionary<string, string> { ["k"] = "v" });

        var result = Propagator.Extract(new PropagationContext(default, baggage), Headers.Of(("x-datadog-trace-id", "1")), Headers.Getter);

        Assert.Equal(baggage, result.Baggage);
        Assert.Equal(1UL, Ctx.Lower(result.ActivityContext));
    }

    [Fact]
    public void Extract_NullCarrierOrGetter_ReturnsTheContext()
    {
        Assert.Equal(default, Propagator.Extract<Headers>(default, null!, Headers.Getter));
        Assert.Equal(default, Propagator.Extract(default, new Headers(), null!));
    }

    [Fact]
    public void Extract_GetterThatThrows_ReturnsTheContext()
    {
        var result = Propagator.Extract(default, new Headers(), static (_, _) => throw new InvalidOperationException("boom"));

        Assert.Equal(default, result);
    }

    [Fact]
    public void Inject_SetterThatThrows_DoesNotThrow()
    {
        Propagator.Inject(new PropagationContext(Ctx.Create(0, 1, 2), default), new Headers(), static (_, _, _) => throw new InvalidOperationException("boom"));
    }

    [Fact]
    public void ContextWithZeroSpanId_StartsARootSpanInTheSameTrace()
    {
        using var source = new ActivitySource(nameof(ContextWithZeroSpanId_StartsARootSpanInTheSameTrace));
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s == source,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        var parent = Ctx.Extract(Propagator, Headers.Of(("x-datadog-trace-id", "1234"), ("x-datadog-sampling-priority", "2"))).ActivityContext;

        using var activity = source.StartActivity("aws.lambda", ActivityKind.Server, parent)!;

        Assert.Equal(parent.TraceId, activity.TraceId);
        Assert.Equal(default, activity.ParentSpanId);
        Assert.Equal(parent.TraceState, activity.TraceStateString);
        Assert.True(activity.HasRemoteParent);
    }
}
