// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Propagation;

namespace Datadog.Otel.Lambda.Tests.Propagation;

/// <summary>The OpenTelemetry-style X-Ray propagator (datadog-extension-otlp.md §6).</summary>
public class XRayPropagatorTests
{
    private static readonly XRayPropagator Propagator = new();

    [Fact]
    public void Fields_IsTheXRayHeader()
    {
        Assert.Equal(new[] { "X-Amzn-Trace-Id" }, Propagator.Fields);
    }

    [Fact]
    public void Extract_MapsRootToA128BitTraceId()
    {
        var context = Ctx.Extract(Propagator, Headers.Of(("X-Amzn-Trace-Id", "Root=1-5e272390-8c398be037738dc042009320;Parent=94ae789b969f1cc5;Sampled=1"))).ActivityContext;

        Assert.Equal("5e2723908c398be037738dc042009320", context.TraceId.ToHexString());
        Assert.Equal("94ae789b969f1cc5", context.SpanId.ToHexString());
        Assert.Equal(1, Ctx.Priority(context));
        Assert.True(context.IsRemote);
    }

    [Fact]
    public void Extract_DatadogTraceInsideXRay_KeepsTheDatadogIdInTheLower64Bits()
    {
        var context = Ctx.Extract(Propagator, Headers.Of(("X-Amzn-Trace-Id", "Root=1-68029e8a-0000000035578e774943fd9d;Parent=76c040bdc454a7ac;Sampled=1"))).ActivityContext;

        Assert.Equal(3843697449965452701UL, Ctx.Lower(context));
        Assert.Equal(0x68029e8a00000000UL, Ctx.Upper(context));
        Assert.Equal("3843697449965452701", Ctx.Inject(new DatadogPropagator(), context)["x-datadog-trace-id"]);
    }

    [Theory]
    [InlineData("Sampled=0", 0)]
    [InlineData("Sampled=?", null)]
    [InlineData("Lineage=1:73f724a8:0", null)]
    public void Extract_SampledZeroDropsAndMissingOrRequestedLeavesItOpen(string field, int? priority)
    {
        var context = Ctx.Extract(Propagator, Headers.Of(("X-Amzn-Trace-Id", "Root=1-5e272390-8c398be037738dc042009320;Parent=94ae789b969f1cc5;" + field))).ActivityContext;

        Assert.Equal(priority, Ctx.Priority(context));
        Assert.NotEqual(default, context.TraceId);
    }

    [Theory]
    [InlineData("Root=1-5e272390-8c398be037738dc042009320;Lineage=1:73f724a8:0")]
    [InlineData("Root=1-5e272390-8c398be037738dc042009320;Parent=zz;Sampled=1")]
    [InlineData("Root=1-00000000-000000000000000000000000;Parent=94ae789b969f1cc5;Sampled=1")]
    [InlineData("Parent=94ae789b969f1cc5;Sampled=1")]
    public void Extract_NeedsRootAndParent(string value)
    {
        Assert.Equal(default, Ctx.Extract(Propagator, Headers.Of(("X-Amzn-Trace-Id", value))).ActivityContext);
    }

    [Fact]
    public void Inject_WritesRootParentSampled()
    {
        var headers = Ctx.Inject(Propagator, Ctx.Create(0x5e2723908c398be0, 0x37738dc042009320, 0x94ae789b969f1cc5, "dd=s:2"));

        Assert.Equal("Root=1-5e272390-8c398be037738dc042009320;Parent=94ae789b969f1cc5;Sampled=1", headers["X-Amzn-Trace-Id"]);
    }

    [Fact]
    public void Inject_DroppedPriority_WritesSampledZero()
    {
        var headers = Ctx.Inject(Propagator, Ctx.Create(0x5e2723908c398be0, 0x37738dc042009320, 0x94ae789b969f1cc5, "dd=s:-1"));

        Assert.EndsWith(";Sampled=0", headers["X-Amzn-Trace-Id"], StringComparison.Ordinal);
    }

    [Fact]
    public void Inject_DatadogShapedTraceId_WritesTheDatadogMarker()
    {
        var headers = Ctx.Inject(Propagator, Ctx.Create(0x68029e8a00000000, 0x35578e774943fd9d, 0x76c040bdc454a7ac));

        Assert.Equal("Root=1-68029e8a-0000000035578e774943fd9d;Parent=76c040bdc454a7ac;Sampled=1", headers["X-Amzn-Trace-Id"]);
    }
}
