// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Globalization;
using CoreSnapshotRestore = Amazon.Lambda.Core.SnapshotRestore;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Invocation;
using Datadog.Otel.Lambda.Planning;
using Datadog.Otel.Lambda.SnapStart;
using Datadog.Otel.Lambda.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry.Logs;

namespace Datadog.Otel.Lambda.Tests.SnapStart;

/// <summary>
/// SnapStart: sandboxes restored from one snapshot must never share span ids, and each reports its restore as its cold
/// start, whatever the function's warm-up (priming) did before the snapshot. The runtime's hook registry is played by
/// the stand-ins of Amazon.Lambda.Core and SnapshotRestore.Registry (RuntimeSnapshotHooks), with their real ordering rules.
/// </summary>
[Collection("Tracing")]
public sealed class SnapStartTests : IDisposable
{
    private static readonly Dictionary<string, string?> SnapStartEnvironment = new() { ["AWS_LAMBDA_INITIALIZATION_TYPE"] = "snap-start" };

    public SnapStartTests()
    {
        SnapStartState.Reset();
        RuntimeSnapshotHooks.Discard();
    }

    public void Dispose()
    {
        SnapStartState.Reset();
        RuntimeSnapshotHooks.Discard();
    }

    [Fact]
    public void TheShippedSourceFileRegistersTheHooksOnlyUnderSnapStart()
    {
        var previous = Environment.GetEnvironmentVariable("AWS_LAMBDA_INITIALIZATION_TYPE");
        try
        {
            Environment.SetEnvironmentVariable("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
            DatadogSnapStartHooks.Register();
            Assert.Equal(0, new RuntimeSnapshotHooks().Collect());
            Assert.False(SnapStartState.HooksRegistered);

            Environment.SetEnvironmentVariable("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
            DatadogSnapStartHooks.Register();
            Assert.Equal(2, new RuntimeSnapshotHooks().Collect());
            Assert.True(SnapStartState.HooksRegistered);
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_LAMBDA_INITIALIZATION_TYPE", previous);
        }
    }

    [Fact]
    public async Task PrimingDoesNotUseUpTheColdStartOfRestoredSandboxes()
    {
        using var tracing = new TestTracing(SnapStartEnvironment);
        DatadogSnapStart.RegisterHooks(CoreSnapshotRestore.RegisterBeforeSnapshot, CoreSnapshotRestore.RegisterAfterRestore, "snap-start");

        // Priming: the function's own before-snapshot hook invokes the handler (registered after ours, so it runs first).
        CoreSnapshotRestore.RegisterBeforeSnapshot(async () =>
            await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream("{}"), TestTracing.Context("priming"), (_, _) => Task.FromResult(0)));
        var runtime = new RuntimeSnapshotHooks();
        runtime.Collect();
        await runtime.BeforeSnapshotAsync();
        var beforeRestore = DateTimeOffset.UtcNow;
        await runtime.AfterRestoreAsync();

        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream("{}"), TestTracing.Context("first"), (_, _) => Task.FromResult(0));
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream("{}"), TestTracing.Context("second"), (_, _) => Task.FromResult(0));

        Assert.Equal("true", tracing.LambdaSpan("priming").GetTagItem("cold_start"));
        var first = tracing.LambdaSpan("first");
        Assert.Equal("true", first.GetTagItem("cold_start"));
        Assert.Equal(true, first.GetTagItem("faas.coldstart"));
        Assert.Equal("false", tracing.LambdaSpan("second").GetTagItem("cold_start"));

        var restore = Assert.Single(tracing.Exported, a => a.GetTagItem("operation.name") as string == "aws.lambda.snapstart_restore");
        Assert.Equal(first.TraceId, restore.TraceId);
        Assert.Equal(first.ParentSpanId, restore.ParentSpanId);
        Assert.InRange(restore.StartTimeUtc, beforeRestore.UtcDateTime, first.StartTimeUtc);
        Assert.Equal(first.StartTimeUtc, restore.StartTimeUtc + restore.Duration);

