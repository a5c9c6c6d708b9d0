// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.ExtensionEmulator.Mapping;
using Datadog.Otel.Lambda.ExtensionEmulator.Otlp.Model;
using static Datadog.Otel.Lambda.ExtensionEmulator.Tests.TestSupport.OtlpModel;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Tests.Mapping;

/// <summary>Chunking, chunk priority, filters and the tags the extension adds (spec §1.4, §2.1, §2.8, §5.4).</summary>
public class TraceProcessingTests
{
    [Fact]
    public void Chunks_SpansAreGroupedByTheLowerSixtyFourBits()
    {
        var spans = Map(Request(null, DefaultScope,
            Span("a", traceIdHigh: 1, traceIdLow: 7, spanId: 1),
            Span("b", traceIdHigh: 2, traceIdLow: 7, spanId: 2),
            Span("c", traceIdLow: 8, spanId: 3)));

        Assert.Equal([7UL, 7UL, 8UL], spans.Select(s => s.TraceId));
        Assert.Equal(["1", "2", "0"], spans.Select(s => s.Meta["_dd.p.tid"]));
    }

    [Fact]
    public void Chunks_AScopeSpansWithoutScopeOrAResourceSpansWithoutResourceIsSkipped()
    {
        Assert.Null(new DatadogTraceMapper(new()).Map(Request(null, scope: null, Span())));

        var noResource = Request(null, DefaultScope, Span());
        noResource.ResourceSpans[0].Resource = null;
        Assert.Null(new DatadogTraceMapper(new()).Map(noResource));
    }

    [Fact]
    public void Priority_TheRootSpansSamplingPriorityWins()
    {
        var trace = Trace(
            Span("child", spanId: 2, parentId: 1, attributes: [Attr("sampling.priority", 1)]),
            Span("root", spanId: 1, attributes: [Attr("sampling.priority", 2)]));

        Assert.Equal("root", trace.Root!.OtelName);
        Assert.Equal(2, trace.SamplingPriority);
    }

    [Fact]
    public void Priority_ElseTheFirstSpanThatHasOne()
    {
        var trace = Trace(
            Span("root", spanId: 1),
            Span("a", spanId: 2, parentId: 1),
            Span("b", spanId: 3, parentId: 1, attributes: [Attr("sampling.priority", -1)]),
            Span("c", spanId: 4, parentId: 1, attributes: [Attr("sampling.priority", 2)]));

        Assert.Equal(-1, trace.SamplingPriority);
    }

    [Fact]
    public void Priority_NoneWhenNoSpanHasOne()
    {
        Assert.Null(Trace(Span(spanId: 1)).SamplingPriority);
    }

    [Fact]
    public void Root_IsTheLastSpanWithParentZeroElseTheLastSpanWithAMissingParent()
    {
        Assert.Equal("r2", Trace(Span("r1", spanId: 1), Span("r2", spanId: 2), Span("c", spanId: 3, parentId: 1)).Root!.OtelName);
        Assert.Equal("o2", Trace(Span("o1", spanId: 1, parentId: 90), Span("o2", spanId: 2, parentId: 91), Span("c", spanId: 3, parentId: 1)).Root!.OtelName);
    }

    [Fact]
    public void TopLevel_RootsOrphansAndServiceEntrySpansAreMarked()
    {
        var spans = Map(Request(null, DefaultScope,
            Span("root", spanId: 1),
            Span("same-service-child", spanId: 2, parentId: 1),
            Span("other-service-child", spanId: 3, parentId: 1, attributes: [Attr("datadog.service", "queue")]),
            Span("orphan", spanId: 4, parentId: 99)));

        Assert.Equal([true, false, true, true], spans.Select(s => s.Metrics.ContainsKey("_top_level")));
    }

    [Theory]
    [InlineData("http.url", "http://127.0.0.1:9001/2018-06-01/runtime/invocation/next")]
    [InlineData("http.url", "http://127.0.0.1:8124/lambda/start-invocation")]
    [InlineData("http.url", "http://127.0.0.1:8125")]
    [InlineData("dns.address", "127.0.0.1")]
    [InlineData("dns.address", "169.254.79.129")]
    [InlineData("dns.address", "0.0.0.0")]
    public void Filter_LambdaLibraryAndRuntimeSpansAreDropped(string key, string value)
    {
        Assert.Empty(Map(Request(null, DefaultScope, Span(attributes: [Attr(key, value)]))));
    }

    [Fact]
    public void Filter_TcpRemoteHostAndPortOfTheRuntimeApi()
    {
        Assert.Empty(Map(Request(null, DefaultScope, Span(attributes: [Attr("tcp.remote.host", "127.0.0.1"), Attr("tcp.remote.port", "9001")]))));
    }

