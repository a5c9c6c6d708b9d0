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
/// A handler that returns after the deadline watch fired, in the last <c>DD_APM_FLUSH_DEADLINE_MILLISECONDS</c> before
/// the deadline: the wrapper returns (and Lambda may freeze the sandbox) only once the watch's spans were sent.
/// </summary>
[Collection("Tracing")]
public class HandlerReturningAtTheTimeoutTests
{
    private const string HandlerSource = "Datadog.Otel.Lambda.Tests.Handler";

    [Fact]
    public async Task AHandlerReturningWhileTheWatchEndsTheSpansReturnsOnceTheyWereSent()
    {
        // The handler returns at the very moment the watch ends its open span: inline, in that span's OnEnd, while the
        // watch has aws.lambda still to end and nothing sent yet. Sent means here: exported by a batch exporter of the
        // user's, which only the invocation's flush makes export.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var sent = new List<Activity>();
        var release = new TaskCompletionSource<int>();
        using var source = new ActivitySource(HandlerSource);
        using var provider = Sdk.CreateTracerProviderBuilder()
            .AddDatadogLambda(o =>
            {
                o.Environment = EnvironmentSource.FromDictionary(new Dictionary<string, string?>
                {
                    ["AWS_LAMBDA_FUNCTION_NAME"] = "My-Function",

                    // A flush budget (in real time) wide enough for a busy machine.
                    ["DD_APM_FLUSH_DEADLINE_MILLISECONDS"] = "5000",
                });
                o.Exporter = DatadogLambdaExporter.None;
                o.FlushTracerProvider = true;
                o.InitTime = static () => DateTimeOffset.UtcNow;
                o.TimeProvider = clock;
            })
            .AddSource(HandlerSource)
            .AddProcessor(new ReleaseOnEnd("work", () => release.SetResult(7)))
            .AddProcessor(new BatchActivityExportProcessor(new ListExporter(sent), scheduledDelayMilliseconds: 600_000))
            .Build()!;
        var context = new DatadogLambdaContext { AwsRequestId = "at-deadline", Deadline = clock.GetUtcNow() + TimeSpan.FromSeconds(10) };

        var invocation = DatadogLambda.TraceAsync(provider, Event(), context, async (_, _) =>
        {
            using var work = source.StartActivity("work");
            return await release.Task.ConfigureAwait(false);
        });

        // What had been sent when the wrapper returned.
        var sentAtReturn = invocation.ContinueWith(_ => Snapshot(sent), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        // Off the test's synchronization context, as a timer's thread is: there the handler's continuation runs inline.
        await Task.Run(() => clock.Advance(TimeSpan.FromMilliseconds(5001)));

        Assert.Equal(7, await invocation.WaitAsync(TimeSpan.FromSeconds(30)));
        var atReturn = await sentAtReturn;
        var lambda = Assert.Single(atReturn, a => a.GetTagItem("operation.name") as string == "aws.lambda");
        Assert.Equal("Impending Timeout", lambda.GetTagItem("error.type"));
        Assert.Single(atReturn, a => a.DisplayName == "work");
    }

    private static MemoryStream Event() => new(Encoding.UTF8.GetBytes("{}"));

    private static Activity[] Snapshot(List<Activity> sent)
    {
        lock (sent)
        {
            return [.. sent];
        }
    }

    /// <summary>Runs <paramref name="release"/> where the span named <paramref name="name"/> ends.</summary>
    private sealed class ReleaseOnEnd(string name, Action release) : BaseProcessor<Activity>
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
