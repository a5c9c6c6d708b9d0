// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.ExtensionEmulator.Otlp.Model;
using static Datadog.Otel.Lambda.ExtensionEmulator.Tests.TestSupport.OtlpModel;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Tests.Mapping;

/// <summary>Attributes to meta and metrics, sampling priority, errors, ids, links and events (spec §2.1, §2.4–§2.6).</summary>
public class AttributeMappingTests
{
    [Fact]
    public void Ids_LowerSixtyFourBitsAreTheTraceIdAndTheUpperHalfIsWrittenInDecimal()
    {
        var mapped = MapOne(Span(traceIdHigh: 0x1234567890ABCDEF, traceIdLow: 0x1122334455667788, spanId: 0x99, parentId: 0x77));

        Assert.Equal(0x1122334455667788UL, mapped.TraceId);
        Assert.Equal(0x1234567890ABCDEFUL, mapped.TraceIdHigh);
        Assert.Equal((0x99UL, 0x77UL), (mapped.SpanId, mapped.ParentId));

        // Quirk: decimal, not the 16-hex-digit form Datadog tracers use.
        Assert.Equal("1311768467294899695", mapped.Meta["_dd.p.tid"]);
        Assert.Equal("1234567890abcdef1122334455667788", mapped.Meta["otel.trace_id"]);
        Assert.Equal("1234567890abcdef1122334455667788", mapped.TraceIdHex);
    }

    [Fact]
    public void Ids_DdPTidIsWrittenEvenWhenTheUpperBitsAreZero()
    {
        Assert.Equal("0", MapOne(Span(traceIdHigh: 0)).Meta["_dd.p.tid"]);
    }

    [Fact]
    public void Times_StartAndDurationInNanoseconds()
    {
        var span = Span();
        span.EndTimeUnixNano = span.StartTimeUnixNano + 123_456;

        var mapped = MapOne(span);

        Assert.Equal((long)DefaultStart, mapped.Start);
        Assert.Equal(123_456, mapped.Duration);
    }

    [Fact]
    public void Times_AnEndBeforeTheStartGivesAZeroDuration()
    {
        var span = Span();
        span.EndTimeUnixNano = span.StartTimeUnixNano - 5;
        Assert.Equal(0, MapOne(span).Duration);
    }

    [Fact]
    public void Attributes_IntegersAndDoublesAreMetricsTheRestIsMeta()
    {
        var mapped = MapOne(Span(attributes:
        [
            Attr("http.response.status_code", 200),
            Attr("retries", 3L),
            Attr("ratio", 0.5),
            Attr("name", "value"),
            Attr("flag", true),
            Attr("list", new[] { "a", "b\"c" }),
            Attr("mixed", new object[] { "x", 1, 2.5, false }),
            Attr("map", new[] { Attr("k2", "v2"), Attr("k1", 1) }),
            Attr("raw", new byte[] { 0xCA, 0xFE }),
            Attr("whole", 3.0),
            Attr("empty.string", string.Empty),
            Attr("absent", null),
            new OtlpKeyValue("unset", OtlpAnyValue.Empty),
        ]));

        Assert.Equal(200, mapped.Metrics["http.response.status_code"]);
        Assert.Equal(200, mapped.Metrics["http.status_code"]);
        Assert.Equal(3, mapped.Metrics["retries"]);
        Assert.Equal(0.5, mapped.Metrics["ratio"]);
        Assert.Equal(3.0, mapped.Metrics["whole"]);
        Assert.Equal("value", mapped.Meta["name"]);
        Assert.Equal("true", mapped.Meta["flag"]);
        Assert.Equal("""["a","b\"c"]""", mapped.Meta["list"]);
        Assert.Equal("""["x","1","2.5","false"]""", mapped.Meta["mixed"]);
        Assert.Equal("""{"k1":"1","k2":"v2"}""", mapped.Meta["map"]);
        Assert.Equal("cafe", mapped.Meta["raw"]);
        Assert.Equal(string.Empty, mapped.Meta["empty.string"]);
        Assert.False(mapped.Meta.ContainsKey("absent"));
        Assert.False(mapped.Meta.ContainsKey("unset"));
    }

    [Fact]
    public void Attributes_ResourceAndScopeAttributesGoToMeta()
    {
        var request = Request([Attr("service.name", "s"), Attr("cloud.provider", "aws"), Attr("faas.max_memory", 128), Attr("empty", string.Empty), Attr("datadog.host", "h")], "scope", Span());
        request.ResourceSpans[0].ScopeSpans[0].Scope!.Version = "1.2";
        request.ResourceSpans[0].ScopeSpans[0].Scope!.Attributes.Add(Attr("scope.attr", "x"));

        var mapped = Assert.Single(Map(request));

        Assert.Equal("aws", mapped.Meta["cloud.provider"]);
        Assert.Equal("128", mapped.Meta["faas.max_memory"]);
        Assert.False(mapped.Meta.ContainsKey("empty"));
        Assert.False(mapped.Meta.ContainsKey("datadog.host"));
        Assert.False(mapped.Meta.ContainsKey("service.name"));
        Assert.Equal("x", mapped.Meta["scope.attr"]);
        Assert.Equal("scope", mapped.Meta["otel.scope.name"]);
        Assert.Equal("1.2", mapped.Meta["otel.scope.version"]);
        Assert.Equal("scope", mapped.ScopeName);
    }

