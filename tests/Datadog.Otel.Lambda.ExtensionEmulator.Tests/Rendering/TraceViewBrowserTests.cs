// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using System.Text.Json.Nodes;
using Datadog.Otel.Lambda.ExtensionEmulator.Tests.TestSupport;
using Datadog.Otel.Lambda.TestSupport;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Tests.Rendering;

/// <summary>
/// The HTML trace view used as a person uses it: headless chromium (Debian's, driven by playwright-core from the
/// committed lockfile; both installed by this project's build) clicks spans and filters and reads what the page shows.
/// </summary>
[Trait("Category", "Slow")]
public sealed class TraceViewBrowserTests : IDisposable
{
    private const string Link = """[{"attributes":{"reason":"batch"},"span_id":"0000000000000002","trace_id":"000000000000000000000000000000aa"}]""";
    private const string Pointer = """[{"attributes":{"link.kind":"span-pointer","ptr.dir":"u","ptr.hash":"e721375466d4116ab551213fdea08413","ptr.kind":"aws.s3.object"},"span_id":"0000000000000000","trace_id":"00000000000000000000000000000000"}]""";
    private const string Events = """[{"attributes":{"exception.message":"connection refused","exception.type":"System.Net.Http.HttpRequestException"},"name":"exception","time_unix_nano":1700000000045000000}]""";
    private static readonly TimeSpan BrowserTimeout = TimeSpan.FromMinutes(2);

    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("trace-view-browser-");

    public void Dispose() => directory.Delete(recursive: true);

    [Fact]
    public async Task Clicking_a_span_shows_its_tags_error_events_links_and_pointers_and_filters_select_traces()
    {
        var api = Spans.Trace(
            Spans.Make(1, 0, "aws.apigateway", startMs: 0, durationMs: 300, service: "api.example.com", resource: "POST /orders"),
            Spans.Make(2, 1, "aws.lambda", startMs: 20, durationMs: 250, service: "order-api", resource: "order-api",
                meta: new Dictionary<string, string> { ["function_trigger.event_source"] = "api-gateway", ["cold_start"] = "true", ["request_id"] = "req-1" },
                metrics: new Dictionary<string, double> { ["_sampling_priority_v1"] = 1, ["http.response.status_code"] = 201 }),
            Spans.Make(3, 2, "http.client.request", startMs: 40, durationMs: 100, service: "order-api", resource: "GET", error: 1,
                meta: new Dictionary<string, string>
                {
                    ["error.type"] = "System.Net.Http.HttpRequestException",
                    ["error.msg"] = "connection refused",
                    ["error.stack"] = "at OrderApi.HandleOrderAsync()\n   at Datadog.Otel.Lambda.DatadogLambda.TraceAsync()",
                    ["events"] = Events,
                }),
            Spans.Make(4, 2, "aws.sqs.request", startMs: 150, durationMs: 20, service: "order-api", resource: "SQS.SendMessage", meta: new Dictionary<string, string> { ["_dd.span_links"] = Link }));
        var consumer = Spans.Trace(
            Spans.Make(10, 0, "aws.lambda", startMs: 0, durationMs: 50, traceId: 77, service: "fulfillment", resource: "fulfillment",
                meta: new Dictionary<string, string> { ["function_trigger.event_source"] = "sqs", ["_dd.span_links"] = Pointer }));
        var poller = Spans.Trace(
            Spans.Make(20, 0, "aws.sqs.request", startMs: 0, durationMs: 5, traceId: 99, service: "poller", resource: "SQS.ReceiveMessage"));
        var page = TraceHtmlRenderer.WriteHtml(Path.Combine(directory.FullName, "view.html"), [api, consumer, poller]);

        var results = await RunAsync(
            page,
            new { count = "section.trace" },
            new { text = "#summary" },
            new { hidden = "#details" },

            // aws.lambda: Datadog's tags, meta and metrics alike.
            new { click = "section[data-trace-id='42'] g.row[data-span-id='2']" },
            new { text = "#details .details-operation" },
            new { text = "#details tr[data-tag='function_trigger.event_source'] td.value" },
            new { text = "#details tr[data-tag='_sampling_priority_v1'] td.value" },
            new { text = "#details tr[data-tag='cold_start'] td.value" },

            // The failed HTTP call, from the flame graph: its error and its exception event (5 ms after the span started).
            new { click = "section[data-trace-id='42'] rect.flame-cell[data-span-id='3']" },
            new { text = "#details .error-type" },
            new { text = "#details .error-message" },
            new { text = "#details .error-stack" },
            new { text = "#details .events" },

            // A span link, and (from the keyboard) a span pointer.
            new { click = "section[data-trace-id='42'] g.row[data-span-id='4']" },
            new { text = "#details .span-links" },
            new { press = "section[data-trace-id='77'] g.row[data-span-id='10']", key = "Enter" },
            new { text = "#details .span-pointers" },

            // Filters: by service, by trigger (traces without an invocation are labelled), by function.
            new { select = "#filter-service", value = "fulfillment" },
            new { count = "section.trace" },
            new { text = "#summary" },
            new { select = "#filter-service", value = string.Empty },
            new { select = "#filter-trigger", value = "no Lambda invocation" },
            new { count = "section.trace" },
            new { text = "section.trace:not([hidden]) .badge.infra" },
            new { select = "#filter-trigger", value = string.Empty },
            new { select = "#filter-function", value = "order-api" },
            new { count = "section.trace" },
            new { hidden = "section[data-trace-id='77']" });

        Assert.Equal(3, (int)results[0]!);
        Assert.StartsWith("3 traces, 6 spans, written ", (string)results[1]!, StringComparison.Ordinal);
        Assert.True((bool)results[2]!);

        Assert.Equal("aws.lambda", (string)results[4]!);
        Assert.Equal("api-gateway", (string)results[5]!);
        Assert.Equal("1", (string)results[6]!);
        Assert.Equal("true", (string)results[7]!);

        Assert.Equal("System.Net.Http.HttpRequestException", (string)results[9]!);
        Assert.Equal("connection refused", (string)results[10]!);
        Assert.Contains("at OrderApi.HandleOrderAsync()", (string)results[11]!, StringComparison.Ordinal);
        var events = (string)results[12]!;
        Assert.Contains("exception", events, StringComparison.Ordinal);
        Assert.Contains("exception +5.00 ms", events, StringComparison.Ordinal);
        Assert.Contains("exception.message", events, StringComparison.Ordinal);

        var links = (string)results[14]!;
        Assert.Contains("000000000000000000000000000000aa", links, StringComparison.Ordinal);
        Assert.Contains("reason", links, StringComparison.Ordinal);
        var pointers = (string)results[16]!;
        Assert.Contains("aws.s3.object", pointers, StringComparison.Ordinal);
        Assert.Contains("upstream", pointers, StringComparison.Ordinal);
        Assert.Contains("e721375466d4116ab551213fdea08413", pointers, StringComparison.Ordinal);

        Assert.Equal(1, (int)results[18]!);
        Assert.StartsWith("1 traces, 1 spans shown; 2 traces, 5 spans filtered out", (string)results[19]!, StringComparison.Ordinal);
        Assert.Equal(1, (int)results[22]!);
        Assert.Equal("no Lambda invocation", (string)results[23]!);
        Assert.Equal(1, (int)results[26]!);
        Assert.True((bool)results[27]!);
    }

