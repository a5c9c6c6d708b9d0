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
    private const string InitSpanName = "init: load configuration";

    private static readonly ActivitySource InitSource = new("SnapStartExportTests.Init");

    private static readonly Dictionary<string, string?> SnapStartEnvironment = new() { ["AWS_LAMBDA_INITIALIZATION_TYPE"] = "snap-start" };

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

    [Fact]
    public async Task ASpanEndedDuringInitializationIsSentAtTheSnapshotAndByNoRestoredSandbox()
    {
        await using var harness = await EmulatorHarness.StartAsync(SnapStartEnvironment, build: b => b.AddSource(InitSource.Name));
        var beforeSnapshot = new Stack<Func<ValueTask>>();
        var afterRestore = new List<Func<ValueTask>>();
        DatadogSnapStart.RegisterHooks(beforeSnapshot.Push, afterRestore.Add, "snap-start");

        // A call the function's constructor makes: it ends outside any invocation, and no priming invocation flushes.
        EndAnInitializationSpan();
        await RunAsync(beforeSnapshot);

        // Lambda takes the snapshot once the hooks have returned: the span must have reached the extension by then.
        Assert.Single(harness.Emulator.Spans, s => s.OtelName == InitSpanName);

        foreach (var sandbox in new[] { "restored-a", "restored-b" })
        {
            foreach (var hook in afterRestore)
            {
                await hook();
            }

            var before = harness.Emulator.Spans.Count;
            await DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context(sandbox), (_, _) => Task.FromResult(0));
            await harness.TraceOf(sandbox);

            // The sandbox's first flush carries its own invocation, not a copy of the initialization's span.
            Assert.DoesNotContain(harness.Emulator.Spans.Skip(before), s => s.OtelName == InitSpanName);
        }

        Assert.Single(harness.Emulator.Spans, s => s.OtelName == InitSpanName);
    }

    [Theory]
    [InlineData(Fault.Closed)]
    [InlineData(Fault.Hanging)]
    public async Task ASpanTheSnapshotCouldNotSendIsDroppedNotSentByTheRestoredSandbox(Fault fault)
    {
        using var recorder = new DiagnosticsRecorder();
        FaultServer? server = null;
        await using var harness = await EmulatorHarness.StartAsync(
            SnapStartEnvironment,
            build: b => b.AddSource(InitSource.Name),
            route: upstream => (server = new FaultServer(upstream)).TracesEndpoint);
        await using var faults = server!;
        var beforeSnapshot = new Stack<Func<ValueTask>>();
        var afterRestore = new List<Func<ValueTask>>();
        DatadogSnapStart.RegisterHooks(beforeSnapshot.Push, afterRestore.Add, "snap-start");

        EndAnInitializationSpan();
        faults.Set(fault);
        var watch = Stopwatch.StartNew();
        await RunAsync(beforeSnapshot).AsTask().WaitAsync(EmulatorHarness.Wait);
        watch.Stop();

        // Bounded: an endpoint that never answers holds the snapshot for the hook's budget, no longer.
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, QueuedSpansAtSnapshot.MaxBudget + TimeSpan.FromSeconds(2));

        // The endpoint is back in the restored sandbox: the span must not come out of the snapshot there.
        faults.Set(Fault.Healthy);
        foreach (var hook in afterRestore)
        {
            await hook();
        }

        await DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("restored"), (_, _) => Task.FromResult(0));
        await harness.TraceOf("restored");
        Assert.DoesNotContain(harness.Emulator.Spans, s => s.OtelName == InitSpanName);

        if (fault == Fault.Hanging)
        {
            // Cut by the budget, put back in the queue, then dropped: the count is reported.
            Assert.Contains(recorder.Messages, m => m.Contains("1 spans ended during initialization and were not delivered", StringComparison.Ordinal));
        }
        else
        {
            // Refused: the send failed for good (the exporter reports it) and nothing was left queued.
            Assert.Contains(recorder.Messages, m => m.Contains("1 spans ended during initialization went to the exporter", StringComparison.Ordinal));
        }
    }

    private static void EndAnInitializationSpan()
    {
        Assert.Null(Activity.Current);
        using var activity = InitSource.StartActivity(InitSpanName, ActivityKind.Client);
        Assert.NotNull(activity);
    }

    private static async ValueTask RunAsync(Stack<Func<ValueTask>> beforeSnapshot)
    {
        while (beforeSnapshot.TryPop(out var hook))
        {
            await hook();
        }
    }
}