    [Fact]
    public void Attributes_ReservedKeysAreNotCopied()
    {
        var mapped = MapOne(Span(attributes: [Attr("operation.name", "op"), Attr("resource.name", "r"), Attr("span.type", "web"), Attr("datadog.custom", "x"), Attr("datadog.number", 1)]));

        Assert.DoesNotContain(mapped.Meta.Keys, k => k is "operation.name" or "resource.name" or "datadog.custom");
        Assert.DoesNotContain(mapped.Metrics.Keys, k => k == "datadog.number");
    }

    [Fact]
    public void Attributes_HttpRequestHeadersKeepTheirOtelKey()
    {
        // The extension computes the http.request.headers.* spelling but stores the original key.
        var mapped = MapOne(Span(attributes: [Attr("http.request.header.x-request-id", new[] { "abc" })]));
        Assert.Equal("""["abc"]""", mapped.Meta["http.request.header.x-request-id"]);
    }

    [Fact]
    public void Attributes_AnalyticsEventBecomesAMetric()
    {
        Assert.Equal(1, MapOne(Span(attributes: [Attr("analytics.event", "true")])).Metrics["_dd1.sr.eausr"]);
        Assert.Equal(0, MapOne(Span(attributes: [Attr("analytics.event", false)])).Metrics["_dd1.sr.eausr"]);
        Assert.False(MapOne(Span(attributes: [Attr("analytics.event", "TRUE")])).Metrics.ContainsKey("_dd1.sr.eausr"));
    }

    [Theory]
    [InlineData(2L, 2.0)]
    [InlineData(-1L, -1.0)]
    [InlineData(1.0, 1.0)]
    public void SamplingPriority_NumericAttributeBecomesSamplingPriorityV1(object value, double expected)
    {
        var mapped = MapOne(Span(attributes: [Attr("sampling.priority", value)]));

        Assert.Equal(expected, mapped.Metrics["_sampling_priority_v1"]);
        Assert.False(mapped.Metrics.ContainsKey("sampling.priority"));
    }

    [Fact]
    public void SamplingPriority_AStringValueLandsInMetaAndIsIgnored()
    {
        var mapped = MapOne(Span(attributes: [Attr("sampling.priority", "2")]));

        Assert.Equal("2", mapped.Meta["sampling.priority"]);
        Assert.False(mapped.Metrics.ContainsKey("_sampling_priority_v1"));
        Assert.Null(new DatadogTrace(mapped.TraceId, [mapped]).SamplingPriority);
    }

    [Fact]
    public void HttpStatusCode_DatadogHttpStatusCodeWinsAndIsAlsoMeta()
    {
        var mapped = MapOne(Span(attributes: [Attr("datadog.http_status_code", "503"), Attr("http.response.status_code", 200)]));

        Assert.Equal(503, mapped.Metrics["http.status_code"]);
        Assert.Equal("503", mapped.Meta["http.status_code"]);
    }

    [Fact]
    public void HttpStatusCode_AnOldIntegerHttpStatusCodePassesThroughAsAMetric()
    {
        Assert.Equal(404, MapOne(Span(attributes: [Attr("http.status_code", 404)])).Metrics["http.status_code"]);
    }

    [Fact]
    public void HttpStatusCode_AnInvalidMetaValueIsRemovedByNormalisation()
    {
        Assert.False(MapOne(Span(attributes: [Attr("http.status_code", "abc")])).Meta.ContainsKey("http.status_code"));
    }

    [Fact]
    public void Error_StatusErrorSetsTheFlagAndNumericStatusTags()
    {
        var span = Span();
        span.Status = new OtlpStatus { Code = 2, Message = "boom" };

        var mapped = MapOne(span);

        Assert.Equal(1, mapped.Error);
        Assert.Equal("2", mapped.Meta["otel.status_code"]);
        Assert.Equal("boom", mapped.Meta["otel.status_description"]);

        // The status message is not used for error.msg with the extension's defaults.
        Assert.False(mapped.Meta.ContainsKey("error.msg"));
    }

    [Fact]
    public void Error_OkOrAbsentStatus()
    {
        var ok = Span();
        ok.Status = new OtlpStatus { Code = 1 };
        var mappedOk = MapOne(ok);

        Assert.Equal(0, mappedOk.Error);
        Assert.Equal(string.Empty, mappedOk.Meta["otel.status_description"]);
        Assert.False(MapOne(Span()).Meta.ContainsKey("otel.status_code"));
    }