        // The one cold-start span is the priming invocation's, before the snapshot.
        var coldStart = Assert.Single(tracing.Exported, a => a.GetTagItem("operation.name") as string == "aws.lambda.cold_start");
        Assert.Equal(tracing.LambdaSpan("priming").TraceId, coldStart.TraceId);
    }

    [Theory]
    [InlineData(5_000, false)]
    [InlineData(10_000, false)]
    [InlineData(10_001, true)]
    [InlineData(30_000, true)]
    public void AFirstInvocationLongAfterTheRestoreIsAProactiveInitialization(int millisecondsSinceRestore, bool proactive)
    {
        // Datadog's extension: more than 10,000 ms from the restore to the first invocation is a proactive initialization
        // (cold_start false, no restore span), as a sandbox initialized ahead of traffic.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        SnapStartState.OnAfterRestore(clock.GetUtcNow() - TimeSpan.FromMilliseconds(millisecondsSinceRestore));
        var tracker = new ColdStartTracker(clock, () => clock.GetUtcNow() - TimeSpan.FromMinutes(5));
        Assert.Equal(proactive ? ColdStartState.ProactiveInitialization : ColdStartState.SnapStartRestore, tracker.Claim());
    }

    [Fact]
    public void RestoredSandboxesNeverShareSpanIds()
    {
        Sandbox? a = null;
        Sandbox? b = null;
        Exception? failure = null;

        // One thread plays the snapshot's thread: it created span ids before the snapshot (priming), so its id generator
        // is part of the snapshot, and every restored sandbox resumes it from the same state.
        var thread = new Thread(() =>
        {
            try
            {
                using (new ActivitySource("priming").StartActivity("warm-up"))
                {
                    _ = ActivitySpanId.CreateRandom();
                }

                var snapshot = ActivityIdGeneratorState.Capture();
                a = RunRestoredSandbox(snapshot);
                b = RunRestoredSandbox(snapshot);
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        thread.Start();
        thread.Join();
        Assert.Null(failure);

        // The simulation reproduces the problem: .NET hands both sandboxes the same span ids...
        Assert.Equal(a!.RawIds, b!.RawIds);

        // ...and what leaves the process differs.
        Assert.Empty(a.ExportedIds.Intersect(b.ExportedIds));
        Assert.NotEqual(a.RawIds[0], a.ExportedIds[0]);

        // Within a sandbox, the ids that leave agree with each other: the injected parent id is the exported child id.
        Assert.Equal(DatadogIds.ToDecimal(a.ExportedIds[1]), a.Headers["x-datadog-parent-id"]);
        Assert.Contains(a.ExportedIds[1].ToString("x16", CultureInfo.InvariantCulture), a.Headers["traceparent"], StringComparison.Ordinal);
    }

    [Fact]
    public void BeforeAnyRestoreIdsPassUnchangedAndRemoteIdsAreNeverRewritten()
    {
        var local = ActivitySpanId.CreateRandom();
        var remote = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
        Assert.Equal(local, RestoredSpanIds.Local(local));

        SnapStartState.OnAfterRestore(DateTimeOffset.UtcNow);

        Assert.True(RestoredSpanIds.IsActive);
        Assert.NotEqual(local, RestoredSpanIds.Local(local));
        Assert.Equal(default, RestoredSpanIds.Local(default));
        Assert.Equal(remote, RestoredSpanIds.Outgoing(remote));
        Assert.Equal(remote.SpanId, RestoredSpanIds.Linked(remote));
        using var tracing = new TestTracing();
        using var child = Datadog.Otel.Lambda.Invocation.LambdaActivitySource.Source.StartActivity("child", ActivityKind.Internal, remote)!;
        Assert.True(child.HasRemoteParent);
        Assert.Equal(remote.SpanId, RestoredSpanIds.Parent(child));
    }

    [Fact]
    public void AfterARestoreOpenTelemetryLogRecordsCarryTheExportedSpanIds()
    {
        // Datadog's OTLP log mapping writes the record's own span id as dd.span_id, over any attribute of that name.
        using var tracing = new TestTracing();
        var records = new List<LogRecord>();
        using var factory = LoggerFactory.Create(b => b.AddOpenTelemetry(o =>
        {
            o.AddDatadogLambdaCorrelation();
            o.AddInMemoryExporter(records);
        }));
        var logger = factory.CreateLogger("Orders");
        SnapStartState.OnAfterRestore(DateTimeOffset.UtcNow);

        DatadogLambda.Trace(tracing.Provider, EventSamples.Stream("{}"), TestTracing.Context("restored-log"), (_, _) => logger.LogInformation("inside"));

        var lambda = tracing.LambdaSpan("restored-log");
        var record = Assert.Single(records);
        Assert.NotEqual(lambda.SpanId, RestoredSpanIds.Local(lambda.SpanId));
        Assert.Equal(RestoredSpanIds.Local(lambda.SpanId), record.SpanId);
        Assert.Equal(lambda.TraceId, record.TraceId);
        Assert.Equal(DatadogIds.ToDecimal(DatadogIds.ToUInt64(record.SpanId)), record.Attributes!.Single(a => a.Key == "dd.span_id").Value);
    }

    [Fact]
    public void EachRestoreDrawsANewSalt()
    {
        var id = ActivitySpanId.CreateRandom();
        var seen = new HashSet<ActivitySpanId>();
        for (var i = 0; i < 100; i++)
        {
            SnapStartState.OnAfterRestore(DateTimeOffset.UtcNow);
            Assert.True(seen.Add(RestoredSpanIds.Local(id)));
        }

        Assert.Equal(100, SnapStartState.Generation);
    }

    [Fact]
    public async Task HttpClientsOwnTraceparentNamesTheSpanByItsRewrittenId()
    {
        // No HttpClient instrumentation: .NET's own propagation (the DistributedContextPropagator current when the
        // client's handler is made, after the hooks were registered) writes the traceparent of the request's activity
        // (System.Net.Http's own, listened to here so that its id is known), received by a loopback server.
        using var tracing = new TestTracing(SnapStartEnvironment);
        DatadogSnapStart.RegisterHooks(CoreSnapshotRestore.RegisterBeforeSnapshot, CoreSnapshotRestore.RegisterAfterRestore, "snap-start");
        using var server = new HeaderCaptureServer();
        using var http = new HttpClient();
        var requests = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = a => { lock (requests) { requests.Add(a); } },
        };
        ActivitySource.AddActivityListener(listener);

        var before = await server.TraceparentOfAsync(http);
        var beforeId = Assert.Single(requests).SpanId;
        var runtime = new RuntimeSnapshotHooks();
        runtime.Collect();
        await runtime.AfterRestoreAsync();
        var after = await server.TraceparentOfAsync(http);
        var afterId = requests[1].SpanId;

        Assert.Equal(beforeId.ToHexString(), before.Split('-')[2]);
        Assert.NotEqual(afterId.ToHexString(), after.Split('-')[2]);
        Assert.Equal(RestoredSpanIds.Local(afterId).ToHexString(), after.Split('-')[2]);

        // Registering twice (two assemblies with the source file) keeps one propagator in front.
        DatadogSnapStart.RegisterHooks(CoreSnapshotRestore.RegisterBeforeSnapshot, CoreSnapshotRestore.RegisterAfterRestore, "snap-start");
        Assert.IsType<RestoredIdsContextPropagator>(DistributedContextPropagator.Current);
        Assert.IsNotType<RestoredIdsContextPropagator>(((RestoredIdsContextPropagator)DistributedContextPropagator.Current).Inner);
    }

    /// <summary>One sandbox restored from the snapshot: the process state as it was, then the runtime's restore hooks.</summary>
    private static Sandbox RunRestoredSandbox(ulong[] snapshot)
    {
        SnapStartState.Reset();
        RuntimeSnapshotHooks.Discard();
        using var tracing = new TestTracing(SnapStartEnvironment);
        DatadogSnapStart.RegisterHooks(CoreSnapshotRestore.RegisterBeforeSnapshot, CoreSnapshotRestore.RegisterAfterRestore, "snap-start");
        ActivityIdGeneratorState.Restore(snapshot);
        var runtime = new RuntimeSnapshotHooks();
        runtime.Collect();
        runtime.AfterRestoreAsync().GetAwaiter().GetResult();

        IReadOnlyDictionary<string, string>? headers = null;
        ActivitySpanId child = default;
        DatadogLambda.Trace(tracing.Provider, EventSamples.Stream("{}"), TestTracing.Context("restored"), (_, _) =>
        {
            using var activity = new ActivitySource(Datadog.Otel.Lambda.Invocation.LambdaActivitySource.Name).StartActivity("work")!;
            child = activity.SpanId;
            headers = DatadogPropagation.GetTraceHeaders();
            return 0;
        });

        var lambda = tracing.LambdaSpan("restored").SpanId;
        return new Sandbox(
            [DatadogIds.ToUInt64(lambda), DatadogIds.ToUInt64(child)],
            [DatadogIds.ToUInt64(RestoredSpanIds.Local(lambda)), DatadogIds.ToUInt64(RestoredSpanIds.Local(child))],
            headers!);
    }

    private sealed record Sandbox(ulong[] RawIds, ulong[] ExportedIds, IReadOnlyDictionary<string, string> Headers);
}
