// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using Datadog.Otel.Lambda.ExtensionEmulator.Otlp;
using Datadog.Otel.Lambda.ExtensionEmulator.Otlp.Model;
using Datadog.Otel.Lambda.ExtensionEmulator.Tests.TestSupport;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Tests.Otlp;

public class OtlpJsonDecoderTests
{
    [Fact]
    public void Decode_ReadsEveryFieldInTheProto3JsonShape()
    {
        var request = Decode(OtlpJson.Request(OtlpJson.FullSpan));

        var scopeSpans = Assert.Single(Assert.Single(request.ResourceSpans).ScopeSpans);
        Assert.Equal(("json.scope", "2.0"), (scopeSpans.Scope!.Name, scopeSpans.Scope.Version));
        var span = Assert.Single(scopeSpans.Spans);
        Assert.Equal(Convert.FromHexString("0102030405060708a1a2a3a4a5a6a7a8"), span.TraceId);
        Assert.Equal(Convert.FromHexString(OtlpJson.SpanId), span.SpanId);
        Assert.Equal(Convert.FromHexString(OtlpJson.ParentId), span.ParentSpanId);
        Assert.Equal(("dd=s:2", "GET /items", 2), (span.TraceState, span.Name, span.Kind));
        Assert.Equal(1_700_000_000_000_000_000UL, span.StartTimeUnixNano);
        Assert.Equal(1_700_000_000_002_500_000UL, span.EndTimeUnixNano);
        Assert.Equal(200, span.Attributes[2].Value!.IntValue);
        Assert.Equal(3, span.Attributes[3].Value!.IntValue);
        Assert.Equal(0.25, span.Attributes[4].Value!.DoubleValue);
        Assert.False(span.Attributes[5].Value!.BoolValue);
        Assert.Equal(2, span.Attributes[6].Value!.ArrayValues.Count);
        Assert.Equal("k", Assert.Single(span.Attributes[7].Value!.KeyValues).Key);
        Assert.Equal(new byte[] { 0xCA, 0xFE }, span.Attributes[8].Value!.BytesValue);
        Assert.Equal(OtlpAnyValueKind.None, span.Attributes[9].Value!.Kind);
        Assert.Equal(1u, span.DroppedAttributesCount);
        Assert.Equal((395_146_000UL << 32) | 1_029_784_000UL, Assert.Single(span.Events).TimeUnixNano);
        var link = Assert.Single(span.Links);
        Assert.Equal(("k=v", 1u), (link.TraceState, link.Flags));
        Assert.Equal(("bad", 2), (span.Status!.Message, span.Status.Code));
        Assert.Equal(257u, span.Flags);
    }

    [Fact]
    public void Decode_TreatsNullAndMissingFieldsAsAbsent()
    {
        var request = Decode("""{"resourceSpans":[{"resource":null,"scopeSpans":[{"spans":[{"name":"x","status":null,"attributes":null}]}]}]}""");

        var resourceSpans = Assert.Single(request.ResourceSpans);
        Assert.Null(resourceSpans.Resource);
        Assert.Null(resourceSpans.ScopeSpans[0].Scope);
        Assert.Null(resourceSpans.ScopeSpans[0].Spans[0].Status);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"resourceSpans":{}}""")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"xyz"}]}]}]}""")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"spanId":"abc"}]}]}]}""")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"kind":"SPAN_KIND_SERVER"}]}]}]}""")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":-1}]}]}]}""")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":{"low":1}}]}]}]}""")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"a","value":{"intValue":"1.5"}}]}]}]}]}""")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"\ud800"}]}]}]}""")]
    public void Decode_RejectsMalformedBodies(string json)
    {
        Assert.Throws<OtlpDecodeException>(() => Decode(json));
    }

    private static OtlpExportRequest Decode(string json) => OtlpJsonDecoder.Decode(Encoding.UTF8.GetBytes(json));
}
