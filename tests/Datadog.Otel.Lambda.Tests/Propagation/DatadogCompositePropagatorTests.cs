// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.Propagation;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;

namespace Datadog.Otel.Lambda.Tests.Propagation;

/// <summary>
/// Multi-style vectors of datadog-extension-otlp.md §4.4/§4.5 (dd-trace-dotnet MultiSpanContextPropagatorTests: the
/// "headersN" cases of the cross-tracer system tests, and the <c>_dd.parent_id</c> vectors) and
/// datadog-lambda-behaviour.md §5.4.
/// </summary>
public class DatadogCompositePropagatorTests
{
    private static readonly DatadogPropagationStyle[] DatadogFirst = [DatadogPropagationStyle.Datadog, DatadogPropagationStyle.TraceContext, DatadogPropagationStyle.Baggage];
    private static readonly DatadogPropagationStyle[] TraceContextFirst = [DatadogPropagationStyle.TraceContext, DatadogPropagationStyle.Datadog, DatadogPropagationStyle.Baggage];

    private static readonly DatadogPropagationStyle[] AllInjectStyles =
    [
        DatadogPropagationStyle.Datadog,
        DatadogPropagationStyle.TraceContext,
        DatadogPropagationStyle.B3Multi,
        DatadogPropagationStyle.B3SingleHeader,
        DatadogPropagationStyle.Baggage,
    ];

    public static TheoryData<bool, bool> Orders => new()
    {
        { true, false },
        { true, true },
        { false, false },
        { false, true },
    };

