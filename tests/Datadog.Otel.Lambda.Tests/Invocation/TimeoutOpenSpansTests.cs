// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Datadog.Otel.Lambda.Invocation;
using Datadog.Otel.Lambda.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.Tests.Invocation;

/// <summary>
/// At an impending timeout the spans the handler still has open end and are exported with the invocation's (dd-trace-py's
/// crash flush finishes the active span and its ancestors; dd-trace-js finishes every unfinished span).
/// </summary>
[Collection("Tracing")]
public class TimeoutOpenSpansTests
{
    private const string HandlerSource = "Datadog.Otel.Lambda.Tests.Handler";

    private static MemoryStream Event() => new(Encoding.UTF8.GetBytes("{}"));

    private static DatadogLambdaContext Context(FakeTimeProvider clock, string requestId) => new()
    {
        AwsRequestId = requestId,
        FunctionName = "My-Function",
        InvokedFunctionArn = TestTracing.FunctionArn,
        Deadline = clock.GetUtcNow() + TimeSpan.FromSeconds(1),
    };

    [Fact]
    public async Task AnHttpCallHangingAtTheDeadlineIsEndedAndExportedBeforeTheInvocation()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);

        // HttpClient's own activity source: the span the runtime's HTTP handler starts and would end with the response.
        using var tracing = new TestTracing(configure: o => o.TimeProvider = clock, sources: ["System.Net.Http"]);
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var url = new Uri("http://127.0.0.1:" + ((IPEndPoint)server.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/slow");
        using var http = new HttpClient();
        using var abort = new CancellationTokenSource();
        var invocation = DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(EventSamples.Load("api-gateway-rest.json")), Context(clock, "hang"), async (_, _) =>
        {
            using var response = await http.GetAsync(url, abort.Token);
            return (int)response.StatusCode;
        });

        // The request reached the server, which never answers.
        using var accepted = await server.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(tracing.Exported, a => a.Kind == ActivityKind.Client);

        clock.Advance(TimeSpan.FromMilliseconds(901));

        var lambda = tracing.LambdaSpan("hang");
        var get = Assert.Single(tracing.Exported, a => a.Kind == ActivityKind.Client);
        Assert.Equal(lambda.TraceId, get.TraceId);
        Assert.Equal(lambda.SpanId, get.ParentSpanId);
        Assert.True(get.IsStopped);
        Assert.True(get.Duration > TimeSpan.Zero);
        Assert.True(tracing.Exported.IndexOf(get) < tracing.Exported.IndexOf(lambda), "the handler's span ends before aws.lambda");
        Assert.True(get.StartTimeUtc + get.Duration <= lambda.StartTimeUtc + lambda.Duration);

        // dd-trace-py marks the local root only (here the API Gateway span): nothing on the spans it finishes.
        Assert.Null(get.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Unset, get.Status);
        var inferred = Assert.Single(tracing.Exported, a => a.SpanId == lambda.ParentSpanId);
        Assert.Equal("Impending Timeout", inferred.GetTagItem("error.type"));

        // The handler's HTTP handler stops the span again when the call ends: a stopped activity ignores it.
        abort.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => invocation);
        Assert.Single(tracing.Exported, a => a.Kind == ActivityKind.Client);
    }

    [Fact]
    public async Task OpenSpansEndInnermostFirstAndEachIsExportedOnce()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var source = new ActivitySource(HandlerSource);
        using var tracing = new TestTracing(configure: o => o.TimeProvider = clock, sources: [HandlerSource]);
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var invocation = DatadogLambda.TraceAsync(tracing.Provider, Event(), Context(clock, "nested"), async (_, _) =>
        {
            using var outer = source.StartActivity("outer");
            using (source.StartActivity("done"))
            {
            }

            using var inner = source.StartActivity("inner");
            return await release.Task;
        });

        clock.Advance(TimeSpan.FromMilliseconds(901));
        var lambda = tracing.LambdaSpan("nested");
        var done = Assert.Single(tracing.Exported, a => a.DisplayName == "done");
        var inner = Assert.Single(tracing.Exported, a => a.DisplayName == "inner");
        var outer = Assert.Single(tracing.Exported, a => a.DisplayName == "outer");
        Assert.Equal(outer.SpanId, inner.ParentSpanId);
        Assert.Equal(lambda.SpanId, outer.ParentSpanId);
        Assert.True(tracing.Exported.IndexOf(done) < tracing.Exported.IndexOf(inner));
        Assert.True(tracing.Exported.IndexOf(inner) < tracing.Exported.IndexOf(outer));
        Assert.True(tracing.Exported.IndexOf(outer) < tracing.Exported.IndexOf(lambda));
        Assert.False(invocation.IsCompleted);

        // The handler ends its spans itself after all: no second export of either.
        release.SetResult(3);
        Assert.Equal(3, await invocation);
        Assert.Single(tracing.Exported, a => a.DisplayName == "inner");
        Assert.Single(tracing.Exported, a => a.DisplayName == "outer");
        Assert.Single(tracing.Exported, a => a.GetTagItem("request_id") as string == "nested");
    }

    [Fact]
    public async Task ConcurrentInvocationsTimingOutEachEndTheirOwnOpenSpans()
    {
        const int Count = 50;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var source = new ActivitySource(HandlerSource);
        using var tracing = new TestTracing(configure: o => o.TimeProvider = clock, sources: [HandlerSource]);
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var started = new CountdownEvent(Count);
        var invocations = Enumerable.Range(0, Count).Select(i => Task.Run(() =>
            DatadogLambda.TraceAsync(tracing.Provider, Event(), Context(clock, "c-" + i), async (_, _) =>
            {
                using var work = source.StartActivity("work-" + i);
                started.Signal();
                return await release.Task;
            }))).ToArray();
        Assert.True(started.Wait(TimeSpan.FromSeconds(30)));

        clock.Advance(TimeSpan.FromMilliseconds(901));
        for (var i = 0; i < Count; i++)
        {
            var lambda = tracing.LambdaSpan("c-" + i);
            var work = Assert.Single(tracing.Exported, a => a.DisplayName == "work-" + i);
            Assert.Equal(lambda.SpanId, work.ParentSpanId);
            Assert.Equal(lambda.TraceId, work.TraceId);
        }

        release.SetResult(1);
        await Task.WhenAll(invocations);
        Assert.Equal(Count, tracing.Exported.Count(a => a.DisplayName.StartsWith("work-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SpansStartedAfterTheTimeoutAreLeftToTheHandler()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var source = new ActivitySource(HandlerSource);
        using var tracing = new TestTracing(configure: o => o.TimeProvider = clock, sources: [HandlerSource]);
        var timedOut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var invocation = DatadogLambda.TraceAsync(tracing.Provider, Event(), Context(clock, "late"), async (_, _) =>
        {
            await timedOut.Task;
            using var late = source.StartActivity("late");
            Assert.NotNull(late);
            return 1;
        });

        clock.Advance(TimeSpan.FromMilliseconds(901));
        timedOut.SetResult();
        await invocation;
        Assert.Single(tracing.Exported, a => a.DisplayName == "late");
    }

    [Fact]
    public async Task AHandlerThatStartsNoSpanGetsNoTrackingAndEndedSpansLeaveIt()
    {
        using var source = new ActivitySource(HandlerSource);
        using var tracing = new TestTracing(sources: [HandlerSource]);
        OpenSpans? none = null;
        var noneRead = false;
        await DatadogLambda.TraceAsync(tracing.Provider, Event(), TestTracing.Context("none"), (_, _) =>
        {
            none = CurrentInvocation.Value!.OpenSpans;
            noneRead = true;
            return Task.FromResult(1);
        });
        Assert.True(noneRead);
        Assert.Null(none);

        var left = -1;
        await DatadogLambda.TraceAsync(tracing.Provider, Event(), TestTracing.Context("many"), (_, _) =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                using var parent = source.StartActivity("parent");
                using var child = source.StartActivity("child");
            }

            left = CurrentInvocation.Value!.OpenSpans!.Count;
            return Task.FromResult(1);
        });
        Assert.Equal(0, left);
    }

    [Fact]
    public void TrackingIsBounded()
    {
        var open = new OpenSpans();
        for (var i = 0; i < 100_000; i++)
        {
            open.Started(new Activity("never-ended"));
        }

        Assert.Equal(OpenSpans.Capacity, open.Count);
        Assert.Equal(OpenSpans.Capacity, open.Close().Length);
        Assert.Equal(0, open.Count);
        open.Started(new Activity("after-close"));
        Assert.Equal(0, open.Count);
    }

    [Fact]
    public void SpansEndedOffTheFlowAreDroppedToMakeRoom()
    {
        var open = new OpenSpans();
        var ended = new List<Activity>();
        for (var i = 0; i < OpenSpans.Capacity; i++)
        {
            // Ended without the tracking being told (another flow ended them).
            var span = new Activity("elsewhere").Start();
            open.Started(span);
            ended.Add(span);
        }

        foreach (var span in ended)
        {
            span.Stop();
        }

        var still = new Activity("still-open");
        open.Started(still);
        Assert.Equal(1, open.Count);
        Assert.Equal([still], open.Close());
    }

    [Fact]
    public async Task AProcessorThrowingOnTheInvocationSpanAtTheTimeoutLeavesNoOtherSpanOpen()
    {
        // OpenTelemetry does not catch a processor's exception: aws.lambda's Stop threw and the SQS span was never ended.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var exported = new List<Activity>();
        using var provider = Sdk.CreateTracerProviderBuilder()
            .AddDatadogLambda(o =>
            {
                o.Environment = EnvironmentSource.FromDictionary(new Dictionary<string, string?> { ["AWS_LAMBDA_FUNCTION_NAME"] = "My-Function" });
                o.Exporter = DatadogLambdaExporter.None;
                o.FlushTracerProvider = false;
                o.InitTime = static () => DateTimeOffset.UtcNow;
                o.TimeProvider = clock;
            })
            .AddProcessor(new ThrowOnInvocationSpan())
            .AddInMemoryExporter(exported)
            .Build()!;
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var invocation = DatadogLambda.TraceAsync(provider, EventSamples.Stream(EventSamples.LoadShifted("sqs.json", clock.GetUtcNow())), Context(clock, "throwing-processor"), (_, _) => release.Task);

        clock.Advance(TimeSpan.FromMilliseconds(901));

        var sqs = Assert.Single(exported, a => a.DisplayName == "aws.sqs");
        Assert.True(sqs.IsStopped);
        release.SetResult(1);
        Assert.Equal(1, await invocation);
    }

    private sealed class ThrowOnInvocationSpan : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            if (data.GetTagItem("operation.name") as string == "aws.lambda")
            {
                throw new InvalidOperationException("a user's processor failing");
            }
        }
    }
}
