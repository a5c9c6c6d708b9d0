// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.ExtensionEmulator.Otlp;
using Datadog.Otel.Lambda.ExtensionEmulator.Otlp.Model;
using Datadog.Otel.Lambda.ExtensionEmulator.Tests.TestSupport;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Tests.Otlp;

public class OtlpProtobufDecoderTests
{
    private static readonly byte[] TraceId = OtlpModel.TraceId(0x0102030405060708, 0x1112131415161718);
    private static readonly byte[] SpanId = OtlpModel.SpanId(0xAABBCCDDEEFF0011);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Decode_ReadsEveryFieldOfASpan(bool padLengths)
    {
        var body = OtlpProto.Request("svc", "scope", padLengths, OtlpProto.Span("op", TraceId, SpanId, OtlpModel.SpanId(9), kind: 3, more: s => s
            .String(3, "dd=s:1")
            .Message(9, kv => kv.String(1, "s").Message(2, v => v.String(1, "text")))
            .Message(9, kv => kv.String(1, "b").Message(2, v => v.Varint(2, 1)))
            .Message(9, kv => kv.String(1, "i").Message(2, v => v.Varint(3, unchecked((ulong)-5L))))
            .Message(9, kv => kv.String(1, "d").Message(2, v => v.Double(4, 2.5)))
            .Message(9, kv => kv.String(1, "a").Message(2, v => v.Message(5, a => a.Message(1, x => x.String(1, "x")).Message(1, y => y.Varint(3, 2)))))
            .Message(9, kv => kv.String(1, "m").Message(2, v => v.Message(6, l => l.Message(1, OtlpProto.StringAttribute("k", "v")))))
            .Message(9, kv => kv.String(1, "raw").Message(2, v => v.Bytes(7, [0xCA, 0xFE])))
            .Varint(10, 3)
            .Message(11, e => e.Fixed64(1, 123).String(2, "exception").Message(3, OtlpProto.StringAttribute("exception.type", "E")).Varint(4, 1))
            .Varint(12, 4)
            .Message(13, l => l.Bytes(1, TraceId).Bytes(2, OtlpModel.SpanId(7)).String(3, "a=b").Message(4, OtlpProto.StringAttribute("why", "x")).Varint(5, 2).Fixed32(6, 1))
            .Varint(14, 5)
            .Message(15, st => st.String(2, "boom").Varint(3, 2))
            .Fixed32(16, 0x301)));

        var request = OtlpProtobufDecoder.Decode(body);

        var resourceSpans = Assert.Single(request.ResourceSpans);
        Assert.Equal("service.name", Assert.Single(resourceSpans.Resource!.Attributes).Key);
        var scopeSpans = Assert.Single(resourceSpans.ScopeSpans);
        Assert.Equal("scope", scopeSpans.Scope!.Name);
        Assert.Equal("1.0.0", scopeSpans.Scope.Version);
        var span = Assert.Single(scopeSpans.Spans);
        Assert.Equal(TraceId, span.TraceId);
        Assert.Equal(SpanId, span.SpanId);
        Assert.Equal(OtlpModel.SpanId(9), span.ParentSpanId);
        Assert.Equal("dd=s:1", span.TraceState);
        Assert.Equal("op", span.Name);
        Assert.Equal(3, span.Kind);
        Assert.Equal(OtlpModel.DefaultStart, span.StartTimeUnixNano);
        Assert.Equal(OtlpModel.DefaultStart + 2_000_000, span.EndTimeUnixNano);
        Assert.Equal(["s", "b", "i", "d", "a", "m", "raw"], span.Attributes.Select(a => a.Key));
        Assert.Equal("text", span.Attributes[0].Value!.StringValue);
        Assert.True(span.Attributes[1].Value!.BoolValue);
        Assert.Equal(-5, span.Attributes[2].Value!.IntValue);
        Assert.Equal(2.5, span.Attributes[3].Value!.DoubleValue);
        Assert.Equal(OtlpAnyValueKind.Array, span.Attributes[4].Value!.Kind);
        Assert.Equal(2, span.Attributes[4].Value!.ArrayValues.Count);
        Assert.Equal("k", Assert.Single(span.Attributes[5].Value!.KeyValues).Key);
        Assert.Equal(new byte[] { 0xCA, 0xFE }, span.Attributes[6].Value!.BytesValue);
        Assert.Equal(3u, span.DroppedAttributesCount);
        var evt = Assert.Single(span.Events);
        Assert.Equal((123UL, "exception", 1u), (evt.TimeUnixNano, evt.Name, evt.DroppedAttributesCount));
        Assert.Equal(4u, span.DroppedEventsCount);
        var link = Assert.Single(span.Links);
        Assert.Equal(TraceId, link.TraceId);
        Assert.Equal(OtlpModel.SpanId(7), link.SpanId);
        Assert.Equal(("a=b", 2u, 1u), (link.TraceState, link.DroppedAttributesCount, link.Flags));
        Assert.Equal(5u, span.DroppedLinksCount);
        Assert.Equal(("boom", 2), (span.Status!.Message, span.Status.Code));
        Assert.Equal(0x301u, span.Flags);
    }

