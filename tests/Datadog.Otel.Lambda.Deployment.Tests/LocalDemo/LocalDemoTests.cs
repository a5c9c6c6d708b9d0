// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

#if NET10_0_OR_GREATER
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Datadog.Otel.Lambda.TestSupport;

namespace Datadog.Otel.Lambda.Deployment.Tests.LocalDemo;

/// <summary>
/// The README's main command tells its story, and tells it truthfully: run exactly as a newcomer runs it, the demo
/// connects each order from the API request through SQS to the fulfillment function in one trace, logs the fulfillment
/// with that trace's id, and writes the HTML trace view. Each function runs in its own process with its own extension,
/// as in Lambda: each cold start is measured from its own process start, sits inside its trigger's span and carries its
/// own function's service; the demo's own SQS polling is not traced; the console and the view count the same spans.
/// (The demo checks the connected traces itself and exits 1 when they are not.) On the .NET 10 leg only: the demo is
/// one program, whatever runtime the tests run on.
/// </summary>
[Trait("Category", "Slow")]
public sealed class LocalDemoTests
{
    // Event timestamps (API Gateway's request time, SQS's SentTimestamp) have millisecond precision.
    private const double TimestampPrecisionMs = 1.0;

    [Fact]
    public async Task DemoTracesEachOrderFromTheApiRequestToFulfillment()
    {
        var html = RepositoryPaths.Combine("artifacts", "local-demo-traces.html");
        if (File.Exists(html))
        {
            File.Delete(html);
        }

        var (exitCode, stdout, stderr) = await ProcessRunner.RunAsync(
            "dotnet",
            ["run", "--no-build", "--project", "examples/LocalDemo", "-f", "net10.0"],
            TimeSpan.FromMinutes(4),
            RepositoryPaths.Root);

        Assert.True(exitCode == 0, stdout + stderr);
        Assert.Contains("2 orders traced from the API request to fulfillment in one trace", stdout);

        // The fulfillment's log line (written by its own process) carries the id of the trace the demo printed for that order.
        var log = Regex.Match(stdout, @"fulfillment \| \S+\treq-cold-fulfillment\tinfo\t\[dd\.trace_id=(\d+) dd\.span_id=\d+\] Fulfillment: Fulfilling order for book");
        Assert.True(log.Success, stdout);
        Assert.Contains("trace " + log.Groups[1].Value + " ", stdout);
        Assert.Contains("SQS.SendMessage", stdout);

        // Each function's cold start carries its own function's service (each function has its own extension, DD_SERVICE).
        Assert.Matches(@"aws\.lambda\.cold_start  order-api  order-api\n", stdout);
        Assert.Matches(@"aws\.lambda\.cold_start  fulfillment  fulfillment\n", stdout);

        // The user's own span, named for Datadog with operation.name and resource.name.
        Assert.Contains("order.validate  order-api  POST /orders", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("SPAN_KIND_INTERNAL", stdout, StringComparison.Ordinal);

        Assert.True(File.Exists(html), "no " + html);
        var traces = ReadViewData(await File.ReadAllTextAsync(html));

        // The console and the view count the same traces and spans, and the two extensions received exactly those.
        var counts = Regex.Match(stdout, @"Trace view: (\d+) traces, (\d+) spans");
        Assert.True(counts.Success, stdout);
        var received = Regex.Match(stdout, @"received (\d+) spans from order-api and (\d+) from fulfillment");
        Assert.True(received.Success, stdout);
        var viewSpans = traces.Sum(t => t.Spans.Count);
        Assert.Equal(int.Parse(counts.Groups[1].Value, CultureInfo.InvariantCulture), traces.Count);
        Assert.Equal(int.Parse(counts.Groups[2].Value, CultureInfo.InvariantCulture), viewSpans);
        Assert.Equal(int.Parse(received.Groups[1].Value, CultureInfo.InvariantCulture) + int.Parse(received.Groups[2].Value, CultureInfo.InvariantCulture), viewSpans);

        // Three orders, three traces, each with a Lambda invocation: the demo's own polling (ReceiveMessage, DeleteMessage)
        // is Lambda's work, not the functions', and is not traced; no AWS SDK span has a duplicate HttpClient child.
        Assert.Equal(3, traces.Count);
        Assert.All(traces, t => Assert.True(t.Lambda, "a trace without a Lambda invocation: " + string.Join(", ", t.Spans.Select(s => s.Name))));
        var all = traces.SelectMany(t => t.Spans).ToList();
        Assert.DoesNotContain(all, s => s.Resource.Contains("ReceiveMessage", StringComparison.Ordinal) || s.Resource.Contains("DeleteMessage", StringComparison.Ordinal));
        foreach (var trace in traces)
        {
            var byId = trace.Spans.ToDictionary(s => s.Id);
            Assert.DoesNotContain(trace.Spans, s => s.Name == "http.client.request" && byId.TryGetValue(s.Parent, out var parent) && parent.Name.StartsWith("aws.", StringComparison.Ordinal) && parent.Name.EndsWith(".request", StringComparison.Ordinal));
        }

        // Cold starts: one per function, each under its trigger's span and starting inside it (not at the process start of
        // another function), each with its function's service and resource.
        var coldStarts = all.Where(s => s.Name == "aws.lambda.cold_start").ToList();
        Assert.Equal(["fulfillment", "order-api"], coldStarts.Select(s => s.Service).Order(StringComparer.Ordinal));
        Assert.All(coldStarts, s => Assert.Equal(s.Service, s.Resource));
        var first = traces.Single(t => t.Spans.Any(s => s.Name == "aws.lambda.cold_start"));
        var firstById = first.Spans.ToDictionary(s => s.Id);
        Assert.Equal("aws.apigateway", firstById[coldStarts.Single(s => s.Service == "order-api").Parent].Name);
        Assert.Equal("aws.sqs", firstById[coldStarts.Single(s => s.Service == "fulfillment").Parent].Name);

        // Children sit inside their parents: none starts before its parent; synchronous children also end within it. The
        // asynchronous edges are the exceptions, by Datadog's rules: a message outlives the client call that sent it
        // (aws.sqs under aws.sqs.request), and an asynchronous inferred span ends when the invocation starts (aws.lambda
        // under aws.sqs).
        foreach (var trace in traces)
        {
            var byId = trace.Spans.ToDictionary(s => s.Id);
            foreach (var span in trace.Spans)
            {
                if (!byId.TryGetValue(span.Parent, out var parent))
                {
                    continue;
                }

                Assert.True(span.Start >= parent.Start - TimestampPrecisionMs, $"{span.Name} starts {parent.Start - span.Start:F3} ms before its parent {parent.Name}");
                if (parent.Name is not ("aws.sqs.request" or "aws.sqs"))
                {
                    Assert.True(span.Start + span.Duration <= parent.Start + parent.Duration + TimestampPrecisionMs, $"{span.Name} ends after its parent {parent.Name}");
                }
            }
        }

        // The cold start ends where the invocation begins, its sibling under the same parent.
        foreach (var coldStart in coldStarts)
        {
            var invocation = all.Single(s => s.Name == "aws.lambda" && s.Parent == coldStart.Parent);
            Assert.Equal(invocation.Start, coldStart.Start + coldStart.Duration, precision: 2);
        }
    }

    /// <summary>The traces as the view draws them: the JSON the page embeds (spans in waterfall order, times in ms).</summary>
    private static List<ViewTrace> ReadViewData(string page)
    {
        var match = Regex.Match(page, "<script type=\"application/json\" id=\"trace-data\">(.*?)</script>", RegexOptions.Singleline);
        Assert.True(match.Success, "no trace data in the view");
        using var document = JsonDocument.Parse(match.Groups[1].Value);
        return document.RootElement.GetProperty("traces").EnumerateArray().Select(t => new ViewTrace(
            t.GetProperty("lambda").GetBoolean(),
            t.GetProperty("spans").EnumerateArray().Select(s => new ViewSpan(
                s.GetProperty("id").GetString()!,
                s.GetProperty("parent").GetString()!,
                s.GetProperty("name").GetString()!,
                s.GetProperty("service").GetString()!,
                s.GetProperty("resource").GetString()!,
                s.GetProperty("start").GetDouble(),
                s.GetProperty("duration").GetDouble())).ToList())).ToList();
    }

    private sealed record ViewTrace(bool Lambda, List<ViewSpan> Spans);

    private sealed record ViewSpan(string Id, string Parent, string Name, string Service, string Resource, double Start, double Duration);
}
#endif
