// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Propagation;

namespace Datadog.Otel.Lambda.Tests.Propagation;

/// <summary>Vectors of datadog-extension-otlp.md §4.3/§4.5 (dd-trace-dotnet B3 tests, extension tests) and datadog-lambda-behaviour.md §5.3.</summary>
public class B3PropagatorTests
{
    private static readonly B3Propagator Single = new(singleHeader: true);
    private static readonly B3Propagator Multi = new();

    [Fact]
    public void Fields_DependOnTheForm()
    {
        Assert.Equal(new[] { "b3" }, Single.Fields);
        Assert.Equal(new[] { "x-b3-flags", "x-b3-sampled", "x-b3-spanid", "x-b3-traceid" }, Multi.Fields.OrderBy(f => f, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("00000000075bcd15-000000003ade68b1-1", 1)]
    [InlineData("00000000075bcd15-000000003ade68b1-0", 0)]
    [InlineData("00000000075bcd15-000000003ade68b1-d", 2)]
    [InlineData("00000000075bcd15-000000003ade68b1-x", 0)]
    [InlineData("00000000075bcd15-000000003ade68b1", null)]
    [InlineData("00000000075bcd15-000000003ade68b1-1-0000000000000005", 1)]
    [InlineData("000000000000000000000000075bcd15-000000003ade68b1-1-0000000000000005", 1)]
    public void ExtractSingle_MapsSamplingStateToPriority(string value, int? priority)
    {
        var context = Ctx.Extract(Single, Headers.Of(("b3", value))).ActivityContext;

        Assert.Equal(123456789UL, Ctx.Lower(context));
        Assert.Equal(0UL, Ctx.Upper(context));
        Assert.Equal(987654321UL, Ctx.Span(context));
        Assert.Equal(priority, Ctx.Priority(context));
    }

    [Fact]
    public void ExtractSingle_128BitTraceId()
    {
        var context = Ctx.Extract(Single, Headers.Of(("b3", "1234567890abcdef1122334455667788-000000003ade68b1-1"))).ActivityContext;

        Assert.Equal("1234567890abcdef1122334455667788", context.TraceId.ToHexString());
        Assert.Equal(1, Ctx.Priority(context));
    }

    [Fact]
    public void ExtractSingle_128BitTraceId_InjectsTidInDatadogHeaders()
    {
        var context = Ctx.Extract(Single, Headers.Of(("b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1"))).ActivityContext;

        Assert.Equal("_dd.p.tid=80f198ee56343ba8", Ctx.Inject(new DatadogPropagator(), context)["x-datadog-tags"]);
    }

    [Fact]
    public void ExtractSingle_64BitTraceId_InjectsNoTid()
    {
        var context = Ctx.Extract(Single, Headers.Of(("b3", "80f198ee56343ba8-e457b5a2e4d86bd1-1"))).ActivityContext;

        Assert.Equal(0UL, Ctx.Upper(context));
        Assert.Null(Ctx.Inject(new DatadogPropagator(), context)["x-datadog-tags"]);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("d")]
    [InlineData("")]
    [InlineData("00000000075bcd1-000000003ade68b1-1")]
    [InlineData("00000000075bcd15-00000003ade68b1-1")]
    [InlineData("00000000075bcd15-000000003ade68b1-11")]
    [InlineData("00000000075bcd15-000000003ade68b1-1-00000005")]
    [InlineData("0000000000000000-000000003ade68b1-1")]
    [InlineData("00000000075bcd15-0000000000000000-1")]
    [InlineData("00000000075bcd1g-000000003ade68b1-1")]
    public void ExtractSingle_Malformed_GivesNoContext(string value)
    {
        Assert.Equal(default, Ctx.Extract(Single, Headers.Of(("b3", value))).ActivityContext);
    }

    [Theory]
    [InlineData("1", null, 1)]
    [InlineData("0", null, 0)]
    [InlineData("true", null, 1)]
    [InlineData("false", null, 0)]
    [InlineData("0", "1", 2)]
    [InlineData(null, "1", 2)]
    [InlineData(null, null, null)]
    [InlineData("2", null, null)]
    public void ExtractMulti_MapsSampledAndFlagsToPriority(string? sampled, string? flags, int? priority)
    {
        var headers = Headers.Of(("x-b3-traceid", "00000000075bcd15"), ("x-b3-spanid", "000000003ade68b1"));
        if (sampled is not null)
        {
            headers.Add("x-b3-sampled", sampled);
        }

        if (flags is not null)
        {
            headers.Add("x-b3-flags", flags);
        }

        var context = Ctx.Extract(Multi, headers).ActivityContext;

        Assert.Equal(123456789UL, Ctx.Lower(context));
        Assert.Equal(987654321UL, Ctx.Span(context));
        Assert.Equal(priority, Ctx.Priority(context));
    }

    [Fact]
    public void ExtractMulti_AcceptsUppercaseHexAnd32DigitIds()
    {
        var context = Ctx.Extract(Multi, Headers.Of(("x-b3-traceid", "1234567890ABCDEF1122334455667788"), ("x-b3-spanid", "000000003ADE68B1"), ("x-b3-sampled", "1"))).ActivityContext;

        Assert.Equal("1234567890abcdef1122334455667788", context.TraceId.ToHexString());
        Assert.Equal(987654321UL, Ctx.Span(context));
    }

    [Theory]
    [InlineData("00000000075bcd15", "")]
    [InlineData("00000000075bcd15", "3ade68b1")]
    [InlineData("075bcd15", "000000003ade68b1")]
    [InlineData("0000000000000000", "000000003ade68b1")]
    [InlineData("00000000075bcd15", "0000000000000000")]
    public void ExtractMulti_Malformed_GivesNoContext(string traceId, string spanId)
    {
        Assert.Equal(default, Ctx.Extract(Multi, Headers.Of(("x-b3-traceid", traceId), ("x-b3-spanid", spanId), ("x-b3-sampled", "1"))).ActivityContext);
    }

    [Fact]
    public void InjectMulti_Writes32HexTraceIdSpanIdAndSampled()
    {
        var headers = Ctx.Inject(Multi, Ctx.Create(0, 123456789, 987654321, "dd=s:1"));

        Assert.Equal("000000000000000000000000075bcd15", headers["x-b3-traceid"]);
        Assert.Equal("000000003ade68b1", headers["x-b3-spanid"]);
        Assert.Equal("1", headers["x-b3-sampled"]);
        Assert.Equal(3, headers.Names.Count);
    }

    [Fact]
    public void InjectMulti_UserKeep_WritesFlagsNotSampled()
    {
        // dd-trace-py's form: priority 2 travels as the debug flag, which extraction reads back as 2.
        var headers = Ctx.Inject(Multi, Ctx.Create(0, 123456789, 987654321, "dd=s:2"));

        Assert.Equal("1", headers["x-b3-flags"]);
        Assert.DoesNotContain("x-b3-sampled", headers.Names);
        Assert.Equal(3, headers.Names.Count);
    }

    [Theory]
    [InlineData("dd=s:2", 2)]
    [InlineData("dd=s:1", 1)]
    [InlineData("dd=s:0", 0)]
    public void InjectThenExtract_KeepsThePriority(string traceState, int priority)
    {
        foreach (var propagator in new[] { Multi, Single })
        {
            var headers = Ctx.Inject(propagator, Ctx.Create(0, 123456789, 987654321, traceState));
            var extracted = Ctx.Extract(propagator, Headers.Of(headers.Names.Select(n => (n, headers[n]!)).ToArray())).ActivityContext;
            Assert.Contains($"s:{priority}", extracted.TraceState, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void InjectMulti_DroppedPriority_WritesSampledZero()
    {
        Assert.Equal("0", Ctx.Inject(Multi, Ctx.Create(0, 1, 2, "dd=s:-1"))["x-b3-sampled"]);
    }

    [Fact]
    public void InjectSingle_WritesTheFullHeader()
    {
        Assert.Equal("000000000000000000000000075bcd15-000000003ade68b1-1", Ctx.Inject(Single, Ctx.Create(0, 123456789, 987654321, "dd=s:1"))["b3"]);
        Assert.Equal("000000000000000000000000075bcd15-000000003ade68b1-d", Ctx.Inject(Single, Ctx.Create(0, 123456789, 987654321, "dd=s:2"))["b3"]);
        Assert.Equal("1234567890abcdef1122334455667788-0000000000000001-0", Ctx.Inject(Single, Ctx.Create(0x1234567890abcdef, 0x1122334455667788, 1, "dd=s:0"))["b3"]);
    }

    [Fact]
    public void ExtractThenInject_RoundTrips()
    {
        var context = Ctx.Extract(Multi, Headers.Of(("x-b3-traceid", "1234567890abcdef1122334455667788"), ("x-b3-spanid", "000000003ade68b1"), ("x-b3-sampled", "0"))).ActivityContext;

        var headers = Ctx.Inject(Multi, context);

        Assert.Equal("1234567890abcdef1122334455667788", headers["x-b3-traceid"]);
        Assert.Equal("000000003ade68b1", headers["x-b3-spanid"]);
        Assert.Equal("0", headers["x-b3-sampled"]);
    }
}
