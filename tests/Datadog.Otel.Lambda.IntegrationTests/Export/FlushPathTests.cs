// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Datadog.Otel.Lambda.Export;
using Datadog.Otel.Lambda.ExtensionEmulator.Otlp;
using Datadog.Otel.Lambda.IntegrationTests.TestSupport;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.IntegrationTests.Export;

/// <summary>The one flush path: our exporter's sends shared between invocations, and the user's exporters flushed beside it.</summary>
[Collection("Tracing")]
public class FlushPathTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task InvocationsFlushingDuringASendShareTheNextRequest()
    {
        await using var receiver = await OtlpCaptureServer.StartAsync();
        using var source = new ActivitySource($"flush.shared.{Guid.NewGuid():N}");
        using var processor = new ExtensionExportProcessor(new ExtensionExporter(new OtlpExporterSettings { Endpoint = receiver.TracesEndpoint }));
        using var provider = Sdk.CreateTracerProviderBuilder().AddSource(source.Name).AddProcessor(processor).Build()!;
        using var timeout = new CancellationTokenSource(Wait);

        // The first invocation's request is held by the receiver: its send is under way, on the first invocation's
        // own thread (the invocation that sends makes its request synchronously).
        var held = receiver.Hold();
        source.StartActivity("first")!.Stop();
        var first = Task.Run(() => processor.FlushAsync(timeout.Token));
        await receiver.HeldRequestArrived.WaitAsync(timeout.Token);

        // Three more invocations end their spans and flush while it is: they wait without a thread (their tasks come
        // back at once, incomplete), none sends on its own.
        var others = new List<Task<bool>>();
        foreach (var name in new[] { "second", "third", "fourth" })
        {
            source.StartActivity(name)!.Stop();
            others.Add(processor.FlushAsync(timeout.Token));
        }

        Assert.False(first.IsCompleted);
        Assert.All(others, t => Assert.False(t.IsCompleted));

        held.SetResult();
        Assert.True(await first);
        Assert.All(await Task.WhenAll(others), Assert.True);

        // Two requests: the first invocation's, then one for the three that waited.
        var requests = receiver.Requests.Select(r => OtlpProtobufDecoder.Decode(r.Body)).ToList();
        Assert.Equal(2, requests.Count);
        Assert.Equal(["first"], SpanNames(requests[0]));
        Assert.Equal(["fourth", "second", "third"], SpanNames(requests[1]).Order());
        Assert.Equal(0, processor.PendingCount);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ASendCutShortByOneInvocationsDeadlineIsMadeAgainByAnInvocationWithTimeLeft(bool secondEndsBeforeTheSend)
    {
        // Lambda Managed Instances: the first invocation's send carries what was queued (the second invocation's span
        // too when it ended first), with the first's deadline. That deadline comes while the extension has not answered;
        // the second invocation, waiting with time left, must send those spans itself rather than count them as sent.
        await using var receiver = await OtlpCaptureServer.StartAsync();
        using var source = new ActivitySource($"flush.cut.{Guid.NewGuid():N}");
        using var processor = new ExtensionExportProcessor(new ExtensionExporter(new OtlpExporterSettings { Endpoint = receiver.TracesEndpoint }));
        using var provider = Sdk.CreateTracerProviderBuilder().AddSource(source.Name).AddProcessor(processor).Build()!;
        using var timeout = new CancellationTokenSource(Wait);
        using var firstDeadline = new CancellationTokenSource();

        var held = receiver.Hold();
        source.StartActivity("first")!.Stop();
        if (secondEndsBeforeTheSend)
        {
            source.StartActivity("second")!.Stop();
        }

        var first = Task.Run(() => processor.FlushAsync(firstDeadline.Token));
        await receiver.HeldRequestArrived.WaitAsync(timeout.Token);
        if (!secondEndsBeforeTheSend)
        {
            source.StartActivity("second")!.Stop();
        }

        var second = processor.FlushAsync(timeout.Token);
        Assert.False(second.IsCompleted);

        // The first invocation's deadline, before the extension answers: its flush gives up, the second's waits on.
        await firstDeadline.CancelAsync();
        Assert.False(await first.WaitAsync(timeout.Token));
        Assert.False(second.IsCompleted);

        held.SetResult();
        Assert.True(await second.WaitAsync(timeout.Token));

        // The cut request, then the second invocation's with both invocations' spans (the first's twice: the extension
        // may have read a request whose answer nobody waited for).
        var requests = receiver.Requests.Select(r => SpanNames(OtlpProtobufDecoder.Decode(r.Body)).Order().ToList()).ToList();
        Assert.Equal(2, requests.Count);
        Assert.Equal(secondEndsBeforeTheSend ? ["first", "second"] : ["first"], requests[0]);
        Assert.Equal(["first", "second"], requests[1]);
        Assert.Equal(0, processor.PendingCount);
    }

    [Fact]
    public async Task ASendUnderWayWhenTheQueueIsDiscardedDropsItsSpansWhenCut()
    {
        // The SnapStart snapshot hook discards the queue after waiting its bound; a send another flow still has under
        // way (a priming invocation's, held by the extension) is cut later. Queued again, its spans would be in the
        // snapshot and every restored sandbox would send them.
        await using var receiver = await OtlpCaptureServer.StartAsync();
        using var source = new ActivitySource($"flush.discard.{Guid.NewGuid():N}");
        using var processor = new ExtensionExportProcessor(new ExtensionExporter(new OtlpExporterSettings { Endpoint = receiver.TracesEndpoint }));
        using var provider = Sdk.CreateTracerProviderBuilder().AddSource(source.Name).AddProcessor(processor).Build()!;
        using var timeout = new CancellationTokenSource(Wait);
        using var deadline = new CancellationTokenSource();

        var held = receiver.Hold();
        source.StartActivity("in-flight")!.Stop();
        var flush = Task.Run(() => processor.FlushAsync(deadline.Token));
        await receiver.HeldRequestArrived.WaitAsync(timeout.Token);
        source.StartActivity("queued")!.Stop();

        Assert.Equal(1, processor.DiscardQueued());
        await deadline.CancelAsync();
        Assert.False(await flush.WaitAsync(timeout.Token));
        held.SetResult();

        Assert.Equal(0, processor.PendingCount);
    }

    [Fact]
    public async Task SpansOfACutSendGoBackAtTheFrontOfTheQueueWithinItsBound()
    {
        // One invocation at a time: a send cut by the deadline leaves its spans for the next flush. The queue's bound
        // holds: the spans that do not fit are the newest, counted and reported like any span dropped for the queue.
        using var recorder = new DiagnosticsRecorder();
        await using var receiver = await OtlpCaptureServer.StartAsync();
        using var source = new ActivitySource($"flush.requeue.{Guid.NewGuid():N}");
        using var processor = new ExtensionExportProcessor(new ExtensionExporter(new OtlpExporterSettings { Endpoint = receiver.TracesEndpoint, MaxQueuedSpans = 4 }));
        using var provider = Sdk.CreateTracerProviderBuilder().AddSource(source.Name).AddProcessor(processor).Build()!;
        using var timeout = new CancellationTokenSource(Wait);
        using var deadline = new CancellationTokenSource();

        var held = receiver.Hold();
        foreach (var name in new[] { "a0", "a1", "a2" })
        {
            source.StartActivity(name)!.Stop();
        }

        var cut = Task.Run(() => processor.FlushAsync(deadline.Token));
        await receiver.HeldRequestArrived.WaitAsync(timeout.Token);

        // Spans ended during the send (a timer's work, or the next invocation's start) fit the queue on their own.
        foreach (var name in new[] { "b0", "b1", "b2" })
        {
            source.StartActivity(name)!.Stop();
        }

        Assert.Equal(3, processor.PendingCount);
        await deadline.CancelAsync();
        Assert.False(await cut.WaitAsync(timeout.Token));
        Assert.Equal(4, processor.PendingCount);
        Assert.Contains(recorder.Messages, m => m.Contains("3 spans not delivered before the invocation's deadline", StringComparison.Ordinal));

        held.SetResult();
        Assert.True(await processor.FlushAsync(timeout.Token));
        var requests = receiver.Requests.Select(r => SpanNames(OtlpProtobufDecoder.Decode(r.Body)).Order().ToList()).ToList();
        Assert.Equal(2, requests.Count);
        Assert.Equal(["a0", "a1", "a2", "b0"], requests[1]);
        Assert.Contains(recorder.Messages, m => m.Contains("2 spans were dropped because the queue was full", StringComparison.Ordinal));
        Assert.Equal(0, processor.PendingCount);
    }

    [Fact]
    public async Task ABatchPastTheRequestBudgetGoesInSeveralRequestsEachUnderIt()
    {
        // The usual flush fits one request and hands its buffer to the sender; this one does not, and takes the path
        // that sends its requests in turn from one buffer.
        const int Budget = 4 * 1024;
        await using var receiver = await OtlpCaptureServer.StartAsync();
        using var source = new ActivitySource($"flush.split.{Guid.NewGuid():N}");
        using var processor = new ExtensionExportProcessor(new ExtensionExporter(new OtlpExporterSettings { Endpoint = receiver.TracesEndpoint, MaxRequestBytes = Budget }));
        using var provider = Sdk.CreateTracerProviderBuilder().AddSource(source.Name).AddProcessor(processor).Build()!;
        var names = Enumerable.Range(0, 60).Select(i => $"span-{i:D2}").ToList();
        foreach (var name in names)
        {
            using var activity = source.StartActivity(name)!;
            activity.SetTag("padding", new string('x', 200));
        }

        Assert.True(await processor.FlushAsync(TimeSpan.FromSeconds(20)));

        var bodies = receiver.Requests.Select(r => r.Body).ToList();
        Assert.True(bodies.Count > 1, $"{bodies.Count} request(s)");

        // A request closes once it passes the budget: at most one span over it.
        Assert.All(bodies, body => Assert.InRange(body.Length, 1, Budget + 1024));
        var exported = bodies.SelectMany(body => SpanNames(OtlpProtobufDecoder.Decode(body))).Order().ToList();
        Assert.Equal(names, exported);
        Assert.Equal(0, processor.PendingCount);
    }

    [Fact]
    public async Task UserExportersAreFlushedWhileOurRequestHangs()
    {
        // Our endpoint accepts and never answers; the user's batch exporter (never exporting on its own timer here) must
        // still have the invocation's spans when the wrapper returns: both are flushed at once, not one after the other
        // (after ours gave up at the deadline, the provider's flush would have had no time left, and said so).
        using var recorder = new DiagnosticsRecorder();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = new List<Socket>();
        var accepting = Task.Run(async () =>
        {
            while (true)
            {
                accepted.Add(await listener.AcceptSocketAsync());
            }
        });
        var exported = new List<Activity>();
        using var provider = Sdk.CreateTracerProviderBuilder()
            .AddDatadogLambda(o =>
            {
                o.Environment = EnvironmentSource.FromDictionary(new Dictionary<string, string?> { ["AWS_LAMBDA_FUNCTION_NAME"] = "f" });
                o.Exporter = DatadogLambdaExporter.Extension;
                o.Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/v1/traces");
                o.FlushTracerProvider = true;
            })
            .AddProcessor(new BatchActivityExportProcessor(new ListExporter(exported), scheduledDelayMilliseconds: 600_000))
            .Build()!;

        var result = await DatadogLambda.TraceAsync(provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("hung", TimeSpan.FromMilliseconds(1500)), (_, _) => Task.FromResult(3));

        Assert.Equal(3, result);
        lock (exported)
        {
            Assert.Contains(exported, a => a.GetTagItem("request_id") as string == "hung");
        }

        Assert.Contains(recorder.Messages, m => m.Contains("before the invocation's deadline", StringComparison.Ordinal) && m.Contains("spans", StringComparison.Ordinal));
        Assert.DoesNotContain(recorder.Messages, m => m.Contains("TracerProvider.ForceFlush did not finish", StringComparison.Ordinal));

        listener.Stop();
        foreach (var socket in accepted)
        {
            socket.Dispose();
        }
    }

    [Fact]
    public async Task AUserProcessorThatFailsItsFlushAtOnceIsAskedOnce()
    {
        // The provider's flush goes in short steps to catch a batch processor's missed pulse; a processor that answers
        // false at once has answered, and asking it again would hold the invocation until the flush budget is spent.
        var failing = new FailingFlushProcessor();
        using var provider = Sdk.CreateTracerProviderBuilder()
            .AddDatadogLambda(o =>
            {
                o.Environment = EnvironmentSource.FromDictionary(new Dictionary<string, string?> { ["AWS_LAMBDA_FUNCTION_NAME"] = "f" });
                o.Exporter = DatadogLambdaExporter.None;
                o.FlushTracerProvider = true;
                o.MaxFlushTime = TimeSpan.FromSeconds(30);
            })
            .AddProcessor(failing)
            .Build()!;

        var result = await DatadogLambda.TraceAsync(provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("fails-flush", TimeSpan.FromSeconds(60)), (_, _) => Task.FromResult(5));

        Assert.Equal(5, result);
        Assert.Equal(1, Volatile.Read(ref failing.Flushes));
    }

    private static List<string> SpanNames(ExtensionEmulator.Otlp.Model.OtlpExportRequest request) =>
        request.ResourceSpans.SelectMany(r => r.ScopeSpans).SelectMany(s => s.Spans).Select(s => s.Name).ToList();

    private sealed class FailingFlushProcessor : BaseProcessor<Activity>
    {
        public int Flushes;

        protected override bool OnForceFlush(int timeoutMilliseconds)
        {
            Interlocked.Increment(ref this.Flushes);
            return false;
        }
    }

    private sealed class ListExporter(List<Activity> target) : BaseExporter<Activity>
    {
        public override ExportResult Export(in Batch<Activity> batch)
        {
            lock (target)
            {
                foreach (var activity in batch)
                {
                    target.Add(activity);
                }
            }

            return ExportResult.Success;
        }
    }
}
