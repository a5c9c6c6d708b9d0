// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using System.Text.RegularExpressions;
using Datadog.Otel.Lambda.ExtensionEmulator.Tests.TestSupport;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Tests.Rendering;

/// <summary>The HTML trace view, loaded in headless chromium: what its script drew is read back from the DOM.</summary>
[Trait("Category", "Slow")]
public sealed class TraceHtmlRendererTests : IDisposable
{
    private const string Link = """[{"span_id":"0000000000000002","trace_id":"00000000000000000000000000000001"}]""";
    private const string Pointer = """[{"attributes":{"link.kind":"span-pointer","ptr.dir":"u","ptr.hash":"e721375466d4116ab551213fdea08413","ptr.kind":"aws.s3.object"},"span_id":"0000000000000000","trace_id":"00000000000000000000000000000000"}]""";

    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("trace-view-");

    public void Dispose() => directory.Delete(recursive: true);

    [Fact]
    public async Task Draws_a_waterfall_and_a_flame_graph_with_labels_errors_links_and_span_pointers()
    {
        var api = Spans.Trace(
            Spans.Make(1, 0, "aws.apigateway", startMs: 0, durationMs: 300, service: "api.example.com", resource: "GET /orders"),
            Spans.Make(2, 1, "aws.lambda", startMs: 20, durationMs: 250, service: "order-api", resource: "order-api", metrics: new Dictionary<string, double> { ["_sampling_priority_v1"] = 1 }),
            Spans.Make(3, 2, "http.client.request", startMs: 40, durationMs: 100, service: "order-api", resource: "GET", error: 1, meta: new Dictionary<string, string> { ["error.type"] = "System.Net.Http.HttpRequestException", ["error.msg"] = "connection refused" }),
            Spans.Make(4, 2, "aws.sqs.request", startMs: 150, durationMs: 20, service: "order-api", resource: "SendMessage", meta: new Dictionary<string, string> { ["_dd.span_links"] = Link }));
        var consumer = Spans.Trace(
            Spans.Make(10, 0, "aws.lambda", startMs: 0, durationMs: 50, traceId: 77, service: "thumbnailer", resource: "thumbnailer", meta: new Dictionary<string, string> { ["_dd.span_links"] = Pointer }));

        var dom = await RenderAsync([api, consumer]);

        Assert.Contains("data-rendered=\"true\"", dom, StringComparison.Ordinal);
        var sections = Regex.Split(dom, "<section class=\"trace\"").Skip(1).ToList();
        Assert.Equal(2, sections.Count);
        Assert.StartsWith(" data-trace-id=\"42\"", sections[0], StringComparison.Ordinal);

        // One waterfall row and one flame cell per span.
        var bars = Bars(sections[0], "span-bar");
        var cells = Bars(sections[0], "flame-cell");
        Assert.Equal(["1", "2", "3", "4"], bars.Select(b => b.SpanId));
        Assert.Equal(4, cells.Count);

        // Bars are placed by start and scaled by duration: the 300 ms root spans the others.
        var root = bars[0];
        Assert.All(bars.Skip(1), b => Assert.True(b.X > root.X && b.X + b.Width <= root.X + root.Width + 0.5, $"span {b.SpanId} outside the root bar"));
        Assert.Equal(250.0 / 300, bars[1].Width / root.Width, precision: 2);
        Assert.True(bars[2].X < bars[3].X);

        // Nesting: the flame graph puts each level one row lower.
        Assert.Equal([0.0, 20, 40, 40], cells.Select(c => c.Y));

        // The error is drawn on its bar and cell, with a mark, and explained in the tooltip.
        Assert.Equal(["3"], bars.Where(b => b.Error).Select(b => b.SpanId));
        Assert.Equal(["3"], cells.Where(c => c.Error).Select(c => c.SpanId));
        Assert.Single(Regex.Matches(sections[0], "<text class=\"error-mark\"[^>]*>!</text>"));
        Assert.Contains("ERROR System.Net.Http.HttpRequestException: connection refused", sections[0], StringComparison.Ordinal);

        // Labels: operation and service on each row; resource in the tooltip.
        foreach (var (operation, service) in new[] { ("aws.apigateway", "api.example.com"), ("aws.lambda", "order-api"), ("http.client.request", "order-api") })
        {
            Assert.Matches($"<tspan class=\"operation\">{Regex.Escape(operation)}</tspan><tspan class=\"service\"[^>]*>{Regex.Escape(service)}</tspan>", sections[0]);
        }

        Assert.Contains("resource: GET /orders", sections[0], StringComparison.Ordinal);

        // A link and a span pointer: marked on the row and listed in the table.
        Assert.Matches("<text class=\"link-mark\"[^>]*>1 link</text>", sections[0]);
        Assert.Matches("<text class=\"link-mark\"[^>]*>1 link</text>", sections[1]);
        Assert.Contains("<tr class=\"span-link\"><td>aws.sqs.request (4)</td><td>link</td><td>trace 00000000000000000000000000000001 span 0000000000000002</td></tr>", sections[0], StringComparison.Ordinal);
        Assert.Contains("<tr class=\"span-pointer\"><td>aws.lambda (10)</td><td>span pointer</td><td>aws.s3.object upstream e721375466d4116ab551213fdea08413</td></tr>", sections[1], StringComparison.Ordinal);
        Assert.Contains("priority 1 \u00b7 1 error<", sections[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_screenshot_shows_the_error_outline_and_one_colour_per_service()
    {
        var trace = Spans.Trace(
            Spans.Make(1, 0, "aws.lambda", startMs: 0, durationMs: 100, service: "alpha"),
            Spans.Make(2, 1, "http.client.request", startMs: 10, durationMs: 50, service: "beta", error: 1));
        var file = TraceHtmlRenderer.WriteHtml(Path.Combine(directory.FullName, "shot.html"), [trace]);
        var png = Path.Combine(directory.FullName, "shot.png");

        await HeadlessChromium.ScreenshotAsync(file, png);

        var image = PngPixels.Load(png);
        Assert.Equal(1300, image.Width);

        // The error outline (#d0021b) and the fills of both services' bars (the page's hash-to-hue colours,
        // computed here the same way) are on screen.
        Assert.True(image.Count(0xd0, 0x02, 0x1b) > 200, "no error outline drawn");
        foreach (var service in new[] { "alpha", "beta" })
        {
            var (r, g, b) = ServiceColour(service);
            Assert.True(image.Count(r, g, b, tolerance: 6) > 1000, $"no bars in {service}'s colour");
        }
    }

    [Fact]
    public async Task Span_text_is_drawn_as_text_never_as_markup()
    {
        const string Hostile = "</script><img id=\"injected\" src=x onerror=\"document.title='pwned'\">";
        var trace = Spans.Trace(Spans.Make(1, 0, Hostile, startMs: 0, durationMs: 1, service: "<b id=\"bold\">svc</b>", resource: "__DATA__ __TITLE__"));

        var dom = await RenderAsync([trace], title: "<i id=\"italic\">view</i>");

        Assert.Contains("data-rendered=\"true\"", dom, StringComparison.Ordinal);
        // As elements they would appear as tags; as text their '<' is escaped in the serialized DOM.
        Assert.DoesNotContain("<img", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("<b id", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("<i id", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("pwned", Regex.Match(dom, "<title>(.*?)</title>").Groups[1].Value, StringComparison.Ordinal);
        Assert.Contains("&lt;/script&gt;&lt;img id=\"injected\"", dom, StringComparison.Ordinal);
        Assert.Contains("resource: __DATA__ __TITLE__", dom, StringComparison.Ordinal);
        Assert.Single(Bars(dom, "span-bar"));
    }

    [Fact]
    public async Task A_run_without_traces_says_so()
    {
        var dom = await RenderAsync([]);

        Assert.Contains("No traces were received.", dom, StringComparison.Ordinal);
        Assert.Contains("0 traces, 0 spans", dom, StringComparison.Ordinal);
        Assert.Empty(Bars(dom, "span-bar"));
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

        var dom = await HeadlessChromium.DumpDomAsync(path);
        Assert.Contains("<section class=\"trace\" data-trace-id=\"5\"", dom, StringComparison.Ordinal);
        Assert.Equal(["1", "2"], Bars(dom, "span-bar").Select(b => b.SpanId));
    }

    private async Task<string> RenderAsync(IReadOnlyList<DatadogTrace> traces, string? title = null)
    {
        var file = TraceHtmlRenderer.WriteHtml(Path.Combine(directory.FullName, Guid.NewGuid().ToString("n") + ".html"), traces, title);
        var html = await File.ReadAllTextAsync(file);

        // Offline: nothing is loaded from anywhere.
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);
        Assert.DoesNotContain("@import", html, StringComparison.Ordinal);
        return await HeadlessChromium.DumpDomAsync(file);
    }

    private static List<Bar> Bars(string dom, string cssClass)
    {
        var bars = new List<Bar>();
        foreach (Match rect in Regex.Matches(dom, "<rect class=\"" + cssClass + "( error)?\"[^>]*>"))
        {
            var spanId = Regex.Match(rect.Value, "data-span-id=\"(\\d+)\"");

            // Waterfall bars carry their span id on the enclosing row.
            var id = spanId.Success ? spanId.Groups[1].Value : Regex.Matches(dom[..rect.Index], "<g class=\"row\" data-span-id=\"(\\d+)\"")[^1].Groups[1].Value;
            bars.Add(new Bar(id, rect.Groups[1].Success, Number(rect.Value, "x"), Number(rect.Value, "y"), Number(rect.Value, "width")));
        }

        return bars;
    }

    // The page's colour(): hue = |31-hash of the UTF-16 code units| mod 360 at 62% saturation, 68% lightness.
    private static (byte R, byte G, byte B) ServiceColour(string service)
    {
        var hash = 0;
        foreach (var c in service)
        {
            hash = unchecked((hash * 31) + c);
        }

        double h = Math.Abs(hash) % 360, s = 0.62, l = 0.68;
        var chroma = (1 - Math.Abs((2 * l) - 1)) * s;
        var x = chroma * (1 - Math.Abs((h / 60 % 2) - 1));
        var m = l - (chroma / 2);
        var (r, g, b) = h switch
        {
            < 60 => (chroma, x, 0.0),
            < 120 => (x, chroma, 0.0),
            < 180 => (0.0, chroma, x),
            < 240 => (0.0, x, chroma),
            < 300 => (x, 0.0, chroma),
            _ => (chroma, 0.0, x),
        };
        return ((byte)Math.Round((r + m) * 255), (byte)Math.Round((g + m) * 255), (byte)Math.Round((b + m) * 255));
    }

    private static double Number(string element, string attribute) =>
        double.Parse(Regex.Match(element, " " + attribute + "=\"([-\\d.e]+)\"").Groups[1].Value, CultureInfo.InvariantCulture);

    private sealed record Bar(string SpanId, bool Error, double X, double Y, double Width);
}