    [Fact]
    public void Inject_AllStyles()
    {
        var propagator = new DatadogCompositePropagator(new DatadogPropagationOptions { InjectStyles = AllInjectStyles });
        var context = Ctx.Create(0, 123456789, 987654321, "dd=s:2;o:rum;t.key1:value1;t.key2:value2");
        var baggage = Baggage.Create(new Dictionary<string, string> { ["key1"] = "value1", ["key2"] = "value2" });

        var headers = Ctx.Inject(propagator, context, baggage);

        var expected = new Dictionary<string, string>
        {
            ["x-datadog-trace-id"] = "123456789",
            ["x-datadog-parent-id"] = "987654321",
            ["x-datadog-sampling-priority"] = "2",
            ["x-datadog-origin"] = "rum",
            ["x-datadog-tags"] = "_dd.p.key1=value1,_dd.p.key2=value2",
            ["x-b3-traceid"] = "000000000000000000000000075bcd15",
            ["x-b3-spanid"] = "000000003ade68b1",
            ["x-b3-flags"] = "1",
            ["b3"] = "000000000000000000000000075bcd15-000000003ade68b1-d",
            ["traceparent"] = "00-000000000000000000000000075bcd15-000000003ade68b1-01",
            ["tracestate"] = "dd=s:2;o:rum;p:000000003ade68b1;t.key1:value1;t.key2:value2",
            ["baggage"] = "key1=value1,key2=value2",
        };
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), headers.Names.Order(StringComparer.Ordinal));
        foreach (var (name, value) in expected)
        {
            Assert.Equal(value, headers[name]);
        }
    }

    [Fact]
    public void Inject_AllStyles_128BitTrace()
    {
        var propagator = new DatadogCompositePropagator(new DatadogPropagationOptions { InjectStyles = AllInjectStyles });
        var context = Ctx.Create(0x1234567890abcdef, 0x1122334455667788, 1, "dd=s:2;o:rum;t.key1:value1;t.key2:value2");

        var headers = Ctx.Inject(propagator, context);

        Assert.Equal("1234605616436508552", headers["x-datadog-trace-id"]);
        Assert.Equal("_dd.p.key1=value1,_dd.p.key2=value2,_dd.p.tid=1234567890abcdef", headers["x-datadog-tags"]);
        Assert.Equal("1234567890abcdef1122334455667788-0000000000000001-d", headers["b3"]);
        Assert.Equal("00-1234567890abcdef1122334455667788-0000000000000001-01", headers["traceparent"]);
    }

    [Fact]
    public void Inject_XRayStyle()
    {
        var propagator = new DatadogCompositePropagator(new DatadogPropagationOptions { InjectStyles = [DatadogPropagationStyle.XRay] });

        var headers = Ctx.Inject(propagator, Ctx.Create(0x5e2723908c398be0, 0x37738dc042009320, 0x94ae789b969f1cc5));

        Assert.Equal("Root=1-5e272390-8c398be037738dc042009320;Parent=94ae789b969f1cc5;Sampled=1", headers["X-Amzn-Trace-Id"]);
        Assert.Single(headers.Names);
    }

    [Fact]
    public void Inject_InvalidContext_WritesOnlyBaggage()
    {
        var propagator = new DatadogCompositePropagator();

        var headers = Ctx.Inject(propagator, default, Baggage.Create(new Dictionary<string, string> { ["k"] = "v" }));

        Assert.Equal(new[] { "baggage" }, headers.Names);
    }

    [Fact]
    public void Fields_AreTheUnionOfTheConfiguredStyles()
    {
        var propagator = new DatadogCompositePropagator(new DatadogPropagationOptions
        {
            ExtractStyles = [DatadogPropagationStyle.XRay],
            InjectStyles = [DatadogPropagationStyle.TraceContext, DatadogPropagationStyle.Baggage],
        });

        Assert.Equal(new[] { "X-Amzn-Trace-Id", "baggage", "traceparent", "tracestate" }, propagator.Fields.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public void Headers1_MatchingIds(bool datadogFirst, bool extractFirst)
    {
        var headers = Headers.Of(
            ("traceparent", "00-11111111111111110000000000000001-000000003ade68b1-01"),
            ("tracestate", "dd=s:2;o:rum;p:0123456789abcdef;t.tid:1111111111111111,foo=1"),
            ("x-datadog-trace-id", "1"),
            ("x-datadog-parent-id", "987654321"),
            ("x-datadog-sampling-priority", "2"),
            ("x-datadog-origin", "rum"),
            ("x-datadog-tags", "_dd.p.tid=1111111111111111"));

        var extracted = Create(datadogFirst, extractFirst).ExtractDetailed(headers, Headers.Getter);

        Assert.Equal("11111111111111110000000000000001", extracted.Parent.TraceId.ToHexString());
        Assert.Equal(987654321UL, Ctx.Span(extracted.Parent));
        Assert.Equal(2, extracted.SamplingPriority);
        Assert.Equal("rum", extracted.Origin);
        Assert.Equal("_dd.p.tid=1111111111111111", Ctx.Tags(extracted.Parent));
        Assert.Equal(datadogFirst ? null : "0123456789abcdef", extracted.DatadogParentIdTag);
        Assert.Equal(!(datadogFirst && extractFirst), HasVendor(extracted, "foo=1"));
        Assert.Empty(extracted.Links);
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public void Headers2_DifferentPriorities(bool datadogFirst, bool extractFirst)
    {
        var headers = Headers.Of(
            ("traceparent", "00-11111111111111110000000000000002-000000003ade68b1-01"),
            ("tracestate", "dd=s:1;o:rum;p:0123456789abcdef;t.tid:1111111111111111,foo=1"),
            ("x-datadog-trace-id", "2"),
            ("x-datadog-parent-id", "987654321"),
            ("x-datadog-sampling-priority", "2"),
            ("x-datadog-origin", "rum"),
            ("x-datadog-tags", "_dd.p.tid=1111111111111111"));

        var extracted = Create(datadogFirst, extractFirst).ExtractDetailed(headers, Headers.Getter);

        Assert.Equal("11111111111111110000000000000002", extracted.Parent.TraceId.ToHexString());
        Assert.Equal(datadogFirst ? 2 : 1, extracted.SamplingPriority);
        Assert.Empty(extracted.Links);
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public void Headers3_NoDatadogMemberInTracestate(bool datadogFirst, bool extractFirst)
    {
        var headers = Headers.Of(
            ("traceparent", "00-11111111111111110000000000000003-000000003ade68b1-01"),
            ("tracestate", "foo=1"),
            ("x-datadog-trace-id", "3"),
            ("x-datadog-parent-id", "987654321"),
            ("x-datadog-sampling-priority", "2"),
            ("x-datadog-origin", "rum"),
            ("x-datadog-tags", "_dd.p.tid=1111111111111111"));

        var extracted = Create(datadogFirst, extractFirst).ExtractDetailed(headers, Headers.Getter);

        Assert.Equal("11111111111111110000000000000003", extracted.Parent.TraceId.ToHexString());
        Assert.Equal(datadogFirst ? 2 : 1, extracted.SamplingPriority);
        Assert.Equal(datadogFirst ? "_dd.p.tid=1111111111111111" : string.Empty, Ctx.Tags(extracted.Parent));
        Assert.Empty(extracted.Links);
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public void Headers4_DifferentParentIds(bool datadogFirst, bool extractFirst)
    {
        var headers = Headers.Of(
            ("traceparent", "00-11111111111111110000000000000004-000000003ade68b1-01"),
            ("tracestate", "dd=s:2;o:rum;p:0123456789abcdef;t.tid:1111111111111111,foo=1"),
            ("x-datadog-trace-id", "4"),
            ("x-datadog-parent-id", "3540"),
            ("x-datadog-sampling-priority", "2"),
            ("x-datadog-origin", "rum"),
            ("x-datadog-tags", "_dd.p.tid=1111111111111111"));

        var extracted = Create(datadogFirst, extractFirst).ExtractDetailed(headers, Headers.Getter);

        if (datadogFirst && extractFirst)
        {
            Assert.Equal(3540UL, Ctx.Span(extracted.Parent));
            Assert.Null(extracted.DatadogParentIdTag);
            Assert.Null(extracted.LastParentId);
        }
        else
        {
            Assert.Equal(987654321UL, Ctx.Span(extracted.Parent));
            Assert.Equal("0123456789abcdef", extracted.DatadogParentIdTag);
        }

        Assert.Empty(extracted.Links);
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public void Headers5_DifferentTraceIds_BecomeLinks(bool datadogFirst, bool extractFirst)
    {
        var headers = Headers.Of(
            ("traceparent", "00-11111111111111110000000000000005-000000003ade68b1-01"),
            ("tracestate", "dd=s:2;o:rum;t.tid:1111111111111111,foo=1"),
            ("x-datadog-trace-id", "3541"),
            ("x-datadog-parent-id", "987654321"),
            ("x-datadog-sampling-priority", "2"),
            ("x-datadog-origin", "rum"),
            ("x-datadog-tags", "_dd.p.tid=1111111111111111"),
            ("baggage", "usr=customer,foo2=bar2"));

        var extracted = Create(datadogFirst, extractFirst).ExtractDetailed(headers, Headers.Getter);

        var w3cTrace = "11111111111111110000000000000005";
        var datadogTrace = "11111111111111110000000000000dd5";
        Assert.Equal(datadogFirst ? datadogTrace : w3cTrace, extracted.Parent.TraceId.ToHexString());
        Assert.Equal(datadogFirst ? DatadogPropagationStyle.Datadog : DatadogPropagationStyle.TraceContext, extracted.Style);
        if (extractFirst)
        {
            Assert.Empty(extracted.Links);
        }
        else
        {
            var link = Assert.Single(extracted.Links);
            Assert.Equal(datadogFirst ? w3cTrace : datadogTrace, link.Context.TraceId.ToHexString());
            Assert.Equal(987654321UL, Ctx.Span(link.Context));
            Assert.Equal("terminated_context", Tag(link, "reason"));
            Assert.Equal(datadogFirst ? "tracecontext" : "datadog", Tag(link, "context_headers"));
        }

        Assert.Equal("customer", extracted.Baggage.GetBaggage("usr"));
        Assert.Equal("bar2", extracted.Baggage.GetBaggage("foo2"));
    }

    [Fact]
    public void Links_CarryTracestateOnlyForTraceContext_AndSampledOnlyWithAPositivePriority()
    {
        var datadogFirst = Create(datadogFirst: true, extractFirst: false).ExtractDetailed(
            Headers.Of(
                ("x-datadog-trace-id", "3541"),
                ("x-datadog-parent-id", "10"),
                ("traceparent", "00-11111111111111110000000000000005-000000003ade68b1-00"),
                ("tracestate", " foo=1 ,dd=s:-1;o:rum;t.dm:-4")),
            Headers.Getter);
        var w3cFirst = Create(datadogFirst: false, extractFirst: false).ExtractDetailed(
            Headers.Of(
                ("x-datadog-trace-id", "3541"),
                ("x-datadog-parent-id", "10"),
                ("traceparent", "00-11111111111111110000000000000005-000000003ade68b1-01")),
            Headers.Getter);

        // The W3C link: its tracestate as dd-trace-py keeps it (dd first), not sampled (priority -1).
        var w3cLink = Assert.Single(datadogFirst.Links).Context;
        Assert.Equal("dd=s:-1;o:rum;t.dm:-4,foo=1", w3cLink.TraceState);
        Assert.Equal(ActivityTraceFlags.None, w3cLink.TraceFlags);

        // The Datadog link without a priority: no tracestate, not sampled.
        var datadogLink = Assert.Single(w3cFirst.Links).Context;
        Assert.Null(datadogLink.TraceState);
        Assert.Equal(ActivityTraceFlags.None, datadogLink.TraceFlags);
    }

    [Fact]
    public void Links_ToAContextWithoutASpanId_AreNotMade()
    {
        var extracted = Create(datadogFirst: false, extractFirst: false).ExtractDetailed(
            Headers.Of(
                ("x-datadog-trace-id", "3541"),
                ("x-datadog-sampling-priority", "2"),
                ("traceparent", "00-11111111111111110000000000000005-000000003ade68b1-01")),
            Headers.Getter);

        Assert.Empty(extracted.Links);
    }

    [Fact]
    public void ThreeStylesWithThreeTraceIds_FirstWinsAndTheOthersAreLinkedInOrder()
    {
        var propagator = new DatadogCompositePropagator(new DatadogPropagationOptions
        {
            ExtractStyles = [DatadogPropagationStyle.TraceContext, DatadogPropagationStyle.Datadog, DatadogPropagationStyle.B3Multi],
        });
        var headers = Headers.Of(
            ("traceparent", "00-11111111111111110000000000000005-000000003ade68b1-01"),
            ("tracestate", "dd=s:2;o:rum;t.tid:1111111111111111,foo=1"),
            ("x-datadog-trace-id", "3541"),
            ("x-datadog-parent-id", "987654321"),
            ("x-datadog-sampling-priority", "2"),
            ("x-b3-traceid", "11111111111111110000000000000b35"),
            ("x-b3-spanid", "000000003ade68b1"),
            ("x-b3-sampled", "1"));

        var extracted = propagator.ExtractDetailed(headers, Headers.Getter);

        Assert.Equal("11111111111111110000000000000005", extracted.Parent.TraceId.ToHexString());
        Assert.Equal(2, extracted.Links.Count);
        Assert.Equal("00000000000000000000000000000dd5", extracted.Links[0].Context.TraceId.ToHexString());
        Assert.Equal("datadog", Tag(extracted.Links[0], "context_headers"));
        Assert.Equal("11111111111111110000000000000b35", extracted.Links[1].Context.TraceId.ToHexString());
        Assert.Equal("b3multi", Tag(extracted.Links[1], "context_headers"));
    }

    [Theory]
    [InlineData("dd=s:2;p:000000003ade68b1,foo=1", "1", "987654321", 987654321UL, null)]
    [InlineData("dd=s:2;p:000000000000000a,foo=1", "2", "10", 10UL, null)]
    [InlineData("dd=s:2;p:000000000000000a,foo=1", "1", "10", 987654321UL, "000000000000000a")]
    [InlineData("dd=s:2,foo=1", "1", "10", 987654321UL, "000000000000000a")]
    [InlineData("dd=s:2;p:8fffffffffffffff,foo=1", "1", "10", 987654321UL, "8fffffffffffffff")]
    public void DatadogParentId_WhenDatadogIsFirst(string tracestate, string datadogTraceId, string datadogParentId, ulong spanId, string? parentIdTag)
    {
        var headers = Headers.Of(
            ("traceparent", "00-00000000000000000000000000000001-000000003ade68b1-01"),
            ("tracestate", tracestate),
            ("x-datadog-trace-id", datadogTraceId),
            ("x-datadog-parent-id", datadogParentId),
            ("x-datadog-sampling-priority", "2"));

        var extracted = Create(datadogFirst: true, extractFirst: false).ExtractDetailed(headers, Headers.Getter);

        Assert.Equal(spanId, Ctx.Span(extracted.Parent));
        Assert.Equal(parentIdTag, extracted.DatadogParentIdTag);
    }

    [Fact]
    public void DatadogParentId_WhenTheDatadogParentWasMissing_IsNotWritten()
    {
        var headers = Headers.Of(
            ("traceparent", "00-00000000000000000000000000000001-000000003ade68b1-01"),
            ("tracestate", "foo=1"),
            ("x-datadog-trace-id", "1"));

        var extracted = Create(datadogFirst: true, extractFirst: false).ExtractDetailed(headers, Headers.Getter);

        Assert.Equal(987654321UL, Ctx.Span(extracted.Parent));
        Assert.Equal("0000000000000000", extracted.LastParentId);
        Assert.Null(extracted.DatadogParentIdTag);
    }

    [Fact]
    public void SameTraceInAnotherStyle_IsNeitherLinkedNorMerged()
    {
        var propagator = new DatadogCompositePropagator(new DatadogPropagationOptions
        {
            ExtractStyles = [DatadogPropagationStyle.Datadog, DatadogPropagationStyle.B3Multi],
        });
        var headers = Headers.Of(
            ("x-datadog-trace-id", "5"),
            ("x-datadog-parent-id", "6"),
            ("x-b3-traceid", "0000000000000005"),
            ("x-b3-spanid", "0000000000000007"));

        var extracted = propagator.ExtractDetailed(headers, Headers.Getter);

        Assert.Equal(6UL, Ctx.Span(extracted.Parent));
        Assert.Empty(extracted.Links);
        Assert.Null(extracted.LastParentId);
    }

    [Fact]
    public void Restart_StartsANewTraceLinkedToTheExtractedOne()
    {
        var propagator = new DatadogCompositePropagator(new DatadogPropagationOptions { ExtractBehavior = DatadogPropagationBehavior.Restart });
        var headers = Headers.Of(
            ("x-datadog-trace-id", "5"),
            ("x-datadog-parent-id", "6"),
            ("x-datadog-sampling-priority", "2"),
            ("baggage", "k=v"));

        var extracted = propagator.ExtractDetailed(headers, Headers.Getter);

        Assert.False(extracted.HasContext);
        Assert.Null(extracted.SamplingPriority);
        var link = Assert.Single(extracted.Links);
        Assert.Equal(5UL, Ctx.Lower(link.Context));
        Assert.Equal(6UL, Ctx.Span(link.Context));
        Assert.Equal("propagation_behavior_extract", Tag(link, "reason"));
        Assert.Equal("datadog", Tag(link, "context_headers"));
        Assert.Equal(ActivityTraceFlags.Recorded, link.Context.TraceFlags);
        Assert.Null(link.Context.TraceState);
        Assert.Equal("v", extracted.Baggage.GetBaggage("k"));

        var publicResult = Ctx.Extract(propagator, headers);
        Assert.Equal(default, publicResult.ActivityContext);
        Assert.Equal("v", publicResult.Baggage.GetBaggage("k"));
    }

    [Fact]
    public void Ignore_ReadsNothingNotEvenBaggage()
    {
        var propagator = new DatadogCompositePropagator(new DatadogPropagationOptions { ExtractBehavior = DatadogPropagationBehavior.Ignore });
        var headers = Headers.Of(("x-datadog-trace-id", "5"), ("x-datadog-parent-id", "6"), ("baggage", "k=v"));

        var extracted = propagator.ExtractDetailed(headers, Headers.Getter);

        Assert.Same(ExtractedContext.Empty, extracted);
        Assert.Equal(default, Ctx.Extract(propagator, headers));
    }

    [Fact]
    public void Baggage_IsExtractedWithoutTraceContext()
    {
        var extracted = new DatadogCompositePropagator().ExtractDetailed(Headers.Of(("baggage", "k=v")), Headers.Getter);

        Assert.False(extracted.HasContext);
        Assert.Equal("v", extracted.Baggage.GetBaggage("k"));
    }

    [Fact]
    public void Baggage_IsNotReadWhenNotConfigured()
    {
        var propagator = new DatadogCompositePropagator(new DatadogPropagationOptions { ExtractStyles = [DatadogPropagationStyle.Datadog] });

        var extracted = propagator.ExtractDetailed(Headers.Of(("x-datadog-trace-id", "5"), ("baggage", "k=v")), Headers.Getter);

        Assert.Equal(0, extracted.Baggage.Count);
    }

    [Fact]
    public void Extract_PublicApi_ReturnsContextAndBaggage()
    {
        var headers = Headers.Of(("x-datadog-trace-id", "5"), ("x-datadog-parent-id", "6"), ("x-datadog-sampling-priority", "-1"), ("baggage", "k=v"));

        var result = Ctx.Extract(new DatadogCompositePropagator(), headers);

        Assert.Equal(5UL, Ctx.Lower(result.ActivityContext));
        Assert.Equal(-1, Ctx.Priority(result.ActivityContext));
        Assert.Equal("v", result.Baggage.GetBaggage("k"));
    }

    [Fact]
    public void Extract_PublicApi_KeepsAValidIncomingContextAndAddsBaggage()
    {
        var incoming = new PropagationContext(Ctx.Create(0, 7, 8), default);

        var result = new DatadogCompositePropagator().Extract(incoming, Headers.Of(("x-datadog-trace-id", "5"), ("baggage", "k=v")), Headers.Getter);

        Assert.Equal(incoming.ActivityContext, result.ActivityContext);
        Assert.Equal("v", result.Baggage.GetBaggage("k"));
    }

    [Fact]
    public void ExtractDetailed_FromADictionary()
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["X-Datadog-Trace-Id"] = "5",
            ["x-datadog-parent-id"] = "6",
            ["x-datadog-sampling-priority"] = "1",
            ["baggage"] = "k=v",
        };

        var extracted = new DatadogCompositePropagator().ExtractDetailed(headers);

        Assert.Equal(5UL, Ctx.Lower(extracted.Parent));
        Assert.Equal(1, extracted.SamplingPriority);
        Assert.Equal("v", extracted.Baggage.GetBaggage("k"));
        Assert.Equal(DatadogPropagationStyle.Datadog, extracted.Style);
    }

    [Fact]
    public void ExtractDetailed_ReportsThePropagationErrorOfTheWinner()
    {
        var headers = Headers.Of(("x-datadog-trace-id", "5"), ("x-datadog-tags", "_dd.p.ok=1,bad"));

        var extracted = new DatadogCompositePropagator().ExtractDetailed(headers, Headers.Getter);

        // dd-trace-py: one bad pair discards the whole header.
        Assert.Equal("decoding_error", extracted.PropagationError);
        Assert.Equal(string.Empty, Ctx.Tags(extracted.Parent));
    }

    [Fact]
    public void ExtractDetailed_GetterThatThrows_GivesEmpty()
    {
        var extracted = new DatadogCompositePropagator().ExtractDetailed(new Headers(), static (_, _) => throw new InvalidOperationException("boom"));

        Assert.Same(ExtractedContext.Empty, extracted);
    }

    [Fact]
    public void NoStyles_ExtractAndInjectNothing()
    {
        var propagator = new DatadogCompositePropagator(new DatadogPropagationOptions { ExtractStyles = [], InjectStyles = [] });

        Assert.False(propagator.ExtractDetailed(Headers.Of(("x-datadog-trace-id", "5")), Headers.Getter).HasContext);
        Assert.Empty(Ctx.Inject(propagator, Ctx.Create(0, 1, 2)).Names);
        Assert.Empty(propagator.Fields);
    }

    [Fact]
    public void XRayStyle_Extracts()
    {
        var propagator = new DatadogCompositePropagator(new DatadogPropagationOptions { ExtractStyles = [DatadogPropagationStyle.XRay] });

        var extracted = propagator.ExtractDetailed(Headers.Of(("X-Amzn-Trace-Id", "Root=1-68029e8a-0000000035578e774943fd9d;Parent=76c040bdc454a7ac;Sampled=1")), Headers.Getter);

        Assert.Equal(3843697449965452701UL, Ctx.Lower(extracted.Parent));
        Assert.Equal(DatadogPropagationStyle.XRay, extracted.Style);
    }

    [Fact]
    public void ExtractedContext_FeedsAnActivityThatInjectsTheSameTrace()
    {
        using var source = new ActivitySource(nameof(ExtractedContext_FeedsAnActivityThatInjectsTheSameTrace));
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s == source,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        var propagator = new DatadogCompositePropagator();
        var extracted = propagator.ExtractDetailed(
            Headers.Of(("x-datadog-trace-id", "5744042798732701615"), ("x-datadog-parent-id", "1"), ("x-datadog-sampling-priority", "2"), ("x-datadog-tags", "_dd.p.dm=-4")),
            Headers.Getter);

        using var activity = source.StartActivity("aws.lambda", ActivityKind.Server, extracted.Parent, links: extracted.Links)!;
        var headers = Ctx.Inject(propagator, activity.Context);

        Assert.Equal("5744042798732701615", headers["x-datadog-trace-id"]);
        Assert.Equal("2", headers["x-datadog-sampling-priority"]);
        Assert.Equal("_dd.p.dm=-4", headers["x-datadog-tags"]);
        Assert.Equal($"00-00000000000000004fb6f07e011a6faf-{activity.SpanId.ToHexString()}-01", headers["traceparent"]);
        Assert.Equal($"dd=s:2;p:{activity.SpanId.ToHexString()};t.dm:-4", headers["tracestate"]);
    }

    private static DatadogCompositePropagator Create(bool datadogFirst, bool extractFirst) =>
        new(new DatadogPropagationOptions { ExtractStyles = datadogFirst ? DatadogFirst : TraceContextFirst, ExtractFirst = extractFirst });

    private static bool HasVendor(ExtractedContext extracted, string member) =>
        (extracted.Parent.TraceState ?? string.Empty).Split(',').Contains(member);

    private static string? Tag(ActivityLink link, string key)
    {
        foreach (var tag in link.Tags ?? [])
        {
            if (tag.Key == key)
            {
                return tag.Value as string;
            }
        }

        return null;
    }
}
