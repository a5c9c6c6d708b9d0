// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Amazon.Lambda.Core;
using Datadog.Otel.Lambda.ExtensionEmulator;
using Datadog.Otel.Lambda.IntegrationTests.TestSupport;
using Datadog.Otel.Lambda.Logging;
using Datadog.Otel.Lambda.Logging.Tests.TestSupport;
using Datadog.Otel.Lambda.Tests.Snippet;
using Datadog.Otel.Lambda.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Logs;

namespace Datadog.Otel.Lambda.IntegrationTests.Logging;

/// <summary>
/// Logs written inside wrapped handlers, through every correlation path, carry exactly the ids of the spans the
/// extension emulator received: Microsoft.Extensions.Logging scopes, OpenTelemetry log records, the console formatter,
/// ILambdaLogger (the content file, against a stand-in for the runtime's logger: Amazon.Lambda.RuntimeSupport is not in
/// the package registry here) and Console.
/// </summary>
[Collection("Tracing")]
public class LogTraceCorrelationTests
{
    private const string SourceName = "LogCorrelationTests";
    private static readonly ActivitySource Source = new(SourceName);

    private static readonly Dictionary<string, string?> Environment = new()
    {
        ["DD_SERVICE"] = "checkout",
        ["DD_ENV"] = "prod",
        ["DD_VERSION"] = "3.1",
    };

    private static string Decimal(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    private static DatadogLambdaConsoleFormatter Formatter(DatadogLambdaLogFormat format) =>
        new(new OptionsMonitor(new DatadogLambdaConsoleFormatterOptions { LogFormat = format }));

    [Fact]
    public async Task ScopeFieldsMatchTheLambdaSpanAndAChildSpan()
    {
        await using var harness = await EmulatorHarness.StartAsync(Environment, build: b => b.AddSource(SourceName));
        var recorder = new ScopeRecordingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(recorder).AddDatadogLambdaCorrelation());
        var logger = factory.CreateLogger("Checkout");

        await DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("mel-1"), async (_, _) =>
        {
            logger.LogInformation("in the invocation");
            using (Source.StartActivity("charge-card"))
            {
                await Task.Yield();
                logger.LogInformation("in the child span");
            }

            logger.LogInformation("back in the invocation");
        });

