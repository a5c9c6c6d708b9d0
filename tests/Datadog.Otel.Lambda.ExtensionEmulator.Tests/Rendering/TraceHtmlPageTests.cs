// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using System.Text.RegularExpressions;
using Datadog.Otel.Lambda.ExtensionEmulator.Tests.TestSupport;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Tests.Rendering;

/// <summary>
/// The HTML trace view without a browser (the fast lane's check of it): the page is offline and carries, in its one
/// JSON data element, what the page's script draws and shows in the span panel. What the script makes of it is checked
/// in headless chromium by <see cref="TraceHtmlRendererTests"/> and <see cref="TraceViewBrowserTests"/>.
/// </summary>
public sealed partial class TraceHtmlPageTests : IDisposable
{
    private const string Pointer = """[{"attributes":{"link.kind":"span-pointer","ptr.dir":"u","ptr.hash":"e721375466d4116ab551213fdea08413","ptr.kind":"aws.s3.object"},"span_id":"0000000000000000","trace_id":"00000000000000000000000000000000"}]""";

    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("trace-page-");

    public void Dispose() => directory.Delete(recursive: true);

    [Fact]
    public void The_page_holds_each_trace_in_waterfall_order_with_the_span_panels_data()
    {
        var api = Spans.Trace(
            Spans.Make(1, 0, "aws.apigateway", startMs: 0, durationMs: 300, service: "api.example.com", resource: "GET /orders"),
            Spans.Make(3, 2, "http.client.request", startMs: 40, durationMs: 100, service: "order-api", resource: "GET", error: 1, meta: new Dictionary<string, string> { ["error.type"] = "System.Net.Http.HttpRequestException", ["error.msg"] = "connection refused" }),
            Spans.Make(2, 1, "aws.lambda", startMs: 20, durationMs: 250, service: "order-api", resource: "order-api", meta: new Dictionary<string, string> { ["function_trigger.event_source"] = "api-gateway" }, metrics: new Dictionary<string, double> { ["_sampling_priority_v1"] = 1 }));
        var consumer = Spans.Trace(
            Spans.Make(10, 0, "aws.lambda", startMs: 0, durationMs: 50, traceId: 77, service: "thumbnailer", resource: "thumbnailer", meta: new Dictionary<string, string> { ["_dd.span_links"] = Pointer }));

        var html = TraceHtmlRenderer.RenderHtml([api, consumer]);

        // Offline: nothing is loaded from anywhere.
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);
        Assert.DoesNotContain("@import", html, StringComparison.Ordinal);

        using var data = Data(html);
        var traces = data.RootElement.GetProperty("traces").EnumerateArray().ToList();
        Assert.Equal(["42", "77"], traces.Select(t => t.GetProperty("traceId").GetString()));

        // Waterfall order (parents before children) with depths, ids as text (JavaScript numbers lose precision above 2^53).
        var spans = traces[0].GetProperty("spans").EnumerateArray().ToList();
        Assert.Equal(["1", "2", "3"], spans.Select(s => s.GetProperty("id").GetString()));
        Assert.Equal([0, 1, 2], spans.Select(s => s.GetProperty("depth").GetInt32()));
        Assert.Equal(300, traces[0].GetProperty("duration").GetDouble());
        Assert.Equal(1, traces[0].GetProperty("errors").GetInt32());
        Assert.Equal(1, traces[0].GetProperty("priority").GetInt32());

        // What the filters select by: services, the invocations' functions and triggers.
        Assert.Equal(["api.example.com", "order-api"], Strings(traces[0], "services"));
        Assert.True(traces[0].GetProperty("lambda").GetBoolean());
        Assert.Equal(["order-api"], Strings(traces[0], "functions"));
        Assert.Equal(["api-gateway"], Strings(traces[0], "triggers"));