    [Fact]
    public void Decode_SkipsUnknownFieldsOfEveryWireTypeAtEveryLevel()
    {
        var body = new ProtoWriter()
            .UnknownFields()
            .Message(1, rs => rs
                .UnknownFields()
                .Message(1, r => r.UnknownFields().Message(1, kv => kv.UnknownFields().String(1, "service.name").Message(2, v => v.UnknownFields().String(1, "svc"))))
                .Message(2, ss => ss
                    .UnknownFields()
                    .Message(1, s => s.UnknownFields().String(1, "scope"))
                    .Message(2, OtlpProto.Span("op", TraceId, SpanId, more: s => s
                        .UnknownFields()
                        .Message(11, e => e.UnknownFields().String(2, "evt"))
                        .Message(13, l => l.UnknownFields().Bytes(1, TraceId).Bytes(2, SpanId))
                        .Message(15, st => st.UnknownFields().Varint(3, 1))))))
            .ToArray();

        var span = Assert.Single(Assert.Single(Assert.Single(OtlpProtobufDecoder.Decode(body).ResourceSpans).ScopeSpans).Spans);

        Assert.Equal("op", span.Name);
        Assert.Equal("evt", Assert.Single(span.Events).Name);
        Assert.Single(span.Links);
        Assert.Equal(1, span.Status!.Code);
    }

    [Fact]
    public void Decode_KeepsAbsentResourceScopeAndStatusAsNull()
    {
        var body = new ProtoWriter().Message(1, rs => rs.Message(2, ss => ss.Message(2, OtlpProto.Span("op", TraceId, SpanId)))).ToArray();

        var resourceSpans = Assert.Single(OtlpProtobufDecoder.Decode(body).ResourceSpans);

        Assert.Null(resourceSpans.Resource);
        Assert.Null(resourceSpans.ScopeSpans[0].Scope);
        Assert.Null(resourceSpans.ScopeSpans[0].Spans[0].Status);
    }

    [Fact]
    public void Decode_OfAnEmptyBody_IsAnEmptyRequest()
    {
        Assert.Empty(OtlpProtobufDecoder.Decode([]).ResourceSpans);
    }

    [Fact]
    public void Decode_RejectsEveryTruncationOfAValidRequest()
    {
        var body = OtlpProto.Request("svc", "scope", padLengths: true, OtlpProto.Span("op", TraceId, SpanId, more: s => s.Message(15, st => st.String(2, "m"))));

        // Cutting inside the outer length-delimited field always leaves a length that runs past the end.
        for (var length = 1; length < body.Length; length++)
        {
            Assert.Throws<OtlpDecodeException>(() => OtlpProtobufDecoder.Decode(body.AsSpan(0, length)));
        }
    }

    [Fact]
    public void Decode_RejectsAKnownFieldWithTheWrongWireType()
    {
        // start_time_unix_nano (7) is fixed64; a varint there fails the request, as with prost.
        var body = OtlpProto.Request("svc", "scope", padLengths: false, OtlpProto.Span("op", TraceId, SpanId, more: s => s.Varint(7, 1)));
        var exception = Assert.Throws<OtlpDecodeException>(() => OtlpProtobufDecoder.Decode(body));
        Assert.Contains("Span.start_time_unix_nano", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_RejectsNestingBeyondTheRecursionLimit()
    {
        Action<ProtoWriter> value = v => v.String(1, "leaf");
        for (var i = 0; i < 120; i++)
        {
            var inner = value;
            value = v => v.Message(5, array => array.Message(1, inner));
        }

        var body = OtlpProto.Request("svc", "scope", padLengths: false, OtlpProto.Span("op", TraceId, SpanId, more: s => s.Message(9, kv => kv.String(1, "deep").Message(2, value))));
        var exception = Assert.Throws<OtlpDecodeException>(() => OtlpProtobufDecoder.Decode(body));
        Assert.Contains("recursion limit", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_MergesARepeatedResourceMessage()
    {
        var body = new ProtoWriter()
            .Message(1, rs => rs
                .Message(1, r => r.Message(1, OtlpProto.StringAttribute("a", "1")))
                .Message(1, r => r.Message(1, OtlpProto.StringAttribute("b", "2"))))
            .ToArray();

        var resource = Assert.Single(OtlpProtobufDecoder.Decode(body).ResourceSpans).Resource!;

        Assert.Equal(["a", "b"], resource.Attributes.Select(a => a.Key));
    }
}
