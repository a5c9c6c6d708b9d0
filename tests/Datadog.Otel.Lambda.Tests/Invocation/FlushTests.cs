// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text;
using Datadog.Otel.Lambda.Tests.TestSupport;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.Tests.Invocation;

/// <summary>
/// The flush path for exporters the user adds. These use in-process exporters on purpose: the point is an exporter
/// that blocks forever or throws, which no real endpoint is needed for (the OTLP path is tested over loopback in the
/// integration tests).
/// </summary>
[Collection("Tracing")]
public class FlushTests
{
    private static MemoryStream Event() => new(Encoding.UTF8.GetBytes("{}"));

    [Fact]
    public async Task UserBatchExporterIsFlushedBeforeTheWrapperReturns()
    {
        var exported = new List<Activity>();
        using var provider = Sdk.CreateTracerProviderBuilder()
            .AddDatadogLambda(o => o.Exporter = DatadogLambdaExporter.None)
            .AddProcessor(new BatchActivityExportProcessor(new ListExporter(exported), scheduledDelayMilliseconds: 600_000))
            .Build()!;

        await DatadogLambda.TraceAsync(provider, Event(), TestTracing.Context("batched"), (_, _) => Task.FromResult(1));
        lock (exported)
        {
            Assert.Contains(exported, a => a.GetTagItem("request_id") as string == "batched");
        }
    }

    [Fact]
    public async Task NeverCompletingExporterIsBoundedByTheFlushTime()
    {
        using var blocker = new ManualResetEventSlim(false);
        using var provider = Sdk.CreateTracerProviderBuilder()
            .AddDatadogLambda(o =>
            {
                o.Exporter = DatadogLambdaExporter.None;
                o.MaxFlushTime = TimeSpan.FromMilliseconds(200);
            })
            .AddProcessor(new BatchActivityExportProcessor(new BlockingExporter(blocker), scheduledDelayMilliseconds: 600_000))
            .Build()!;

        var watch = Stopwatch.StartNew();
        var result = await DatadogLambda.TraceAsync(provider, Event(), TestTracing.Context("stuck"), (_, _) => Task.FromResult(9));
        watch.Stop();
        Assert.Equal(9, result);
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));

        // The next invocation is bounded too, although the flush thread is still stuck in the exporter.
        Assert.Equal(10, await DatadogLambda.TraceAsync(provider, Event(), TestTracing.Context("stuck2"), (_, _) => Task.FromResult(10)));
        blocker.Set();
    }

    [Fact]
    public async Task ThrowingExporterDoesNotReachTheHandlersCaller()
    {
        using var provider = Sdk.CreateTracerProviderBuilder()
            .AddDatadogLambda(o => o.Exporter = DatadogLambdaExporter.None)
            .AddProcessor(new SimpleActivityExportProcessor(new ThrowingExporter()))
            .Build()!;

        Assert.Equal(4, await DatadogLambda.TraceAsync(provider, Event(), TestTracing.Context("throws"), (_, _) => Task.FromResult(4)));
        Assert.Equal(5, DatadogLambda.Trace(provider, Event(), TestTracing.Context("throws-sync"), (_, _) => 5));
    }

    private sealed class BlockingExporter(ManualResetEventSlim gate) : BaseExporter<Activity>
    {
        public override ExportResult Export(in Batch<Activity> batch)
        {
            gate.Wait();
            return ExportResult.Success;
        }
    }

    private sealed class ThrowingExporter : BaseExporter<Activity>
    {
        public override ExportResult Export(in Batch<Activity> batch) => throw new InvalidOperationException("exporter failure");
    }
}