        // The span panel: the error's details, and meta and metrics in one list sorted by key, metrics flagged.
        var failed = spans[2];
        Assert.True(failed.GetProperty("error").GetBoolean());
        Assert.Equal("System.Net.Http.HttpRequestException", failed.GetProperty("errorType").GetString());
        Assert.Equal("connection refused", failed.GetProperty("errorMessage").GetString());
        var tags = spans[1].GetProperty("tags").EnumerateArray().Select(t => (t[0].GetString(), t[1].GetString(), t[2].GetBoolean())).ToList();
        Assert.Equal([("_sampling_priority_v1", "1", true), ("function_trigger.event_source", "api-gateway", false)], tags);

        // A span pointer is shown as one, not as a raw meta tag.
        var consumerSpan = Assert.Single(traces[1].GetProperty("spans").EnumerateArray());
        var pointer = Assert.Single(consumerSpan.GetProperty("links").EnumerateArray());
        Assert.True(pointer.GetProperty("pointer").GetBoolean());
        Assert.Equal("aws.s3.object upstream e721375466d4116ab551213fdea08413", pointer.GetProperty("label").GetString());
        Assert.Empty(consumerSpan.GetProperty("tags").EnumerateArray());
    }

    [Fact]
    public void Span_text_and_the_title_cannot_close_the_data_element_or_add_markup()
    {
        const string Hostile = "</script><img id=\"injected\" src=x onerror=\"document.title='pwned'\">";
        var trace = Spans.Trace(Spans.Make(1, 0, Hostile, startMs: 0, durationMs: 1, service: "<b>svc</b>", resource: "__DATA__ __TITLE__"));

        var html = TraceHtmlRenderer.RenderHtml([trace], title: "<i id=\"italic\">view</i>");

        // The data element is the only one, closed where the template closes it: '<' and '>' in span text are escaped.
        Assert.Single(DataElement().Matches(html));
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<i id", html, StringComparison.Ordinal);
        Assert.Contains("<title>&lt;i id=&quot;italic&quot;&gt;view&lt;/i&gt;</title>", html, StringComparison.Ordinal);

        // The text arrives unchanged in the data, markers included (they are never searched for in span text).
        using var data = Data(html);
        var span = data.RootElement.GetProperty("traces")[0].GetProperty("spans")[0];
        Assert.Equal(Hostile, span.GetProperty("name").GetString());
        Assert.Equal("__DATA__ __TITLE__", span.GetProperty("resource").GetString());
    }

    [Fact]
    public async Task The_emulator_writes_the_page_of_everything_it_received_when_disposed()
    {
        var path = Path.Combine(directory.FullName, "run", "traces.html");
        await using (var emulator = await ExtensionEmulator.StartAsync(new ExtensionEmulatorOptions { HtmlReportPath = path }))
        {
            var body = OtlpProto.Request("order-api", "scope", padLengths: false,
                OtlpProto.Span("GET /orders", OtlpModel.TraceId(0, 5), OtlpModel.SpanId(1), kind: 2),
                OtlpProto.Span("child", OtlpModel.TraceId(0, 5), OtlpModel.SpanId(2), parentId: OtlpModel.SpanId(1)));
            using var response = await EmulatorClient.PostAsync(emulator.TracesEndpoint, body, "application/x-protobuf");
            Assert.True(response.IsSuccessStatusCode);
            Assert.False(File.Exists(path));
        }

        using var data = Data(await File.ReadAllTextAsync(path));
        var trace = Assert.Single(data.RootElement.GetProperty("traces").EnumerateArray());
        Assert.Equal("5", trace.GetProperty("traceId").GetString());
        Assert.Equal(["1", "2"], trace.GetProperty("spans").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
    }

    [Fact]
    public void A_run_without_traces_is_a_page_with_no_trace()
    {
        using var data = Data(TraceHtmlRenderer.RenderHtml([]));
        Assert.Empty(data.RootElement.GetProperty("traces").EnumerateArray());
    }

    [GeneratedRegex("<script type=\"application/json\" id=\"trace-data\">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex DataElement();

    private static JsonDocument Data(string html) => JsonDocument.Parse(DataElement().Match(html).Groups[1].Value);

    private static List<string?> Strings(JsonElement trace, string name) => trace.GetProperty(name).EnumerateArray().Select(e => e.GetString()).ToList();
}
