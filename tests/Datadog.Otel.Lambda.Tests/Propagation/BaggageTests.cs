// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Propagation;
using OpenTelemetry;

namespace Datadog.Otel.Lambda.Tests.Propagation;

/// <summary>The <c>baggage</c> header as dd-trace-py's <c>_BaggageHeader</c> reads and writes it.</summary>
public class BaggageTests
{
    private static readonly DatadogCompositePropagator Propagator = new();

    [Theory]
    [InlineData("a=1,b,c=3")]
    [InlineData("a=1,b=,c=3")]
    [InlineData("a=1, =2")]
    [InlineData("a=1,,c=3")]
    [InlineData("a=1,c=3,")]
    [InlineData(" ")]
    public void Extract_AMalformedItem_DiscardsTheWholeHeader(string header)
    {
        var extracted = Propagator.ExtractDetailed(Headers.Of(("x-datadog-trace-id", "5"), ("baggage", header)), Headers.Getter);

        Assert.Equal(0, extracted.Baggage.Count);
    }

    [Fact]
    public void Extract_ReadsTheFirst64Items()
    {
        var header = string.Join(",", Enumerable.Range(0, 70).Select(i => $"k{i}=v"));

        var baggage = Propagator.ExtractDetailed(Headers.Of(("baggage", header)), Headers.Getter).Baggage;

        Assert.Equal(64, baggage.Count);
        Assert.Equal("v", baggage.GetBaggage("k63"));
        Assert.Null(baggage.GetBaggage("k64"));
    }

    [Fact]
    public void Extract_StopsAt8192Bytes_CommasIncluded()
    {
        // Two items of 4095 bytes and a comma: 8191; the third (3 bytes and a comma) would make 8195.
        var first = "a=" + new string('x', 4093);
        var second = "b=" + new string('y', 4093);

        var baggage = Propagator.ExtractDetailed(Headers.Of(("baggage", $"{first},{second},c=1,bad")), Headers.Getter).Baggage;

        // Reading stopped before the malformed item: it does not discard what was read.
        Assert.Equal(2, baggage.Count);
        Assert.Null(baggage.GetBaggage("c"));
    }

    [Fact]
    public void Extract_DecodesPercentLeniently_AndKeepsTheRestOfTheValue()
    {
        var baggage = Propagator.ExtractDetailed(
            Headers.Of(("baggage", " user%20id = a%2Cb ,euro=%E2%82%AC,bare=100%,bad=%zz%4,raw=%FF,props=v;p=1,k=1,k=2")),
            Headers.Getter).Baggage;

        Assert.Equal("a,b", baggage.GetBaggage("user id"));
        Assert.Equal("\u20ac", baggage.GetBaggage("euro"));
        Assert.Equal("100%", baggage.GetBaggage("bare"));
        Assert.Equal("%zz%4", baggage.GetBaggage("bad"));
        Assert.Equal("\ufffd", baggage.GetBaggage("raw"));
        Assert.Equal("v;p=1", baggage.GetBaggage("props"));
        Assert.Equal("2", baggage.GetBaggage("k"));
    }

    [Fact]
    public void Inject_EncodesKeysAndValuesWithDdTracePysSafeSets()
    {
        var baggage = Baggage.Create(new Dictionary<string, string>
        {
            [" user id,=;\"(x) "] = " a b,c=d;e\"é(x)/:<>?@[]{|}% ",
        });

        var headers = Ctx.Inject(Propagator, default, baggage);

        Assert.Equal("user%20id%2C%3D%3B%22%28x%29=a%20b%2Cc%3Dd%3Be%22%C3%A9(x)/:<>?@[]{|}%", headers["baggage"]);
    }

    [Fact]
    public void Inject_WritesTheFirst64Items()
    {
        var items = Enumerable.Range(0, 70).ToDictionary(i => $"k{i}", _ => "v");

        var header = Ctx.Inject(Propagator, default, Baggage.Create(items))["baggage"]!;

        Assert.Equal(64, header.Split(',').Length);
    }

    [Fact]
    public void Inject_StopsBefore8192Bytes()
    {
        var items = new Dictionary<string, string>
        {
            ["a"] = new string('x', 4093),
            ["b"] = new string('y', 4093),
            ["c"] = "1",
        };

        var header = Ctx.Inject(Propagator, default, Baggage.Create(items))["baggage"]!;

        Assert.Equal(8191, header.Length);
        Assert.DoesNotContain("c=1", header, StringComparison.Ordinal);
    }

    [Fact]
    public void ExtractThenInject_RoundTrips()
    {
        var extracted = Propagator.ExtractDetailed(Headers.Of(("baggage", "user%20id=a%2Cb,k=v")), Headers.Getter).Baggage;

        Assert.Equal("user%20id=a%2Cb,k=v", Ctx.Inject(Propagator, default, extracted)["baggage"]);
    }

    [Fact]
    public void Extract_SeveralHeaders_AreOneList()
    {
        var headers = Headers.Of(("baggage", "a=1"));
        headers.Add("baggage", "b=2");

        var baggage = Propagator.ExtractDetailed(headers, Headers.Getter).Baggage;

        Assert.Equal("1", baggage.GetBaggage("a"));
        Assert.Equal("2", baggage.GetBaggage("b"));
    }

    [Fact]
    public void Extract_SeveralHeaders_AFirstOneTooLongToJoinIsReadAsOneLongHeaderIs()
    {
        // 64 items within 8,192 bytes are kept from one long header; a second header must not make them all disappear.
        var longHeader = string.Join(',', Enumerable.Range(0, 2000).Select(i => $"k{i}=v{i}"));
        Assert.True(longHeader.Length > 16_384);
        var alone = Propagator.ExtractDetailed(Headers.Of(("baggage", longHeader)), Headers.Getter).Baggage;
        var headers = Headers.Of(("baggage", longHeader));
        headers.Add("baggage", "b=2");

        var baggage = Propagator.ExtractDetailed(headers, Headers.Getter).Baggage;

        Assert.Equal(64, alone.Count);
        Assert.Equal(alone.GetBaggage(), baggage.GetBaggage());
    }
}
