// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Propagation;
using Xunit.Abstractions;

namespace Datadog.Otel.Lambda.Tests.Propagation;

/// <summary>
/// Bad and hostile header values: no exception, the spec's outcome, and no allocation that grows with the header.
/// Allocation is measured with <see cref="GC.GetAllocatedBytesForCurrentThread"/> around the span-based parsers
/// (which must allocate nothing) and around the whole extraction (which must allocate the same for a 10,000- and a
/// 100,000-character header).
/// </summary>
public class HostileInputTests(ITestOutputHelper output)
{
    private const string TraceParent = "00-000000000000000000000000075bcd15-000000003ade68b1-01";

    public static TheoryData<string> HostileValues => new()
    {
        new string('9', 10_000),
        new string('a', 10_000),
        new string(',', 10_000),
        new string('=', 10_000),
        new string(';', 10_000),
        new string('-', 10_000),
        string.Concat(Enumerable.Repeat("k=v,", 2_500)),
        string.Concat(Enumerable.Repeat("_dd.p.a=1,", 1_000)),
        "dd=" + string.Concat(Enumerable.Repeat("t.a:1;", 1_700)),
        "Root=1-5e272390-8c398be037738dc042009320;" + new string('x', 10_000),
        "\u0000\uffff\ud800" + new string('é', 10_000),
    };

    [Theory]
    [MemberData(nameof(HostileValues))]
    public void EveryHeaderWithAHostileValue_NeverThrows(string value)
    {
        var propagator = new DatadogCompositePropagator(new DatadogPropagationOptions
        {
            ExtractStyles = [DatadogPropagationStyle.Datadog, DatadogPropagationStyle.TraceContext, DatadogPropagationStyle.B3Multi, DatadogPropagationStyle.B3SingleHeader, DatadogPropagationStyle.XRay, DatadogPropagationStyle.Baggage],
        });
        foreach (var name in propagator.Fields)
        {
            var headers = Headers.Of((name, value));

            var extracted = propagator.ExtractDetailed(headers, Headers.Getter);

            Assert.False(extracted.HasContext, name);
        }
    }

    [Theory]
    [MemberData(nameof(HostileValues))]
    public void HostileOptionalHeaders_KeepTheContextAndBoundItsState(string value)
    {
        var headers = Headers.Of(
            ("x-datadog-trace-id", "5"),
            ("x-datadog-parent-id", value),
            ("x-datadog-sampling-priority", value),
            ("x-datadog-origin", value),
            ("x-datadog-tags", value),
            ("traceparent", "00-00000000000000000000000000000005-000000003ade68b1-01"),
            ("tracestate", value));

        var extracted = new DatadogCompositePropagator().ExtractDetailed(headers, Headers.Getter);

        Assert.Equal(5UL, Ctx.Lower(extracted.Parent));
        Assert.True((extracted.Parent.TraceState?.Length ?? 0) <= 1_100, extracted.Parent.TraceState);
    }

    [Theory]
    [InlineData("18446744073709551616")]
    [InlineData("99999999999999999999999")]
    [InlineData("+5")]
    [InlineData(" -5")]
    [InlineData("5.0")]
    [InlineData("0x5")]
    [InlineData("１２３")]
    [InlineData("5\u0000")]
    public void Extract_NonDecimalOrOverflowingTraceId_GivesNoContext(string traceId)
    {
        Assert.False(new DatadogCompositePropagator().ExtractDetailed(Headers.Of(("x-datadog-trace-id", traceId)), Headers.Getter).HasContext);
    }

    [Fact]
    public void Extract_MaximumTraceId_IsValid()
    {
        var extracted = new DatadogCompositePropagator().ExtractDetailed(Headers.Of(("x-datadog-trace-id", "18446744073709551615"), ("x-datadog-parent-id", " 7 ")), Headers.Getter);

        Assert.Equal(ulong.MaxValue, Ctx.Lower(extracted.Parent));
        Assert.Equal(7UL, Ctx.Span(extracted.Parent));
    }

    [Fact]
    public void Extract_DuplicatedDatadogHeaders_UseTheFirstValue()
    {
        var headers = Headers.Of(("x-datadog-trace-id", "5"), ("x-datadog-parent-id", "6"), ("x-datadog-sampling-priority", "2"))
            .Add("x-datadog-trace-id", "7")
            .Add("x-datadog-sampling-priority", "-1");

        var extracted = new DatadogCompositePropagator().ExtractDetailed(headers, Headers.Getter);

        Assert.Equal(5UL, Ctx.Lower(extracted.Parent));
        Assert.Equal(2, extracted.SamplingPriority);
    }

