// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda.ExtensionEmulator;
using Datadog.Otel.Lambda.IntegrationTests.TestSupport;
using ExistingOtelSetup;
using ManualPropagation;

namespace Datadog.Otel.Lambda.IntegrationTests.Examples;

/// <summary>examples/ExistingOtelSetup and examples/ManualPropagation, against the extension emulator.</summary>
[Collection("Tracing")]
public sealed class SetupExampleTests : IAsyncLifetime
{
    private ExtensionEmulator.ExtensionEmulator extension = null!;

    public async Task InitializeAsync() => this.extension = await ExtensionEmulator.ExtensionEmulator.StartAsync(new ExtensionEmulatorOptions { Port = 0 });

    public async Task DisposeAsync() => await this.extension.DisposeAsync();

    [Fact]
    public async Task ExistingSetupKeepsItsExporterAndGainsTheDatadogSpans()
    {
        // The user's own OTLP exporter points at the emulator; AddDatadogLambda must not add a second export path.
        using var function = new ReportFunction(this.extension.TracesEndpoint);
        var rows = await function.Handle(EmulatorHarness.Event("""{"rows":12}"""), EmulatorHarness.Context("report-1"));

        Assert.Equal(12, rows);
        var trace = await this.extension.WaitForTraceAsync(t => t.Spans.Any(s => s.GetMeta("request_id") == "report-1") && t.Spans.Any(s => s.Resource == "build report"), EmulatorHarness.Wait);
        var lambda = trace.Spans.Single(s => s.Name == "aws.lambda");
        var report = trace.Spans.Single(s => s.Resource == "build report");
        Assert.Equal(lambda.SpanId, report.ParentId);
        Assert.Equal("reports", report.Service);
        Assert.Equal(trace.Spans.Count, trace.Spans.Select(s => s.SpanId).Distinct().Count());
        Assert.Equal(trace.Spans.Count, this.extension.Spans.Count(s => s.TraceId == lambda.TraceId));
    }

    [Fact]
    public async Task JobRunsInTheSubmittersTrace()
    {
        var store = new InMemoryJobStore();
        using var functions = new JobFunctions(store, o =>
        {
            o.Exporter = DatadogLambdaExporter.Extension;
            o.Endpoint = this.extension.TracesEndpoint;
            o.InitTime = static () => DateTimeOffset.UtcNow;
        });
        var id = await functions.Submit(EmulatorHarness.Event("""{"report":"monthly"}"""), EmulatorHarness.Context("submit"));
        var ran = await functions.RunNext(EmulatorHarness.Event("""{"source":"aws.events","detail-type":"Scheduled Event","detail":{}}"""), EmulatorHarness.Context("worker"));

        Assert.Equal(id, ran);
        var submit = (await this.extension.WaitForTraceAsync(t => t.Spans.Any(s => s.GetMeta("request_id") == "submit"), EmulatorHarness.Wait)).Spans.Single(s => s.Name == "aws.lambda");
        var job = await this.extension.WaitForSpansAsync(s => s.Resource == "run job", 1, EmulatorHarness.Wait);
        Assert.Equal(submit.TraceId, job[0].TraceId);
        Assert.Equal(submit.SpanId, job[0].ParentId);
    }
}
