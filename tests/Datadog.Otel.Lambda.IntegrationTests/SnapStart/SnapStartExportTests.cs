// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Globalization;
using Datadog.Otel.Lambda.IntegrationTests.TestSupport;
using Datadog.Otel.Lambda.SnapStart;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.IntegrationTests.SnapStart;

/// <summary>
/// After a SnapStart restore, the span ids that leave the process are rewritten (see RestoredSpanIds): the export and
/// the injected headers must still agree, so Datadog sees one connected trace, with the restore as the cold start.
/// The runtime's hook registry is played by two collections with its ordering rules.
/// </summary>
[Collection("Tracing")]
public sealed class SnapStartExportTests : IDisposable
{
    public SnapStartExportTests() => SnapStartState.Reset();

    public void Dispose() => SnapStartState.Reset();

    [Fact]
    public async Task RestoredSandboxExportsOneConnectedTraceWithTheRestoreAsColdStart()
    {
        await using var server = await DownstreamServer.StartAsync();
        await using var harness = await EmulatorHarness.StartAsync(
            new() { ["AWS_LAMBDA_INITIALIZATION_TYPE"] = "snap-start" },
            build: b => b.AddHttpClientInstrumentation().AddSource(DownstreamServer.Source.Name));
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var beforeSnapshot = new Stack<Func<ValueTask>>();
        var afterRestore = new List<Func<ValueTask>>();
        DatadogSnapStart.RegisterHooks(beforeSnapshot.Push, afterRestore.Add, "snap-start");

        // Priming before the snapshot, then the restore.
        beforeSnapshot.Push(async () => await DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("priming"), async (_, _) => await http.GetStringAsync(new Uri("/warm", UriKind.Relative))));
        while (beforeSnapshot.TryPop(out var hook))
        {
            await hook();
        }

        foreach (var hook in afterRestore)
        {
            await hook();
        }

        ActivitySpanId raw = default;
        await DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("restored"), async (_, _) =>
        {
            raw = Activity.Current!.SpanId;
            return await http.GetStringAsync(new Uri("/stock", UriKind.Relative));
        });

        var trace = await harness.Emulator.WaitForTraceAsync(
            t => t.Spans.Any(s => s.GetMeta("request_id") == "restored") && t.Spans.Any(s => s.OtelName == "downstream handler"),
            EmulatorHarness.Wait);
        var lambda = trace.Spans.Single(s => s.Name == "aws.lambda");
        var client = trace.Spans.Single(s => s.Name == "http.client.request");
        var downstream = trace.Spans.Single(s => s.OtelName == "downstream handler");
        var restore = trace.Spans.Single(s => s.Name == "aws.lambda.snapstart_restore");

        // The ids are rewritten, and parentage holds across the export and the headers.
        Assert.NotEqual(Convert.ToUInt64(raw.ToHexString(), 16), lambda.SpanId);
        Assert.Equal(lambda.SpanId, client.ParentId);
        Assert.Equal(client.SpanId, downstream.ParentId);
        Assert.Equal(client.SpanId.ToString(CultureInfo.InvariantCulture), server.Received.Last()["x-datadog-parent-id"]);
        Assert.Equal(lambda.ParentId, restore.ParentId);
        Assert.Equal("true", lambda.GetMeta("cold_start"));
        Assert.DoesNotContain(trace.Spans, s => s.Name == "aws.lambda.cold_start");
    }
}