    [Fact]
    public void Extract_NonAsciiOrigin_IsEncodedInTheTraceState()
    {
        var extracted = new DatadogCompositePropagator().ExtractDetailed(Headers.Of(("x-datadog-trace-id", "5"), ("x-datadog-origin", "rüm;x")), Headers.Getter);

        Assert.Equal("dd=o:r_m_x", extracted.Parent.TraceState);
    }

    [Fact]
    public void Extract_OverLongOrigin_IsIgnored()
    {
        var extracted = new DatadogCompositePropagator().ExtractDetailed(Headers.Of(("x-datadog-trace-id", "5"), ("x-datadog-origin", new string('o', 257))), Headers.Getter);

        Assert.True(extracted.HasContext);
        Assert.Null(extracted.Origin);
    }

    [Fact]
    public void Extract_ManyTracestateHeaders_AreJoinedUpToABound()
    {
        var headers = Headers.Of(("traceparent", TraceParent));
        for (var i = 0; i < 2_000; i++)
        {
            headers.Add("tracestate", $"v{i}=x");
        }

        headers.Add("tracestate", "dd=s:2");

        var extracted = new DatadogCompositePropagator().ExtractDetailed(headers, Headers.Getter);

        // The dd member came after the joined budget, so the sampled flag decides; other vendors are capped at 32
        // members (a list without dd gets them all; the rebuilt dd member comes on top, as in dd-trace-py).
        Assert.Equal(1, extracted.SamplingPriority);
        Assert.True(extracted.Parent.TraceState!.Length <= 520, extracted.Parent.TraceState);
        Assert.Equal(33, extracted.Parent.TraceState.Split(',').Length);
    }

    [Fact]
    public void SpanParsers_AllocateNothing_EvenForHostileInput()
    {
        var hostile = new string('a', 10_000);
        var tags = string.Concat(Enumerable.Repeat("_dd.p.a=1,", 1_000));
        var traceState = "foo=bar," + string.Concat(Enumerable.Repeat("k=v,", 2_500)) + "dd=s:2;o:rum;t.dm:-4";
        var xray = "Root=1-5e272390-8c398be037738dc042009320;Parent=94ae789b969f1cc5;Sampled=1;" + hostile;
        var b3 = "00000000075bcd15-000000003ade68b1-1-" + hostile;

        void ParseAll()
        {
            DatadogHeaderFormat.TryParse("5", hostile, hostile, hostile, tags, out _);
            DatadogHeaderFormat.TryParse("5", "6", "2", "rum", tags.AsSpan(0, 500), out _);
            W3CHeaderFormat.TryParse(TraceParent, traceState, out _);
            W3CHeaderFormat.TryParse(hostile, hostile, out _);
            B3HeaderFormat.TryParseSingle(b3, out _);
            B3HeaderFormat.TryParseMulti(hostile, hostile, hostile, hostile, out _);
            XRayTraceHeader.TryParse(xray, out _);
            XRayHeaderFormat.TryParse(xray, out _);
            PropagatedTags.IsValidHeader(tags);
            TraceStateList.TryGetDatadogMember(traceState, out _);
        }

        ParseAll();
        var before = GC.GetAllocatedBytesForCurrentThread();
        ParseAll();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Extraction_AllocatesTheSameForAHeaderTenTimesLonger()
    {
        var propagator = new DatadogCompositePropagator();

        long Measure(int length)
        {
            var filler = string.Concat(Enumerable.Repeat("k=v,", length / 4));
            var headers = new Dictionary<string, string>
            {
                ["traceparent"] = TraceParent,
                ["tracestate"] = "dd=s:2;o:rum;t.dm:-4," + filler,
                ["x-datadog-trace-id"] = "123456789",
                ["x-datadog-parent-id"] = "987654321",
                ["x-datadog-origin"] = new string('o', length),
                ["x-datadog-tags"] = new string('t', length),
            };
            propagator.ExtractDetailed(headers);
            var before = GC.GetAllocatedBytesForCurrentThread();
            propagator.ExtractDetailed(headers);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        var small = Measure(10_000);
        var large = Measure(100_000);

        output.WriteLine($"detailed extraction (datadog + tracecontext + baggage styles): {small} bytes");
        Assert.Equal(small, large);
        Assert.True(small < 4_096, $"{small} bytes");
    }
}
