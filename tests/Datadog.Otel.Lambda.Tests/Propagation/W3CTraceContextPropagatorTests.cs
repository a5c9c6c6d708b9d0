// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.Propagation;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;

namespace Datadog.Otel.Lambda.Tests.Propagation;

/// <summary>Vectors of datadog-extension-otlp.md §4.2/§4.5 (dd-trace-dotnet W3CTraceContextPropagatorTests) and datadog-lambda-behaviour.md §5.2.</summary>
public class W3CTraceContextPropagatorTests
{
    private const string TraceParent123 = "00-000000000000000000000000075bcd15-000000003ade68b1-01";

    private static readonly W3CTraceContextPropagator Propagator = new();
    private static readonly DatadogCompositePropagator TraceContextOnly = new(new DatadogPropagationOptions
    {
        ExtractStyles = [DatadogPropagationStyle.TraceContext],
        InjectStyles = [DatadogPropagationStyle.TraceContext],
    });

    [Fact]
    public void Fields_AreTraceparentAndTracestate()
    {
        Assert.Equal(new[] { "traceparent", "tracestate" }, Propagator.Fields.OrderBy(f => f, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(1)]
    [InlineData(2)]
    public void Inject_KeptPriority_SetsSampledFlag(int? priority)
    {
        var state = priority is null ? null : $"dd=s:{priority}";

        var headers = Ctx.Inject(Propagator, Ctx.Create(0, 123456789, 987654321, state, sampled: true));

        Assert.Equal(TraceParent123, headers["traceparent"]);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    public void Inject_DroppedPriority_ClearsSampledFlag(int priority)
    {
        // The span itself is recorded (sampled-out spans are exported with their priority); the priority decides the flag.
        var headers = Ctx.Inject(Propagator, Ctx.Create(0, 123456789, 987654321, $"dd=s:{priority}", sampled: true));

        Assert.Equal("00-000000000000000000000000075bcd15-000000003ade68b1-00", headers["traceparent"]);
    }

    [Fact]
    public void Inject_128BitTraceId()
    {
        var headers = Ctx.Inject(Propagator, Ctx.Create(0x0123456789ABCDEF, 0x1122334455667788, 0x3ade68b1));

        Assert.Equal("00-0123456789abcdef1122334455667788-000000003ade68b1-01", headers["traceparent"]);
    }

    [Fact]
    public void Inject_NoPriority_DecidesOnInject()
    {
        var headers = Ctx.Inject(Propagator, Ctx.Create(0, 1, 2, sampled: true));

        Assert.Equal("dd=s:1;p:0000000000000002", headers["tracestate"]);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(-5)]
    public void Inject_WritesAnyPriority(int priority)
    {
        var headers = Ctx.Inject(Propagator, Ctx.Create(0, 1, 2, $"dd=s:{priority}"));

        Assert.Equal($"dd=s:{priority};p:0000000000000002", headers["tracestate"]);
    }

    [Fact]
    public void Inject_EncodesOrigin()
    {
        var context = Ctx.Extract(new DatadogPropagator(), Headers.Of(
            ("x-datadog-trace-id", "1"),
            ("x-datadog-parent-id", "2"),
            ("x-datadog-origin", "synthetics~;,=web"))).ActivityContext;

        var headers = Ctx.Inject(Propagator, context);

        Assert.Equal("dd=s:1;o:synthetics___~web;p:0000000000000002", headers["tracestate"]);
    }

    [Fact]
    public void Inject_EncodesEqualsInTagValues()
    {
        var context = Ctx.Extract(new DatadogPropagator(), Headers.Of(
            ("x-datadog-trace-id", "1"),
            ("x-datadog-parent-id", "2"),
            ("x-datadog-tags", "_dd.p.usr.id=MTIzNDU="))).ActivityContext;

        var headers = Ctx.Inject(Propagator, context);

        Assert.Equal("dd=s:1;p:0000000000000002;t.usr.id:MTIzNDU~", headers["tracestate"]);
    }

    [Fact]
    public void Inject_WritesOnlyPropagatedTags()
    {
        var context = Ctx.Extract(new DatadogPropagator(), Headers.Of(
            ("x-datadog-trace-id", "1"),
            ("x-datadog-parent-id", "2"),
            ("x-datadog-tags", "_dd.p.a=1,b=2"))).ActivityContext;

        var headers = Ctx.Inject(Propagator, context);

        Assert.Equal("dd=s:1;p:0000000000000002;t.a:1", headers["tracestate"]);
    }

    [Fact]
    public void Inject_WritesFieldsInOrderThenOtherVendors()
    {
        var context = Ctx.Create(0, 1, 2, "dd=s:1;o:rum;t.dm:-4;t.usr.id:12345,key1=value1");

        var headers = Ctx.Inject(Propagator, context);

        Assert.Equal("dd=s:1;o:rum;p:0000000000000002;t.dm:-4;t.usr.id:12345,key1=value1", headers["tracestate"]);
    }

    [Fact]
    public void Inject_128BitTrace_NeverWritesTid()
    {
        var context = Ctx.Create(0x1234567890abcdef, 1, 2, "dd=s:2;t.tid:1234567890abcdef");

        var headers = Ctx.Inject(Propagator, context);

        Assert.Equal("dd=s:2;p:0000000000000002", headers["tracestate"]);
    }

    [Fact]
    public void Inject_FullVector()
    {
        var context = Ctx.Create(0, 123456789, 987654321, "dd=s:2;o:origin,key1=value1");

        var headers = Ctx.Inject(Propagator, context);

        Assert.Equal(TraceParent123, headers["traceparent"]);
        Assert.Equal("dd=s:2;o:origin;p:000000003ade68b1,key1=value1", headers["tracestate"]);
    }

    [Fact]
    public void Inject_KeepsTheDatadogMemberWithinTheW3CLimit()
    {
        var longValue = new string('x', 150);
        var context = Ctx.Create(0, 1, 2, $"dd=s:2;t.a:{longValue};t.b:{longValue};t.c:short");

        var tracestate = Ctx.Inject(Propagator, context)["tracestate"]!;

        var member = tracestate["dd=".Length..];
        Assert.True(member.Length <= 256, member);
        Assert.StartsWith("s:2;p:0000000000000002;t.a:", member, StringComparison.Ordinal);
        Assert.EndsWith(";t.c:short", member, StringComparison.Ordinal);
        Assert.DoesNotContain("t.b:", member, StringComparison.Ordinal);
    }

    [Fact]
    public void Inject_TheLimitCountsTheFieldsDdTracePyCounts()
    {
        // dd-trace-py: s, o, t.dm and t.usr.id always go; another tag goes while those fields and the tags before it
        // (p: and the separators not counted) stay within 256 characters. s:1 is 3, t.a:<v> is 4 + v.
        var fits = Ctx.Inject(Propagator, Ctx.Create(0, 1, 2, "dd=s:1;t.a:" + new string('x', 249)))["tracestate"]!;
        var over = Ctx.Inject(Propagator, Ctx.Create(0, 1, 2, "dd=s:1;t.a:" + new string('x', 250)))["tracestate"]!;

        Assert.Equal("dd=s:1;p:0000000000000002;t.a:" + new string('x', 249), fits);
        Assert.Equal("dd=s:1;p:0000000000000002", over);
    }

    [Fact]
    public void Inject_WritesDecisionMakerAndUserIdBeforeTheOtherTags()
    {
        var tracestate = Ctx.Inject(Propagator, Ctx.Create(0, 1, 2, "dd=s:2;o:rum;t.a:1;t.usr.id:u~1;t.dm:-4,foo=1"))["tracestate"];

        Assert.Equal("dd=s:2;o:rum;p:0000000000000002;t.dm:-4;t.usr.id:u~1;t.a:1,foo=1", tracestate);
    }

    [Theory]
    [InlineData("01", "dd=o:rum", null)]
    [InlineData("00", "dd=o:rum", null)]
    [InlineData("01", "dd=s:0;o:rum;t.dm:-4", 0)]
    [InlineData("00", "dd=o:rum;s:2", 0)]
    [InlineData("01", "dd=o:rum;s:-1", 1)]
    [InlineData("00", "dd=o:synthetics", 0)]
    public void Extract_RumWithoutPriority_LeavesTheDecisionToTheLocalSampler(string flags, string traceState, int? priority)
    {
        // datadog-lambda-behaviour.md §5.2 and dd-trace-py: origin rum without (or with a zero) s: is not forced by the flag.
        var extracted = TraceContextOnly.ExtractDetailed(Headers.Of(("traceparent", TraceParent123[..^2] + flags), ("tracestate", traceState)), Headers.Getter);

        Assert.Equal(priority, extracted.SamplingPriority);
        if (priority is null)
        {
            // Undecided is kept until the sampler decides, as every undecided Datadog context.
            Assert.Equal(ActivityTraceFlags.Recorded, extracted.Parent.TraceFlags);
            Assert.Equal("rum", extracted.Origin);
        }

        if (traceState.Contains("t.dm", StringComparison.Ordinal))
        {
            Assert.Equal("_dd.p.dm=-4", Ctx.Tags(extracted.Parent));
        }
    }

    [Fact]
    public void Extract_SeveralTracestateHeaders_AFirstOneTooLongToJoinIsReadAsOneLongHeaderIs()
    {
        // The dd member first, then vendors past the 4,096 characters a join takes: a second header must not lose the dd member.
        var longHeader = "dd=s:2;o:rum," + string.Join(',', Enumerable.Range(0, 600).Select(i => $"v{i}=x{i}"));
        Assert.True(longHeader.Length > W3CHeaderFormat.MaxJoinedTraceStateLength);
        var headers = Headers.Of(("traceparent", TraceParent123), ("tracestate", longHeader));
        headers.Add("tracestate", "other=1");

        var extracted = TraceContextOnly.ExtractDetailed(headers, Headers.Getter);

        Assert.Equal(2, extracted.SamplingPriority);
        Assert.Equal("rum", extracted.Origin);
    }

    [Fact]
    public void Extract_ACharacterOutsidePrintableAscii_DiscardsTheWholeTracestate()
    {
        var extracted = TraceContextOnly.ExtractDetailed(Headers.Of(("traceparent", TraceParent123[..^2] + "00"), ("tracestate", "dd=s:2;o:rum,foo=\u00e9")), Headers.Getter);

        // dd included: the priority is the flag's, no origin, no other vendors.
        Assert.Equal(0, extracted.SamplingPriority);
        Assert.Null(extracted.Origin);
        Assert.Equal("dd=s:0", extracted.Parent.TraceState);
    }

    [Fact]
    public void Extract_ACharacterOutsidePrintableAsciiInAMemberTheLimitsDrop_DoesNotMatter()
    {
        var others = string.Join(",", Enumerable.Range(0, 31).Select(i => $"k{i}=v"));
        var extracted = TraceContextOnly.ExtractDetailed(Headers.Of(("traceparent", TraceParent123), ("tracestate", "dd=s:2," + others + ",late=\u00e9")), Headers.Getter);

        Assert.Equal(2, extracted.SamplingPriority);
        Assert.Equal("dd=s:2," + others, extracted.Parent.TraceState);
    }

    [Fact]
    public void Extract_TheLastDatadogMemberIsRead_AndTheOthersDropped()
    {
        var extracted = TraceContextOnly.ExtractDetailed(Headers.Of(("traceparent", TraceParent123), ("tracestate", "dd=s:-1;o:a,x=1,dd=s:2;o:b")), Headers.Getter);

        Assert.Equal(2, extracted.SamplingPriority);
        Assert.Equal("dd=s:2;o:b,x=1", extracted.Parent.TraceState);
    }

    [Fact]
    public void Extract_TheByteBudgetCountsTheDatadogMemberFirst()
    {
        // dd (400 characters) + ",a=<100>" (103) = 503; ",b=x" (4) = 507; ",c=<10>" (13) would be 520: packing stops.
        var dd = "dd=s:2;t.a:" + new string('x', 400 - 11);
        var a = "a=" + new string('y', 100);
        var extracted = TraceContextOnly.ExtractDetailed(Headers.Of(("traceparent", TraceParent123), ("tracestate", $"{a},b=x,c={new string('z', 10)},d=x,{dd}")), Headers.Getter);

        Assert.Equal($"{dd},{a},b=x", extracted.Parent.TraceState);
    }

    [Fact]
    public void Extract_AMemberOver128CharactersThatDoesNotFit_IsSkippedAndPackingGoesOn()
    {
        var a = "a=" + new string('x', 400);
        var b = "b=" + new string('y', 150);
        var extracted = TraceContextOnly.ExtractDetailed(Headers.Of(("traceparent", TraceParent123), ("tracestate", $"dd=s:2,{a},{b},c=1")), Headers.Getter);

        Assert.Equal($"dd=s:2,{a},c=1", extracted.Parent.TraceState);
    }

    [Fact]
    public void Extract_TooManyMembers_DropTheOnesOver128CharactersFirst()
    {
        var big = "big=" + new string('x', 130);
        var rest = string.Join(",", Enumerable.Range(1, 30).Select(i => $"k{i}=v"));
        var extracted = TraceContextOnly.ExtractDetailed(Headers.Of(("traceparent", TraceParent123), ("tracestate", $"dd=s:2,k0=v,{big},{rest}")), Headers.Getter);

        // 32 others, 31 allowed beside dd: the oversized one goes, k30 stays.
        Assert.Equal($"dd=s:2,k0=v,{rest}", extracted.Parent.TraceState);
    }

    [Fact]
    public void Extract_FullVector()
    {
        var extracted = TraceContextOnly.ExtractDetailed(
            Headers.Of(("traceparent", TraceParent123), ("tracestate", "dd=s:2;o:rum;t.dm:-4;t.usr.id:12345")),
            Headers.Getter);

        Assert.Equal(123456789UL, Ctx.Lower(extracted.Parent));
        Assert.Equal(987654321UL, Ctx.Span(extracted.Parent));
        Assert.Equal(2, extracted.SamplingPriority);
        Assert.Equal("rum", extracted.Origin);
        Assert.Equal("_dd.p.dm=-4,_dd.p.usr.id=12345", Ctx.Tags(extracted.Parent));
        Assert.Equal("0000000000000000", extracted.LastParentId);
        Assert.Null(extracted.DatadogParentIdTag);
        Assert.Equal(DatadogPropagationStyle.TraceContext, extracted.Style);
    }

    [Fact]
    public void Extract_NoTracestate_GivesAutoKeep()
    {
        var context = Ctx.Extract(Propagator, Headers.Of(("traceparent", TraceParent123))).ActivityContext;

        Assert.Equal(1, Ctx.Priority(context));
        Assert.Null(Ctx.Origin(context));
        Assert.Equal(string.Empty, Ctx.Tags(context));
        Assert.Equal(ActivityTraceFlags.Recorded, context.TraceFlags);
        Assert.True(context.IsRemote);
    }

    [Fact]
    public void Extract_JoinsSeveralTracestateHeaders()
    {
        var headers = Headers.Of(("traceparent", TraceParent123))
            .Add("tracestate", "abc=123")
            .Add("tracestate", "dd=s:2;o:rum;p:0123456789abcdef;t.dm:-4;t.usr.id:12345")
            .Add("tracestate", "foo=bar");

        var extracted = TraceContextOnly.ExtractDetailed(headers, Headers.Getter);

        Assert.Equal("dd=s:2;o:rum;t.dm:-4;t.usr.id:12345,abc=123,foo=bar", extracted.Parent.TraceState);
        Assert.Equal("0123456789abcdef", extracted.LastParentId);
        Assert.Equal("0123456789abcdef", extracted.DatadogParentIdTag);
    }

    [Fact]
    public void Extract_DecodesTildeInTagValues_AndKeepsOtherVendors()
    {
        var context = Ctx.Extract(Propagator, Headers.Of(("traceparent", TraceParent123), ("tracestate", "dd=s:2;o:rum;t.dm:-4;t.usr.id:12345~,key1=value1"))).ActivityContext;

        Assert.Equal("_dd.p.dm=-4,_dd.p.usr.id=12345=", Ctx.Tags(context));
        Assert.EndsWith(",key1=value1", context.TraceState, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_PythonStepFunctionsPair()
    {
        var context = Ctx.Extract(Propagator, Headers.Of(
            ("traceparent", "00-69f4ed3a00000000b12b6e05a63cdbd7-4c495ff0aa056cb3-01"),
            ("tracestate", "dd=p:4c495ff0aa056cb3;s:1;t.dm:-0;t.tid:69f4ed3a00000000"))).ActivityContext;

        Assert.Equal(12766418539254701015UL, Ctx.Lower(context));
        Assert.Equal(5497030307431673011UL, Ctx.Span(context));
        Assert.Equal(1, Ctx.Priority(context));
        Assert.Equal("_dd.p.dm=-0,_dd.p.tid=69f4ed3a00000000", Ctx.Tags(context));

        var datadog = Ctx.Inject(new DatadogPropagator(), context);
        Assert.Equal("12766418539254701015", datadog["x-datadog-trace-id"]);
        Assert.Equal("5497030307431673011", datadog["x-datadog-parent-id"]);
        Assert.Equal("_dd.p.dm=-0,_dd.p.tid=69f4ed3a00000000", datadog["x-datadog-tags"]);
    }

    [Fact]
    public void Extract_Version00WithTrailingData_IsInvalid()
    {
        Assert.Equal(default, Ctx.Extract(Propagator, Headers.Of(("traceparent", TraceParent123 + "-1234"))).ActivityContext);
    }

    [Fact]
    public void Extract_LaterVersionWithTrailingData_IsValid()
    {
        var context = Ctx.Extract(Propagator, Headers.Of(("traceparent", "02" + TraceParent123[2..] + "-1234"))).ActivityContext;

        Assert.Equal(123456789UL, Ctx.Lower(context));
    }

    [Theory]
    [InlineData("ff-000000000000000000000000075bcd15-000000003ade68b1-01")]
    [InlineData("00-000000000000000000000000075BCD15-000000003ade68b1-01")]
    [InlineData("00-000000000000000000000000075bcd15-000000003ADE68B1-01")]
    [InlineData("00-00000000000000000000000000000000-000000003ade68b1-01")]
    [InlineData("00-000000000000000000000000075bcd15-0000000000000000-01")]
    [InlineData("00-000000000000000000000000075bcd15-000000003ade68b1-0g")]
    [InlineData("00-000000000000000000000000075bcd15-000000003ade68b1")]
    [InlineData("00_000000000000000000000000075bcd15-000000003ade68b1-01")]
    [InlineData("0x-000000000000000000000000075bcd15-000000003ade68b1-01")]
    [InlineData("02-000000000000000000000000075bcd15-000000003ade68b1-01x")]
    [InlineData("")]
    public void Extract_MalformedTraceparent_GivesNoContext(string traceParent)
    {
        Assert.Equal(default, Ctx.Extract(Propagator, Headers.Of(("traceparent", traceParent), ("tracestate", "dd=s:2"))).ActivityContext);
    }

    [Fact]
    public void Extract_SeveralTraceparentHeaders_AreRejected()
    {
        var headers = Headers.Of(("traceparent", TraceParent123)).Add("traceparent", TraceParent123);

        Assert.Equal(default, Ctx.Extract(Propagator, headers).ActivityContext);
    }

    [Theory]
    [InlineData("02", false)]
    [InlineData("03", true)]
    [InlineData("ff", true)]
    [InlineData("00", false)]
    public void Extract_ReadsOnlyBitZeroOfTheFlags(string flags, bool sampled)
    {
        var context = Ctx.Extract(Propagator, Headers.Of(("traceparent", TraceParent123[..^2] + flags))).ActivityContext;

        Assert.Equal(sampled ? 1 : 0, Ctx.Priority(context));
    }

    [Theory]
    [InlineData("01", "dd=s:2;t.dm:-4", 2, "_dd.p.dm=-4")]
    [InlineData("01", "dd=t.dm:-4", 1, "_dd.p.dm=-4")]
    [InlineData("01", "dd=s:0;t.dm:-4", 1, "_dd.p.dm=-0")]
    [InlineData("01", "dd=s:-1", 1, "_dd.p.dm=-0")]
    [InlineData("00", "dd=s:-1;t.dm:-3", -1, "_dd.p.dm=-3")]
    [InlineData("00", "dd=s:0", 0, "")]
    [InlineData("00", "dd=t.usr.id:1", 0, "_dd.p.usr.id=1")]
    [InlineData("00", "dd=s:2;t.dm:-4;t.usr.id:1", 0, "_dd.p.usr.id=1")]
    public void Extract_ReconcilesSampledFlagAndPriority(string flags, string traceState, int priority, string tags)
    {
        var context = Ctx.Extract(Propagator, Headers.Of(("traceparent", TraceParent123[..^2] + flags), ("tracestate", traceState))).ActivityContext;

        Assert.Equal(priority, Ctx.Priority(context));
        Assert.Equal(tags, Ctx.Tags(context));
        Assert.Equal(priority > 0 ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None, context.TraceFlags);
    }

    [Theory]
    [InlineData("dd=s:x;o:rum", null)]
    [InlineData("dd=garbage", null)]
    [InlineData("dd=;;;s:2;;", null)]
    [InlineData("dd=s:2;", null)]
    [InlineData("dd=s:2;o:rum;junk", null)]
    [InlineData("dd=s:1.0", null)]
    [InlineData("dd=s:-1,dd=s:2", 2)]
    [InlineData("dd=s:2;s:0", null)]
    [InlineData("foo=1,,  ,dd=s:2", 2)]
    public void Extract_ToleratesMalformedTracestate(string traceState, int? upstreamPriority)
    {
        var context = Ctx.Extract(Propagator, Headers.Of(("traceparent", TraceParent123), ("tracestate", traceState))).ActivityContext;

        // The traceparent is valid, so the context is always there; the priority is s: when the (last) dd member was
        // readable, else the flag's: dd-trace-py ignores the whole member when a field has no ':' or s: is no integer.
        Assert.Equal(123456789UL, Ctx.Lower(context));
        Assert.Equal(upstreamPriority ?? 1, Ctx.Priority(context));
    }

    [Fact]
    public void Extract_KeepsOtherVendorMembersAsTheyCame()
    {
        // dd-trace-py does not check the other vendors' members one by one; it strips the whitespace around them.
        var context = Ctx.Extract(Propagator, Headers.Of(("traceparent", TraceParent123), ("tracestate", "good=1,novalue,=x,bad key=1,dd=s:2, spaced=ok \t"))).ActivityContext;

        Assert.Equal("dd=s:2,good=1,novalue,=x,bad key=1,spaced=ok", context.TraceState);
    }

    [Fact]
    public void ExtractThenInject_ReplacesParentAndKeepsTheRest()
    {
        var extracted = Ctx.Extract(Propagator, Headers.Of(("traceparent", TraceParent123), ("tracestate", "dd=s:2;o:rum;p:0123456789abcdef;t.dm:-4,foo=bar"))).ActivityContext;
        var child = new ActivityContext(extracted.TraceId, Lambda.Internal.DatadogIds.SpanId(0xabc), extracted.TraceFlags, extracted.TraceState);

        var headers = Ctx.Inject(Propagator, child);

        Assert.Equal("00-000000000000000000000000075bcd15-0000000000000abc-01", headers["traceparent"]);
        Assert.Equal("dd=s:2;o:rum;p:0000000000000abc;t.dm:-4,foo=bar", headers["tracestate"]);
    }

    [Fact]
    public void Extract_ReturnsTheIncomingContextWhenItIsAlreadyValid()
    {
        var incoming = new PropagationContext(Ctx.Create(0, 7, 8), default);

        Assert.Equal(incoming, Propagator.Extract(incoming, Headers.Of(("traceparent", TraceParent123)), Headers.Getter));
    }

    [Fact]
    public void OpenTelemetryTraceContextPropagator_ReadsWhatWeWrite()
    {
        var headers = Ctx.Inject(Propagator, Ctx.Create(0x0123456789ABCDEF, 0x1122334455667788, 0x3ade68b1, "dd=s:2;o:rum,foo=bar"));

        var context = new TraceContextPropagator().Extract(default, headers, Headers.Getter).ActivityContext;

        Assert.Equal("0123456789abcdef1122334455667788", context.TraceId.ToHexString());
        Assert.Equal("dd=s:2;o:rum;p:000000003ade68b1,foo=bar", context.TraceState);
    }
}