    [Fact]
    public async Task The_tags_shown_for_a_span_received_over_otlp_are_the_ones_the_emulator_mapped()
    {
        var path = Path.Combine(directory.FullName, "received.html");
        await using (var emulator = await ExtensionEmulator.StartAsync(new ExtensionEmulatorOptions { Service = "my-fn", Env = "test", HtmlReportPath = path }))
        {
            var body = OtlpProto.Request("my-fn", "scope", padLengths: false,
                OtlpProto.Span("validate order", OtlpModel.TraceId(0, 5), OtlpModel.SpanId(1), kind: 1));
            using var response = await EmulatorClient.PostAsync(emulator.TracesEndpoint, body, "application/x-protobuf");
            Assert.True(response.IsSuccessStatusCode);
            var span = Assert.Single(emulator.Spans);

            // An internal span without operation.name: the extension's operation name and the span name as resource.
            Assert.Equal(("SPAN_KIND_INTERNAL", "validate order"), (span.Name, span.Resource));
        }

        var results = await RunAsync(
            path,
            new { click = "g.row[data-span-id='1']" },
            new { text = "#details .details-operation" },
            new { text = "#details .subtitle" },
            new { text = "#details tr[data-tag='env'] td.value" },
            new { text = "#details tr[data-tag='_dd.origin'] td.value" });

        Assert.Equal("SPAN_KIND_INTERNAL", (string)results[1]!);
        Assert.Equal("my-fn \u00b7 validate order", (string)results[2]!);
        Assert.Equal("test", (string)results[3]!);
        Assert.Equal("lambda", (string)results[4]!);
    }

    /// <summary>Runs Browser/trace-view.mjs on a page with a plan of steps and returns one result per step.</summary>
    private static async Task<JsonArray> RunAsync(string page, params object[] steps)
    {
        var script = RepositoryPaths.Combine("tests", "Datadog.Otel.Lambda.ExtensionEmulator.Tests", "Browser", "trace-view.mjs");
        var (exitCode, stdout, stderr) = await ProcessRunner.RunAsync(
            "node",
            [script, page, JsonSerializer.Serialize(steps)],
            BrowserTimeout,
            environment: new Dictionary<string, string> { ["CHROMIUM_PATH"] = HeadlessChromium.Executable });
        Assert.True(exitCode == 0, $"trace-view.mjs exited {exitCode}:\n{stdout}\n{stderr}");
        var output = JsonNode.Parse(stdout.Trim().Split('\n')[^1])!;
        var results = output["results"]!.AsArray();
        Assert.Equal(steps.Length, results.Count);
        return results;
    }
}
