// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Propagation;

namespace Datadog.Otel.Lambda.Tests.Propagation;

/// <summary>ID conversion vectors of datadog-lambda-behaviour.md §5.5.</summary>
public class IdConversionTests
{
    [Theory]
    [InlineData("000000000000007b", 123UL)]
    [InlineData("0000000000000141", 321UL)]
    [InlineData("000000000000029a", 666UL)]
    [InlineData("0000000000000309", 777UL)]
    [InlineData("24b17e9b6476c018", 2644033662113726488UL)]
    [InlineData("b12b6e05a63cdbd7", 12766418539254701015UL)]
    public void SpanIdHex_IsTheDecimalParentId(string hex, ulong value)
    {
        var context = Ctx.Create(0, 1, value);

        Assert.Equal(hex, context.SpanId.ToHexString());
        Assert.Equal(value.ToString(System.Globalization.CultureInfo.InvariantCulture), Ctx.Inject(new DatadogPropagator(), context)["x-datadog-parent-id"]);
        Assert.True(DatadogIds.TryParseHex(hex, out var parsed));
        Assert.Equal(value, parsed);
    }

    [Fact]
    public void TraceIdLowerHalf_IsTheDecimalTraceId()
    {
        var context = Ctx.Extract(new DatadogPropagator(), Headers.Of(("x-datadog-trace-id", "7379586022458917877"), ("x-datadog-parent-id", "1"))).ActivityContext;

        Assert.Equal("000000000000000066698e63821a03f5", context.TraceId.ToHexString());
    }

    [Fact]
    public void TraceIdUpperHalf_IsTheTidTag()
    {
        var context = Ctx.Extract(new DatadogPropagator(), Headers.Of(
            ("x-datadog-trace-id", "12766418539254701015"),
            ("x-datadog-parent-id", "1"),
            ("x-datadog-tags", "_dd.p.tid=69f4ed3a00000000"))).ActivityContext;

        Assert.Equal("69f4ed3a00000000b12b6e05a63cdbd7", context.TraceId.ToHexString());
    }

    [Fact]
    public void ZeroIds_AreDefault()
    {
        Assert.Equal(default, DatadogIds.SpanId(0));
        Assert.Equal(default, DatadogIds.TraceId(0, 0));
        Assert.NotEqual(default, DatadogIds.TraceId(1, 0));
    }
}
