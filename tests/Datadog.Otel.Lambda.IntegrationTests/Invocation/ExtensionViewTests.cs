// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.IntegrationTests.Reliability;
using Datadog.Otel.Lambda.IntegrationTests.TestSupport;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.IntegrationTests.Invocation;

/// <summary>What the Datadog extension sees of an invocation: spans exported over loopback and mapped by the emulator.</summary>
[Collection("Tracing")]
public class ExtensionViewTests
{
    [Fact]
    public async Task ColdAndWarmInvocationsAsDatadogSeesThem()
    {
        await using var harness = await EmulatorHarness.StartAsync(new() { ["DD_SERVICE"] = "checkout", ["DD_ENV"] = "prod", ["DD_VERSION"] = "7" });
        var arn = EmulatorHarness.FunctionArn + ":live";
        var first = await DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("cold", arn: arn), (_, _) => Task.FromResult("a"));
        var second = await DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("warm", arn: arn), (_, _) => Task.FromResult("b"));
        Assert.Equal(("a", "b"), (first, second));

        // Exported before the wrapper returned: no waiting needed beyond what already arrived.
        var cold = (await harness.TraceOf("cold")).Spans.Single(s => s.Name == "aws.lambda");
        Assert.Equal("checkout", cold.Service);
        Assert.Equal("Checkout-Fn", cold.Resource);
        Assert.Equal("serverless", cold.Type);
        Assert.Equal("true", cold.GetMeta("cold_start"));
        Assert.Equal("arn:aws:lambda:us-east-1:123456789012:function:checkout-fn", cold.GetMeta("function_arn"));
        Assert.Equal("live", cold.GetMeta("function_version"));
        Assert.Equal("checkout-fn", cold.GetMeta("functionname"));
        Assert.Equal("Checkout-Fn", cold.GetMeta("resource_names"));
        Assert.Equal("server", cold.GetMeta("span.kind"));
        Assert.NotNull(cold.GetMeta("datadog_lambda"));
        Assert.Equal("prod", cold.GetMeta("deployment.environment.name"));
        Assert.Equal("aws", cold.GetMeta("cloud.provider"));
        Assert.Equal("Checkout-Fn", cold.GetMeta("faas.name"));
        Assert.Equal(0, cold.Error);

        var warm = (await harness.TraceOf("warm")).Spans.Single(s => s.Name == "aws.lambda");
        Assert.Equal("false", warm.GetMeta("cold_start"));
        Assert.NotEqual(cold.TraceId, warm.TraceId);
        Assert.All(harness.Emulator.Requests, r => Assert.StartsWith("application/x-protobuf", r.ContentType));
        Assert.All(harness.Emulator.Requests, r => Assert.Null(r.ContentEncoding));
    }

    [Fact]
    public async Task TwoWrappedFunctionsInOneProcessEachExportOnlyTheirOwnInvocations()
    {
        // Every tracer provider sees every span of the process; each function's spans must still arrive once.
        await using var first = await EmulatorHarness.StartAsync(new() { ["DD_SERVICE"] = "first" });
        await using var second = await EmulatorHarness.StartAsync(new() { ["DD_SERVICE"] = "second" });
        await DatadogLambda.TraceAsync(first.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("one"), (_, _) => Task.FromResult(1));
        await DatadogLambda.TraceAsync(second.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("two"), (_, _) => Task.FromResult(2));

        var one = (await first.TraceOf("one")).Spans.Single(s => s.Name == "aws.lambda");
        var two = (await second.TraceOf("two")).Spans.Single(s => s.Name == "aws.lambda");
        Assert.Equal("first", one.Service);
        Assert.Equal("second", two.Service);
        Assert.DoesNotContain(first.Emulator.Spans, s => s.GetMeta("request_id") == "two");
        Assert.DoesNotContain(second.Emulator.Spans, s => s.GetMeta("request_id") == "one");
    }

    [Fact]
    public async Task ColdStartSpanIsASiblingOfTheInvocation()
    {
        await using var harness = await EmulatorHarness.StartAsync(configure: o => o.InitTime = () => DateTimeOffset.UtcNow - TimeSpan.FromMilliseconds(800));
        await DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("cs"), (_, _) => Task.FromResult(0));
        var trace = await harness.TraceOf("cs");
        var lambda = trace.Spans.Single(s => s.Name == "aws.lambda");
        var coldStart = trace.Spans.Single(s => s.Name == "aws.lambda.cold_start");
        Assert.Equal(lambda.ParentId, coldStart.ParentId);
        Assert.Equal("aws.lambda", coldStart.Service);
        Assert.Equal("Checkout-Fn", coldStart.Resource);
        Assert.InRange(coldStart.Duration, 700_000_000L, 5_000_000_000L);
        Assert.Equal(lambda.Start, coldStart.Start + coldStart.Duration);
    }

    [Fact]
    public async Task SqsInvocationIsConnectedThroughItsInferredSpan()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var sent = DateTimeOffset.UtcNow.AddMilliseconds(-250).ToUnixTimeMilliseconds();
        var json = $$"""{"Records":[{"messageId":"1","receiptHandle":"r","body":"hi","attributes":{"SentTimestamp":"{{sent}}","SenderId":"S"},"messageAttributes":{},"eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-1:123456789012:orders","awsRegion":"us-east-1"}]}""";
        await DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event(json), EmulatorHarness.Context("sqs"), (_, _) => Task.FromResult(0));

        var trace = await harness.TraceOf("sqs");
        var sqs = trace.Spans.Single(s => s.Name == "aws.sqs");
        var lambda = trace.Spans.Single(s => s.Name == "aws.lambda");
        Assert.Equal("orders", sqs.Service);
        Assert.Equal("orders", sqs.Resource);
        Assert.Equal("web", sqs.Type);
        Assert.Equal(sqs.SpanId, lambda.ParentId);
        Assert.Equal(sent * 1_000_000, sqs.Start);
        Assert.Equal(lambda.Start, sqs.Start + sqs.Duration);
        Assert.Equal("sqs", lambda.GetMeta("function_trigger.event_source"));
        Assert.Equal("checkout-fn", lambda.Service);
        Assert.Same(sqs, trace.Root);
    }

    [Fact]
    public async Task HandlerErrorIsAnErrorSpanWithDatadogErrorTags()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => DatadogLambda.TraceAsync<int>(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("err"), (_, _) => throw new InvalidOperationException("payment declined")));
        var lambda = (await harness.TraceOf("err")).Spans.Single(s => s.Name == "aws.lambda");
        Assert.Equal(1, lambda.Error);
        Assert.Equal("payment declined", lambda.GetMeta("error.msg"));
        Assert.Equal("System.InvalidOperationException", lambda.GetMeta("error.type"));
        Assert.Contains("payment declined", lambda.GetMeta("error.stack"));
    }

    [Fact]
    public async Task ImpendingTimeoutSpanReachesTheExtensionBeforeTheDeadline()
    {
        // A wide margin: the first export of a test process pays for JIT and a new connection, on a busy CI machine.
        await using var harness = await EmulatorHarness.StartAsync(new() { ["DD_APM_FLUSH_DEADLINE_MILLISECONDS"] = "3000" });
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var context = EmulatorHarness.Context("late", TimeSpan.FromMilliseconds(3500));
        var invocation = DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), context, (_, _) => release.Task);

        // The handler is still running when the span arrives.
        var lambda = (await harness.TraceOf("late")).Spans.Single(s => s.Name == "aws.lambda");
        Assert.False(invocation.IsCompleted);
        Assert.Equal(1, lambda.Error);
        Assert.Equal("Impending Timeout", lambda.GetMeta("error.type"));
        Assert.Equal("Datadog detected an Impending Timeout", lambda.GetMeta("error.msg"));

        // The handler outlives its deadline. Once it returns, the wrapper has nothing left to wait for (no flush budget,
        // the timer already fired): it returns the handler's result at once instead of keeping the process busy for
        // its 3 s flush limit, and the span is not sent twice.
        var pastDeadline = context.Deadline - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(50);
        if (pastDeadline > TimeSpan.Zero)
        {
            await Task.Delay(pastDeadline);
        }

        var requests = harness.Emulator.Requests.Count;
        var watch = Stopwatch.StartNew();
        release.SetResult(1);
        Assert.Equal(1, await invocation);
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Assert.Equal(requests, harness.Emulator.Requests.Count);
        Assert.Single(harness.Emulator.Spans, s => s.Name == "aws.lambda" && s.GetMeta("request_id") == "late");
        ReliabilityFigures.Record("timeouts.ImpendingTimeoutExported", 1);
    }

    [Fact]
    public async Task SpansEndedByAnImpendingTimeoutAreExportedByTheirOwnProviderOnly()
    {
        // Two AddDatadogLambda providers in one process both listen to the invocation's spans. The timeout ends them on
        // the timer's thread, outside any invocation: without saying whose they are, the other provider sent them too.
        // The watch fires 500 ms in, leaving the send its 3 s flush limit: the first export of a test process pays for JIT
        // and a new connection, and a cut send would leave the emulator nothing to wait for.
        await using var timingOut = await EmulatorHarness.StartAsync(new() { ["DD_APM_FLUSH_DEADLINE_MILLISECONDS"] = "5500" });
        await using var other = await EmulatorHarness.StartAsync();
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var invocation = DatadogLambda.TraceAsync(timingOut.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("owned-late", TimeSpan.FromMilliseconds(6000)), (_, _) => release.Task);
        await timingOut.TraceOf("owned-late");

        await DatadogLambda.TraceAsync(other.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("other-ok", TimeSpan.FromSeconds(30)), (_, _) => Task.FromResult(2));
        await other.TraceOf("other-ok");

        Assert.DoesNotContain(other.Emulator.Spans, s => s.GetMeta("request_id") == "owned-late");
        release.SetResult(1);
        Assert.Equal(1, await invocation);
    }

    [Fact]
    public async Task AChildSpanOpenAtTheImpendingTimeoutReachesTheExtensionInTheInvocationsTrace()
    {
        // The span that explains the timeout (an HTTP call that hangs) ends with the invocation's and is exported with it.
        // A send budget of the 3 s flush limit (the watch fires 500 ms in): this test flaked under a loaded CI run with 1.5 s.
        await using var harness = await EmulatorHarness.StartAsync(new() { ["DD_APM_FLUSH_DEADLINE_MILLISECONDS"] = "5500" }, build: b => b.AddSource("test.handler"));
        using var source = new ActivitySource("test.handler");
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var invocation = DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("hung", TimeSpan.FromMilliseconds(6000)), async (_, _) =>
        {
            using var call = source.StartActivity("GET slow-dependency", ActivityKind.Client);
            return await release.Task;
        });

        var trace = await harness.Emulator.WaitForTraceAsync(t => t.Spans.Any(s => s.GetMeta("request_id") == "hung") && t.Spans.Any(s => s.OtelName == "GET slow-dependency"), TimeSpan.FromSeconds(20));
        Assert.False(invocation.IsCompleted);
        var lambda = trace.Spans.Single(s => s.Name == "aws.lambda");
        var call = trace.Spans.Single(s => s.OtelName == "GET slow-dependency");
        Assert.Equal(lambda.SpanId, call.ParentId);
        Assert.Equal(0, call.Error);
        Assert.True(call.Start + call.Duration <= lambda.Start + lambda.Duration);

        // The handler's own end of the span, after the timeout, sends nothing more.
        release.SetResult(1);
        Assert.Equal(1, await invocation);
        Assert.Single(harness.Emulator.Spans, s => s.OtelName == "GET slow-dependency");
    }

    [Fact]
    public async Task AHandlerReturningWhileTheWatchEndsTheSpansReturnsOnlyOnceTheExtensionHasThem()
    {
        // The handler returns in the last moments before the deadline, after the watch fired: here at the very moment
        // the watch ends its open span (inline, on the timer's thread), with aws.lambda still to end and nothing sent.
        // Lambda may freeze the sandbox as soon as the wrapper returns: by then the extension must have the spans.
        var release = new TaskCompletionSource<int>();
        await using var harness = await EmulatorHarness.StartAsync(
            new() { ["DD_APM_FLUSH_DEADLINE_MILLISECONDS"] = "1500" },
            build: b => b.AddSource("test.handler").AddProcessor(new ReleaseOnEnd("GET slow-dependency", () => release.SetResult(4))));
        using var source = new ActivitySource("test.handler");
        var invocation = DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("returns-at-deadline", TimeSpan.FromMilliseconds(2000)), async (_, _) =>
        {
            using var call = source.StartActivity("GET slow-dependency", ActivityKind.Client);
            return await release.Task.ConfigureAwait(false);
        });

        // What the extension had when the wrapper returned.
        var atReturn = invocation.ContinueWith(_ => harness.Emulator.Spans.Where(s => s.GetMeta("request_id") == "returns-at-deadline").ToList(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        Assert.Equal(4, await invocation.WaitAsync(EmulatorHarness.Wait));

        var lambda = Assert.Single(await atReturn, s => s.Name == "aws.lambda");
        Assert.Equal("Impending Timeout", lambda.GetMeta("error.type"));
        Assert.Contains(harness.Emulator.Spans, s => s.OtelName == "GET slow-dependency" && s.ParentId == lambda.SpanId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("lambda-managed-instances")]
    public async Task ConcurrentInvocationsProduceDistinctCorrectTracesWithOneColdStart(string? initializationType)
    {
        // Lambda Managed Instances run many invocations at once in one process: 1,000 here, all in flight together.
        await using var harness = await EmulatorHarness.StartAsync(
            new() { ["AWS_LAMBDA_INITIALIZATION_TYPE"] = initializationType },
            configure: o => o.InitTime = () => DateTimeOffset.UtcNow - TimeSpan.FromSeconds(1),
            build: b => b.AddSource("test.handler"));
        var count = ReliabilityFigures.ConcurrentInvocations;
        var allStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = 0;
        var seen = new (ActivityTraceId TraceId, ActivitySpanId LambdaSpanId)[count];
        var results = await Task.WhenAll(Enumerable.Range(0, count).Select(i => Task.Run(() =>
            DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("c" + i), async (_, _) =>
            {
                // What log correlation reads: the current span of this invocation, before and after every other has started.
                var lambda = Activity.Current!;
                if (Interlocked.Increment(ref started) == count)
                {
                    allStarted.SetResult();
                }

                await allStarted.Task;
                Assert.Same(lambda, Activity.Current);
                seen[i] = (lambda.TraceId, lambda.SpanId);
                using var child = new ActivitySource("test.handler").StartActivity("work");
                child!.SetTag("invocation.index", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                return i;
            }))));
        Assert.Equal(Enumerable.Range(0, count), results);

        var lambdas = await harness.Emulator.WaitForSpansAsync(s => s.Name == "aws.lambda", count, EmulatorHarness.Wait);
        var works = await harness.Emulator.WaitForSpansAsync(s => s.OtelName == "work", count, EmulatorHarness.Wait);
        Assert.Equal(count, lambdas.Select(s => s.TraceId).Distinct().Count());
        Assert.Equal(count, lambdas.Select(s => s.GetMeta("request_id")).Distinct().Count());
        var byRequest = lambdas.ToDictionary(s => s.GetMeta("request_id")!);
        var workByIndex = works.ToDictionary(s => s.GetMeta("invocation.index")!);
        for (var i = 0; i < count; i++)
        {
            // Each invocation's own span, ids and child: no id, tag or context crossed to another invocation.
            var lambda = byRequest["c" + i];
            var work = workByIndex[i.ToString(System.Globalization.CultureInfo.InvariantCulture)];
            Assert.Equal(seen[i].TraceId.ToHexString(), lambda.TraceIdHex);
            Assert.Equal(seen[i].LambdaSpanId.ToHexString(), lambda.SpanId.ToString("x16", System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(lambda.TraceIdHex, work.TraceIdHex);
            Assert.Equal(lambda.SpanId, work.ParentId);
        }

        Assert.Single(lambdas, s => s.GetMeta("cold_start") == "true");
        Assert.InRange(harness.Emulator.Spans.Count(s => s.Name == "aws.lambda.cold_start"), 0, 1);
        ReliabilityFigures.Record("load.ConcurrentInvocations" + (initializationType is null ? string.Empty : ".ManagedInstances"), count);
    }

    [Fact]
    public async Task AttributeLimitIsRaisedSoA700TagPayloadArrivesWhole()
    {
        await using var harness = await EmulatorHarness.StartAsync(new() { ["DD_CAPTURE_LAMBDA_PAYLOAD"] = "true" });
        var fields = string.Join(',', Enumerable.Range(0, 700).Select(i => $"\"f{i}\":{i}"));
        await DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{" + fields + "}"), EmulatorHarness.Context("big"), (_, _) => Task.FromResult(0));
        var lambda = (await harness.TraceOf("big")).Spans.Single(s => s.Name == "aws.lambda");
        for (var i = 0; i < 700; i++)
        {
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), lambda.GetMeta("function.request.f" + i));
        }

        Assert.Equal("aws.lambda", lambda.Name);
        Assert.Equal("true", lambda.GetMeta("cold_start"));
    }

    /// <summary>Runs <paramref name="release"/> where the span named <paramref name="name"/> ends.</summary>
    private sealed class ReleaseOnEnd(string name, Action release) : OpenTelemetry.BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            if (data.DisplayName == name)
            {
                release();
            }
        }
    }
}
