// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Datadog.Otel.Lambda.IntegrationTests.Reliability;
using Datadog.Otel.Lambda.IntegrationTests.TestSupport;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.IntegrationTests.Invocation;

[Collection("Tracing")]
public class ExportFailureTests
{
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task RefusedExportNamesTheExtensionSettingAndDoesNotDelayTheFunction()
    {
        using var recorder = new DiagnosticsRecorder();
        var endpoint = new Uri($"http://127.0.0.1:{FreePort()}/v1/traces");
        using var provider = Sdk.CreateTracerProviderBuilder()
            .AddDatadogLambda(o =>
            {
                o.Environment = EnvironmentSource.FromDictionary(new Dictionary<string, string?> { ["AWS_LAMBDA_FUNCTION_NAME"] = "f" });
                o.Exporter = DatadogLambdaExporter.Extension;
                o.Endpoint = endpoint;
            })
            .Build()!;

        var watch = Stopwatch.StartNew();
        var result = await DatadogLambda.TraceAsync(provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("refused"), (_, _) => Task.FromResult(42));
        Assert.Equal(42, result);
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3));
        Assert.Contains(recorder.Messages, m => m.Contains("DD_OTLP_CONFIG_RECEIVER_PROTOCOLS_HTTP_ENDPOINT", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARejectedExportReportsTheStatusAndTheStartOfTheAnswerPrintable()
    {
        using var recorder = new DiagnosticsRecorder();
        await using var faults = new FaultServer(new Uri("http://127.0.0.1:1/v1/traces"));
        faults.Set(Fault.Status400WithBody);
        using var provider = Sdk.CreateTracerProviderBuilder()
            .AddDatadogLambda(o =>
            {
                o.Environment = EnvironmentSource.FromDictionary(new Dictionary<string, string?> { ["AWS_LAMBDA_FUNCTION_NAME"] = "f" });
                o.Exporter = DatadogLambdaExporter.Extension;
                o.Endpoint = faults.TracesEndpoint;
            })
            .Build()!;

        var result = await DatadogLambda.TraceAsync(provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("rejected"), (_, _) => Task.FromResult(3));

        Assert.Equal(3, result);
        var message = Assert.Single(recorder.Messages, m => m.Contains("HTTP 400", StringComparison.Ordinal));

        // The 64 KB answer is cut to its first 200 characters, the two control bytes dropped.
        Assert.Contains(": " + FaultServer.RejectionText.TrimEnd(), message, StringComparison.Ordinal);
        Assert.DoesNotContain(message, char.IsControl);
        Assert.InRange(message.Length, 0, 500);
    }

    [Fact]
    public async Task AnErrorAnswerWhoseBodyStallsHoldsTheFunctionNoLongerThanItsDeadlineAndTheNextInvocationSends()
    {
        // The endpoint answers 503 with the headers, then 10 of the 1,000 bytes its Content-Length promises, and keeps
        // the connection open. SocketsHttpHandler stops watching the request's token once the headers have arrived, so
        // the read of the error text must be bounded by the deadline itself.
        using var recorder = new DiagnosticsRecorder();
        FaultServer? server = null;
        await using var harness = await EmulatorHarness.StartAsync(route: upstream => (server = new FaultServer(upstream)).TracesEndpoint);
        await using var faults = server!;
        await DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("before-stall"), (_, _) => Task.FromResult(0));
        await harness.TraceOf("before-stall");

        faults.Set(Fault.StalledErrorBody);
        var budget = TimeSpan.FromMilliseconds(1500);
        var watch = Stopwatch.StartNew();

        // The send runs on the invocation's own thread: started on another one, so that a flush that never returns
        // fails this test (the guard) instead of hanging the test run.
        var stalled = Task.Run(() => DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("stalled", budget), (_, _) => Task.FromResult(5)));
        var result = await stalled.WaitAsync(budget + TimeSpan.FromSeconds(10));
        watch.Stop();

        Assert.Equal(5, result);
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, budget + TimeSpan.FromSeconds(2));

        // The status and what arrived of the answer are still reported.
        Assert.Contains(recorder.Messages, m => m.Contains("HTTP 503", StringComparison.Ordinal) && m.Contains(FaultServer.StalledBodyStart, StringComparison.Ordinal));

        // The next invocation sends: the processor is not left waiting for a send that never ended.
        faults.Set(Fault.Healthy);
        var next = Task.Run(() => DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("after-stall"), (_, _) => Task.FromResult(6)));
        Assert.Equal(6, await next.WaitAsync(EmulatorHarness.Wait));
        var recovered = await harness.TraceOf("after-stall");
        Assert.Single(recovered.Spans, s => s.Name == "aws.lambda");
    }

    [Fact]
    public async Task ImpendingTimeoutsDueTogetherDoNotWaitForEachOthersExport()
    {
        // Two invocations run out of time at once (Lambda Managed Instances) and the endpoint never answers. The export
        // of the first timed-out invocation (a send that blocks its thread until the invocation's deadline) must not
        // hold up the second: the timer's callback ends both invocations' spans and returns.
        await using var faults = new FaultServer(new Uri("http://127.0.0.1:1/v1/traces"));
        faults.Set(Fault.Hanging);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var ended = new List<Activity>();
        using var provider = Sdk.CreateTracerProviderBuilder()
            .AddDatadogLambda(o =>
            {
                o.Environment = EnvironmentSource.FromDictionary(new Dictionary<string, string?>
                {
                    ["AWS_LAMBDA_FUNCTION_NAME"] = "f",

                    // The timeout fires 5 s before the deadline, so the first export may block for 5 s of real time.
                    ["DD_APM_FLUSH_DEADLINE_MILLISECONDS"] = "5000",
                });
                o.Exporter = DatadogLambdaExporter.Extension;
                o.Endpoint = faults.TracesEndpoint;
                o.TimeProvider = clock;
            })
            .AddInMemoryExporter(ended)
            .Build()!;
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var deadline = clock.GetUtcNow() + TimeSpan.FromSeconds(10);
        // Other tests' spans reach this provider's in-memory exporter too (activity sources are process-wide): only
        // these two request ids count.
        var ids = new[] { "due-1-" + Guid.NewGuid().ToString("n"), "due-2-" + Guid.NewGuid().ToString("n") };
        var invocations = ids
            .Select(id => DatadogLambda.TraceAsync(provider, EmulatorHarness.Event("{}"), new DatadogLambdaContext { AwsRequestId = id, Deadline = deadline }, (_, _) => release.Task))
            .ToArray();

        var watch = Stopwatch.StartNew();
        clock.Advance(TimeSpan.FromMilliseconds(5001));
        watch.Stop();

        lock (ended)
        {
            var timedOut = ended
                .Where(a => ids.Contains(a.GetTagItem("request_id") as string) && a.GetTagItem("error.type") as string == "Impending Timeout")
                .Select(a => (string)a.GetTagItem("request_id")!)
                .Order();
            Assert.Equal(ids, timedOut);
        }

        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(2.5));

        // Connections refused from now on (and the hanging one dropped): the invocations end without waiting.
        faults.Set(Fault.Closed);
        release.SetResult(1);
        var results = await Task.WhenAll(invocations);
        Assert.Equal([1, 1], results);
    }

    [Fact]
    public async Task HangingEndpointIsBoundedByTheInvocationDeadline()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = new List<Socket>();
        var accepting = Task.Run(async () =>
        {
            // Accept and never answer: the exporter must give up at the deadline, not at its 10 s timeout.
            while (true)
            {
                accepted.Add(await listener.AcceptSocketAsync());
            }
        });
        using var provider = Sdk.CreateTracerProviderBuilder()
            .AddDatadogLambda(o =>
            {
                o.Environment = EnvironmentSource.FromDictionary(new Dictionary<string, string?> { ["AWS_LAMBDA_FUNCTION_NAME"] = "f" });
                o.Exporter = DatadogLambdaExporter.Extension;
                o.Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/v1/traces");
            })
            .Build()!;

        var watch = Stopwatch.StartNew();
        var result = await DatadogLambda.TraceAsync(provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("hang", TimeSpan.FromMilliseconds(600)), (_, _) => Task.FromResult(7));
        watch.Stop();
        Assert.Equal(7, result);
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromMilliseconds(1500));
        listener.Stop();
        foreach (var socket in accepted)
        {
            socket.Dispose();
        }
    }

    // The flush is cancelled 10 ms before the deadline; timers and continuations run late on a loaded 2-core CI machine
    // (seen: 440 ms). A wrapper that waited for the exporter's own 10 s timeout would still fail by seconds.
    private static readonly TimeSpan SchedulingSlack = TimeSpan.FromMilliseconds(750);

    [Trait("Category", "Slow")]
    [Theory]
    [InlineData(Fault.Closed)]
    [InlineData(Fault.Status500)]
    [InlineData(Fault.Status503)]
    [InlineData(Fault.Slow)]
    [InlineData(Fault.Hanging)]
    [InlineData(Fault.Reset)]
    [InlineData(Fault.Garbage)]
    public async Task EveryFaultOfTheEndpointLeavesTheFunctionOnTimeAndTheNextInvocationsRecover(Fault kind)
    {
        using var recorder = new DiagnosticsRecorder();
        FaultServer? server = null;
        await using var harness = await EmulatorHarness.StartAsync(route: upstream => (server = new FaultServer(upstream)).TracesEndpoint);
        await using var faults = server!;

        // Healthy first, so the faults hit a warm exporter with a pooled connection, as in a warm sandbox.
        await DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("before"), (_, _) => Task.FromResult(0));
        await harness.TraceOf("before");

        faults.Set(kind);
        var budget = TimeSpan.FromMilliseconds(1500);
        for (var i = 0; i < ReliabilityFigures.InvocationsPerFault; i++)
        {
            var watch = Stopwatch.StartNew();
            var result = await DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context($"{kind}-{i}", budget), (_, _) => Task.FromResult(i * 10));
            watch.Stop();
            Assert.Equal(i * 10, result);
            Assert.InRange(watch.Elapsed, TimeSpan.Zero, budget + SchedulingSlack);
        }

        Assert.Contains(recorder.Messages, m => m.Contains(faults.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

        faults.Set(Fault.Healthy);
        await DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("after-" + kind), (_, _) => Task.FromResult(0));
        var recovered = await harness.TraceOf("after-" + kind);
        Assert.Single(recovered.Spans, s => s.Name == "aws.lambda");
        ReliabilityFigures.Record("faults." + kind, ReliabilityFigures.InvocationsPerFault);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public async Task TenThousandInvocationsAgainstADeadEndpointGrowNeitherMemoryNorThreads()
    {
        using var provider = Sdk.CreateTracerProviderBuilder()
            .AddDatadogLambda(o =>
            {
                o.Environment = EnvironmentSource.FromDictionary(new Dictionary<string, string?> { ["AWS_LAMBDA_FUNCTION_NAME"] = "f", ["DD_LOG_LEVEL"] = "off" });
                o.Exporter = DatadogLambdaExporter.Extension;
                o.Endpoint = new Uri($"http://127.0.0.1:{FreePort()}/v1/traces");
            })
            .Build()!;

        async Task Run(int count, string prefix)
        {
            for (var i = 0; i < count; i++)
            {
                var result = await DatadogLambda.TraceAsync(provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context(prefix + i), (_, _) => Task.FromResult(i));
                Assert.Equal(i, result);
            }
        }

        // Warm up (JIT, connection pool, diagnostics, the thread pool's first growth), then measure the rest. The
        // thresholds leave room for the thread pool's own injection on a busy machine, and are far below what a leak of
        // one thread or a few hundred bytes per invocation would reach over 8,000 invocations.
        const int Warmup = 2_000;
        await Run(Warmup, "warm-");
        var (memoryBefore, threadsBefore, poolBefore) = Measure();
        await Run(ReliabilityFigures.DeadEndpointInvocations - Warmup, "dead-");
        var (memoryAfter, threadsAfter, poolAfter) = Measure();

        Assert.InRange(memoryAfter - memoryBefore, long.MinValue, 4 * 1024 * 1024);
        Assert.InRange(threadsAfter - threadsBefore, int.MinValue, 16);
        Assert.InRange(poolAfter - poolBefore, int.MinValue, 16);
        ReliabilityFigures.Record("faults.DeadEndpointInvocations", ReliabilityFigures.DeadEndpointInvocations);
        ReliabilityFigures.Record("faults.DeadEndpointMemoryGrowthBytes", Math.Max(0, memoryAfter - memoryBefore));
        ReliabilityFigures.Record("faults.DeadEndpointThreadGrowth", Math.Max(0, threadsAfter - threadsBefore));
    }

    private static (long Memory, int Threads, int Pool) Measure()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(forceFullCollection: true), process.Threads.Count, ThreadPool.ThreadCount);
    }
}
