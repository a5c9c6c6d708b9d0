// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text;
using Datadog.Otel.Lambda.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.Tests.Invocation;

/// <summary>
/// The impending-timeout watch runs outside every invocation's context. On the system time provider (a fake one runs its
/// timers on the thread that advances it, so it cannot show this): its timer is created during the first invocation.
/// </summary>
[Collection("Tracing")]
public class ImpendingTimeoutContextTests
{
    [Fact]
    public async Task ALaterInvocationsTimeoutDoesNotRunInTheFirstInvocationsContext()
    {
        var ending = new EndingRecorder("second");
        using var provider = Sdk.CreateTracerProviderBuilder()
            .AddDatadogLambda(o =>
            {
                o.Environment = EnvironmentSource.FromDictionary(new Dictionary<string, string?>
                {
                    ["AWS_LAMBDA_FUNCTION_NAME"] = "My-Function",

                    // The watch fires 500 ms after the second invocation starts: wide enough for a busy machine to
                    // start it first.
                    ["DD_APM_FLUSH_DEADLINE_MILLISECONDS"] = "1500",
                });
                o.Exporter = DatadogLambdaExporter.None;
                o.FlushTracerProvider = false;
                o.InitTime = static () => DateTimeOffset.UtcNow;
            })
            .AddProcessor(ending)
            .Build()!;

        // The first invocation ends in time; the watch's timer was created while its aws.lambda was the current span.
        Activity? first = null;
        await DatadogLambda.TraceAsync(provider, Event(), TestTracing.Context("first"), (_, _) =>
        {
            first = Activity.Current;
            return Task.FromResult(1);
        });
        Assert.NotNull(first);

        var invocation = DatadogLambda.TraceAsync(provider, Event(), TestTracing.Context("second", remaining: TimeSpan.FromMilliseconds(2000)), async (_, _) =>
        {
            await ending.Ended.Task;
            return 2;
        });
        var current = await ending.Ended.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, await invocation.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal("Impending Timeout", ending.Span!.GetTagItem("error.type"));
        Assert.NotSame(first, current);
        Assert.Null(current);
    }

    [Fact]
    public async Task AnInvocationStartedWithTheFlowSuppressedIsStillWatched()
    {
        // The watch suppresses the flow to create its timer; a caller that suppressed it already must not make that fail.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var tracing = new TestTracing(configure: o => o.TimeProvider = clock);
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var context = new DatadogLambdaContext { AwsRequestId = "suppressed", Deadline = clock.GetUtcNow() + TimeSpan.FromSeconds(1) };
        Task<int> invocation;
        using (ExecutionContext.SuppressFlow())
        {
            invocation = DatadogLambda.TraceAsync(tracing.Provider, Event(), context, (_, _) => release.Task);
        }

        clock.Advance(TimeSpan.FromMilliseconds(901));
        Assert.Equal("Impending Timeout", tracing.LambdaSpan("suppressed").GetTagItem("error.type"));
        release.SetResult(1);
        Assert.Equal(1, await invocation);
    }

    [Fact]
    public void ACallerThatSuppressedTheFlowFindsItStillSuppressed()
    {
        // The first invocation creates the watch's timer: the suppression the caller chose outlives it.
        using var tracing = new TestTracing();
        using (ExecutionContext.SuppressFlow())
        {
            Assert.Equal(1, DatadogLambda.Trace(tracing.Provider, Event(), TestTracing.Context("suppressed-sync"), (_, _) => 1));
            Assert.True(ExecutionContext.IsFlowSuppressed());
        }
    }

    private static MemoryStream Event() => new(Encoding.UTF8.GetBytes("{}"));

    /// <summary>Records the current activity where an invocation's aws.lambda span ends.</summary>
    private sealed class EndingRecorder(string requestId) : BaseProcessor<Activity>
    {
        public TaskCompletionSource<Activity?> Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Activity? Span { get; private set; }

        public override void OnEnd(Activity data)
        {
            if (data.GetTagItem("operation.name") as string == "aws.lambda" && data.GetTagItem("request_id") as string == requestId)
            {
                this.Span = data;
                this.Ended.TrySetResult(Activity.Current);
            }
        }
    }
}