    [Fact]
    public void Filter_PlaceholderSpanAndDnsLookup()
    {
        Assert.Empty(Map(Request(null, DefaultScope, Span(attributes: [Attr("resource.name", "dd-tracer-serverless-span")]))));
        Assert.Empty(Map(Request(null, DefaultScope, Span(attributes: [Attr("operation.name", "dns.lookup")]))));
    }

    [Fact]
    public void Filter_UrlFullIsNotChecked()
    {
        // OTel HTTP client spans carry url.full, which the extension does not look at: such spans pass.
        var span = Span(kind: OtlpSpanKind.Client, attributes: [Attr("http.request.method", "GET"), Attr("url.full", "http://127.0.0.1:9001/2018-06-01/runtime/invocation/next")]);
        Assert.Single(Map(Request(null, DefaultScope, span)));
    }

    [Fact]
    public void Tags_OriginComputeStatsAndRuntimeTagsOnEverySpan()
    {
        var mapped = MapOne(Span());

        Assert.Equal("lambda", mapped.Meta["_dd.origin"]);
        Assert.Equal("lambda", mapped.Meta["origin"]);
        Assert.Equal("1", mapped.Meta["_dd.compute_stats"]);
        Assert.Equal("emulator", mapped.Meta["dd_extension_version"]);
        Assert.Contains(mapped.Meta["architecture"], new[] { "x86_64", "arm64" });
    }

    [Fact]
    public void Tags_DdServiceEnvVersionAndTagsOverwriteOtlpValues()
    {
        var options = new ExtensionEmulatorOptions { Service = "My-Function", Env = "Prod", Version = "2.0", Tags = "team:payments,env:from-tags bad-item extra:a:b" };
        var span = Span(attributes: [Attr("datadog.env", "dev"), Attr("datadog.version", "1.0"), Attr("team", "other")]);

        var mapped = MapOne(span, resource: [Attr("service.name", "otel-service")], options: options);

        Assert.Equal("otel-service", mapped.Service);
        Assert.Equal("my-function", mapped.Meta["service"]);
        Assert.Equal("from-tags", mapped.Meta["env"]);
        Assert.Equal("2.0", mapped.Meta["version"]);
        Assert.Equal("payments", mapped.Meta["team"]);
        Assert.Equal("a:b", mapped.Meta["extra"]);
        Assert.False(mapped.Meta.ContainsKey("bad-item"));
    }

    [Fact]
    public void Tags_DdEnvIsNotNormalised()
    {
        Assert.Equal("Prod Env", MapOne(Span(), options: new ExtensionEmulatorOptions { Env = "Prod Env" }).Meta["env"]);
    }

    [Fact]
    public void Tags_AServiceLiterallyNamedAwsLambdaTakesDdService()
    {
        var options = new ExtensionEmulatorOptions { Service = "My-Function" };
        Assert.Equal("my-function", MapOne(Span(attributes: [Attr("datadog.service", "aws.lambda")]), options: options).Service);
        Assert.Equal("aws.lambda", MapOne(Span(attributes: [Attr("datadog.service", "aws.lambda")])).Service);
    }

    [Fact]
    public void Normalisation_OperationNamesFollowLibdatadog()
    {
        Assert.Equal("my_op.name", MapOne(Span(attributes: [Attr("operation.name", "my-op.name")])).Name);
        Assert.Equal("unnamed_operation", MapOne(Span(attributes: [Attr("operation.name", "***")])).Name);

        // libdatadog's in-place normaliser keeps a byte when it skips a repeated separator (emulated quirk).
        Assert.Equal("a_-b", MapOne(Span(attributes: [Attr("operation.name", "a--b")])).Name);
    }

    [Fact]
    public void Normalisation_AStartBeforeTheYear2000IsReplacedByNowMinusTheDuration()
    {
        var span = Span();
        span.StartTimeUnixNano = 42;
        span.EndTimeUnixNano = 1_042;

        var mapped = MapOne(span);

        Assert.Equal(Now.ToUnixTimeMilliseconds() * 1_000_000 - 1_000, mapped.Start);
        Assert.Equal(1_000, mapped.Duration);
    }

    [Fact]
    public void Normalisation_AZeroSpanIdStopsNormalisationOfTheRestOfTheChunk()
    {
        var spans = Map(Request(null, DefaultScope,
            Span(spanId: 1, attributes: [Attr("operation.name", "first-op")]),
            Span(spanId: 0, attributes: [Attr("operation.name", "zero-op")]),
            Span(spanId: 3, attributes: [Attr("operation.name", "after-op")])));

        Assert.Equal(["first_op", "zero-op", "after-op"], spans.Select(s => s.Name));
    }

    private static DatadogTrace Trace(params OtlpSpan[] spans)
    {
        var mapped = Map(Request(null, DefaultScope, spans));
        return new DatadogTrace(mapped[0].TraceId, mapped);
    }
}