        var trace = await harness.TraceOf("mel-1");
        var lambda = trace.Spans.Single(s => s.Name == "aws.lambda");
        var child = trace.Spans.Single(s => s.OtelName == "charge-card");
        Assert.Equal(lambda.SpanId, child.ParentId);
        var entries = recorder.Entries.ToArray();
        Assert.Equal(3, entries.Length);
        Assert.All(entries, e =>
        {
            Assert.Equal(Decimal(trace.TraceId), e.Field("dd.trace_id"));
            Assert.Equal("checkout", e.Field("dd.service"));
            Assert.Equal("prod", e.Field("dd.env"));
            Assert.Equal("3.1", e.Field("dd.version"));
            Assert.Equal(lambda.GetMeta("request_id"), e.Field("lambda.request_id"));
        });
        Assert.Equal(Decimal(lambda.SpanId), entries[0].Field("dd.span_id"));
        Assert.Equal(Decimal(child.SpanId), entries[1].Field("dd.span_id"));
        Assert.Equal(Decimal(lambda.SpanId), entries[2].Field("dd.span_id"));
    }

    [Fact]
    public async Task FiftyConcurrentInvocationsEachLogTheirOwnIdsThroughEveryPath()
    {
        const int Count = 50;
        await using var harness = await EmulatorHarness.StartAsync(Environment, build: b => b.AddSource(SourceName));
        var recorder = new ScopeRecordingLoggerProvider();
        var formatted = new FormatterLoggerProvider(Formatter(DatadogLambdaLogFormat.Json));
        var otelRecords = new List<LogRecord>();
        using var factory = LoggerFactory.Create(b => b
            .AddProvider(recorder)
            .AddProvider(formatted)
            .AddDatadogLambdaCorrelation()
            .AddOpenTelemetry(o =>
            {
                o.AddDatadogLambdaCorrelation();
                o.AddInMemoryExporter(otelRecords);
            }));
        var logger = factory.CreateLogger("Checkout");
        var requestId = new AsyncLocal<string?>();
        var runtimeLogger = new LambdaRuntimeLoggerDouble(json: true, () => requestId.Value);
        var consoleLines = new ConcurrentQueue<string>();
        var console = new CorrelatingConsoleWriter(new LineCollector(consoleLines), isError: false, json: true);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var invocations = Enumerable.Range(0, Count).Select(i => Task.Run(() =>
            DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context($"par-{i}"), async (_, context) =>
            {
                requestId.Value = context.AwsRequestId;
                var lambdaLog = runtimeLogger.WithDatadog();
                await gate.Task;
                logger.LogInformation("handling {Request}", context.AwsRequestId);
                lambdaLog.LogInformation("handling {Request}", context.AwsRequestId!);
                console.WriteLine("handling " + context.AwsRequestId);
                await Task.Yield();
                using (Source.StartActivity("charge-card"))
                {
                    logger.LogInformation("charging {Request}", context.AwsRequestId);
                    lambdaLog.LogInformation("charging {Request}", context.AwsRequestId!);
                    console.WriteLine("charging " + context.AwsRequestId);
                }
            }))).ToArray();
        gate.SetResult();
        await Task.WhenAll(invocations);

        var scopeEntries = recorder.Entries.ToArray();
        var formatterLines = formatted.Output.Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        var runtimeLines = runtimeLogger.Lines.Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        var consoleJson = consoleLines.Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        var otel = otelRecords.Select(r => r.Attributes!.ToDictionary(a => a.Key, a => a.Value?.ToString())).ToArray();
        Assert.Equal(2 * Count, scopeEntries.Length);
        Assert.Equal(2 * Count, formatterLines.Length);
        Assert.Equal(2 * Count, runtimeLines.Length);
        Assert.Equal(2 * Count, consoleJson.Length);
        Assert.Equal(2 * Count, otel.Length);

        for (var i = 0; i < Count; i++)
        {
            var id = $"par-{i}";
            var trace = await harness.TraceOf(id);
            var traceId = Decimal(trace.TraceId);
            var lambdaSpan = Decimal(trace.Spans.Single(s => s.Name == "aws.lambda").SpanId);
            var childSpan = Decimal(trace.Spans.Single(s => s.OtelName == "charge-card").SpanId);

            // Each path: the line written in aws.lambda, then the one written in the child span.
            var scopes = scopeEntries.Where(e => e.Field("lambda.request_id") == id).ToArray();
            Assert.Equal([(traceId, lambdaSpan), (traceId, childSpan)], scopes.Select(e => (e.Field("dd.trace_id"), e.Field("dd.span_id"))));

            var json = formatterLines.Where(l => l.GetProperty("requestId").GetString() == id).ToArray();
            Assert.Equal([(traceId, lambdaSpan), (traceId, childSpan)], json.Select(DdIds));

            var runtime = runtimeLines.Where(l => l.GetProperty("requestId").GetString() == id).ToArray();
            Assert.Equal(
                [(traceId, lambdaSpan), (traceId, childSpan)],
                runtime.Select(l => (l.GetProperty("dd.trace_id").GetString(), l.GetProperty("dd.span_id").GetString())));
            Assert.All(runtime, l => Assert.Equal(id, l.GetProperty("Request").GetString()));

            var consoleForId = consoleJson.Where(l => l.GetProperty("requestId").GetString() == id).ToArray();
            Assert.Equal([(traceId, lambdaSpan), (traceId, childSpan)], consoleForId.Select(DdIds));

            var records = otel.Where(a => a.GetValueOrDefault("lambda.request_id") == id).ToArray();
            Assert.Equal([(traceId, lambdaSpan), (traceId, childSpan)], records.Select(a => (a["dd.trace_id"], a["dd.span_id"])));
        }
    }

    [Fact]
    public async Task TextLinesOfEveryPathCarryThePrefixOfTheLambdaSpan()
    {
        await using var harness = await EmulatorHarness.StartAsync(Environment);
        var formatted = new FormatterLoggerProvider(Formatter(DatadogLambdaLogFormat.Text));
        using var factory = LoggerFactory.Create(b => b.AddProvider(formatted));
        var logger = factory.CreateLogger("Checkout");
        var runtimeLogger = new LambdaRuntimeLoggerDouble(json: false, () => "text-1");
        var consoleText = new StringWriter { NewLine = "\n" };
        var console = new CorrelatingConsoleWriter(consoleText, isError: false, json: false);

        await DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("text-1"), (_, context) =>
        {
            logger.LogInformation("order {OrderId} placed", 42);
            runtimeLogger.WithDatadog().LogInformation("order {OrderId} placed", 42);
            console.WriteLine("order 42 placed");
            return Task.CompletedTask;
        });

        var trace = await harness.TraceOf("text-1");
        var expected = $"[dd.trace_id={trace.TraceId} dd.span_id={trace.Spans.Single(s => s.Name == "aws.lambda").SpanId}]";
        var lambdaLayout = new Regex(@"^(?<time>\S+Z)\t(?<request>[^\t]*)\t(?<level>\w+)\t(?<message>.*)$");
        foreach (var line in new[] { Assert.Single(formatted.Output).TrimEnd('\n'), Assert.Single(runtimeLogger.Lines) })
        {
            var match = lambdaLayout.Match(line);
            Assert.True(match.Success, line);
            Assert.True(DateTimeOffset.TryParse(match.Groups["time"].Value, CultureInfo.InvariantCulture, out _));
            Assert.Equal("text-1", match.Groups["request"].Value);
            Assert.Equal("info", match.Groups["level"].Value);
            Assert.StartsWith(expected + " ", match.Groups["message"].Value, StringComparison.Ordinal);
            Assert.EndsWith("order 42 placed", match.Groups["message"].Value, StringComparison.Ordinal);
        }

        Assert.Equal($"{expected} order 42 placed\n", consoleText.ToString());
    }

    [Fact]
    public async Task With128BitLoggingEveryPathWritesTheFullHexTraceId()
    {
        var environment = new Dictionary<string, string?>(Environment) { ["DD_TRACE_128_BIT_TRACEID_LOGGING_ENABLED"] = "true" };
        await using var harness = await EmulatorHarness.StartAsync(environment);
        var recorder = new ScopeRecordingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(recorder).AddDatadogLambdaCorrelation());
        var logger = factory.CreateLogger("Checkout");
        var runtimeLogger = new LambdaRuntimeLoggerDouble(json: true, () => "hex-1");
        await DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("hex-1"), (_, _) =>
        {
            logger.LogInformation("hello");
            runtimeLogger.WithDatadog().LogInformation("hello");
            return Task.CompletedTask;
        });

        var trace = await harness.TraceOf("hex-1");
        var lambda = trace.Spans.Single(s => s.Name == "aws.lambda");
        Assert.NotEqual(0UL, lambda.TraceIdHigh);
        Assert.Equal(lambda.TraceIdHex, Assert.Single(recorder.Entries).Field("dd.trace_id"));
        using var line = JsonDocument.Parse(Assert.Single(runtimeLogger.Lines));
        Assert.Equal(lambda.TraceIdHex, line.RootElement.GetProperty("dd.trace_id").GetString());
    }

    private static (string?, string?) DdIds(JsonElement line)
    {
        var dd = line.GetProperty("dd");
        return (dd.GetProperty("trace_id").GetString(), dd.GetProperty("span_id").GetString());
    }

    /// <summary>Keeps each Write call (one JSON record) as a line.</summary>
    private sealed class LineCollector(ConcurrentQueue<string> lines) : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char[] buffer, int index, int count) => lines.Enqueue(new string(buffer, index, count));

        public override void Write(char value) => lines.Enqueue(value.ToString());
    }

    private sealed class OptionsMonitor(DatadogLambdaConsoleFormatterOptions value) : IOptionsMonitor<DatadogLambdaConsoleFormatterOptions>
    {
        public DatadogLambdaConsoleFormatterOptions CurrentValue => value;

        public DatadogLambdaConsoleFormatterOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<DatadogLambdaConsoleFormatterOptions, string?> listener) => null;
    }
}