    [Fact]
    public void Error_ErrorTagsFromPlainOrDatadogAttributes()
    {
        var span = Span(attributes: [Attr("error.msg", "plain message"), Attr("error.type", "System.Exception"), Attr("datadog.error.msg", "datadog message"), Attr("error.stack", "at X")]);
        span.Status = new OtlpStatus { Code = 2 };

        var mapped = MapOne(span);

        Assert.Equal("datadog message", mapped.Meta["error.msg"]);
        Assert.Equal("System.Exception", mapped.Meta["error.type"]);
        Assert.Equal("at X", mapped.Meta["error.stack"]);
    }

    [Fact]
    public void Error_ExceptionEventsDoNotFillErrorTags()
    {
        var span = Span();
        span.Status = new OtlpStatus { Code = 2 };
        var exception = new OtlpEvent { Name = "exception", TimeUnixNano = 5 };
        exception.Attributes.Add(Attr("exception.message", "boom"));
        span.Events.Add(exception);

        var mapped = MapOne(span);

        Assert.Equal("true", mapped.Meta["_dd.span_events.has_exception"]);
        Assert.False(mapped.Meta.ContainsKey("error.msg"));
    }

    [Fact]
    public void Error_ADatadogErrorAttributeAlwaysGivesZero_AQuirkOfTheExtension()
    {
        var span = Span(attributes: [Attr("datadog.error", 1)]);
        span.Status = new OtlpStatus { Code = 2 };

        Assert.Equal(0, MapOne(span).Error);
    }

    [Fact]
    public void Links_AreJsonInDdSpanLinksAndParsedBack()
    {
        var span = Span();
        var link = new OtlpLink { TraceId = TraceId(0xAB, 0xCD), SpanId = SpanId(0xEF), TraceState = "dd=s:1", DroppedAttributesCount = 2 };
        link.Attributes.Add(Attr("reason", "terminated_context"));
        link.Attributes.Add(Attr("context_headers", "datadog"));
        span.Links.Add(link);
        span.Links.Add(new OtlpLink { TraceId = TraceId(0, 1), SpanId = SpanId(2) });

        var mapped = MapOne(span);

        Assert.Equal(
            // The extension's serde_json keeps insertion order (preserve_order): its fields as marshal_links adds them,
            // the attributes as the span has them.
            """[{"trace_id":"00000000000000ab00000000000000cd","span_id":"00000000000000ef","tracestate":"dd=s:1","attributes":{"reason":"terminated_context","context_headers":"datadog"},"dropped_attributes_count":2},"""
            + """{"trace_id":"00000000000000000000000000000001","span_id":"0000000000000002"}]""",
            mapped.Meta["_dd.span_links"]);
        Assert.Equal(2, mapped.Links.Count);
        Assert.Equal(("00000000000000ab00000000000000cd", "00000000000000ef", "dd=s:1"), (mapped.Links[0].TraceIdHex, mapped.Links[0].SpanIdHex, mapped.Links[0].TraceState));
        Assert.Equal("terminated_context", mapped.Links[0].Attributes["reason"]);
        Assert.Equal(2u, mapped.Links[0].DroppedAttributesCount);
        Assert.Null(mapped.Links[1].TraceState);
    }

    [Fact]
    public void Events_AreJsonInEventsWithTextAttributes()
    {
        var span = Span();
        var evt = new OtlpEvent { Name = "cache.miss", TimeUnixNano = 1_700_000_000_000_000_100 };
        evt.Attributes.Add(Attr("key", "k1"));
        evt.Attributes.Add(Attr("size", 12));
        span.Events.Add(evt);
        span.Events.Add(new OtlpEvent());

        var mapped = MapOne(span);

        Assert.Equal("""[{"time_unix_nano":1700000000000000100,"name":"cache.miss","attributes":{"key":"k1","size":"12"}},{}]""", mapped.Meta["events"]);
        Assert.Equal(["cache.miss", string.Empty], mapped.Events.Select(e => e.Name));
        Assert.Equal("12", mapped.Events[0].Attributes["size"]);
        Assert.False(mapped.Meta.ContainsKey("_dd.span_events.has_exception"));
    }

    [Fact]
    public void TraceState_IsCopiedToW3cTraceState()
    {
        var span = Span();
        span.TraceState = "dd=s:2;o:rum,foo=bar";
        Assert.Equal("dd=s:2;o:rum,foo=bar", MapOne(span).Meta["w3c.trace_state"]);
    }

    [Theory]
    [InlineData(3.0, "3")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e21, "1000000000000000000000")]
    [InlineData(1.5e-7, "0.00000015")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "inf")]
    public void DoublesInTextAreFormattedAsRustDoes(double value, string expected)
    {
        Assert.Equal(expected, MapOne(Span(attributes: [Attr("list", new object[] { value })])).Meta["list"].Trim('[', ']', '"'));
    }
}
