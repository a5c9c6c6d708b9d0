// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using System.Text.Json;
using Amazon.Lambda.Core;
using Datadog.Otel.Lambda.Tests.TestSupport;

namespace Datadog.Otel.Lambda.Tests.Snippet;

/// <summary>The ILambdaLogger wrapper (a content file) against a stand-in with the runtime's formatting rules.</summary>
[Collection("Tracing")]
public class LambdaLoggerCorrelationTests
{
    private static MemoryStream Event() => new(Encoding.UTF8.GetBytes("{}"));

    private static (LambdaRuntimeLoggerDouble Runtime, DatadogLogContext Ids) Run(bool json, Action<ILambdaLogger> log, Dictionary<string, string?>? environment = null)
    {
        using var tracing = new TestTracing(environment);
        var runtime = new LambdaRuntimeLoggerDouble(json, () => "req-logger");
        DatadogLogContext? ids = null;
        DatadogLambda.Trace(tracing.Provider, Event(), TestTracing.Context("req-logger"), (_, _) =>
        {
            ids = DatadogLogCorrelation.Current;
            log(runtime.WithDatadog());
        });
        return (runtime, ids!);
    }

    [Fact]
    public void TextLinesGetThePrefixBeforeTheFormattedMessage()
    {
        var (runtime, ids) = Run(json: false, log =>
        {
            log.LogInformation("Order {orderId} shipped to {city}", 42, "Paris");
            log.LogLine("plain {not a property} line");
            log.LogWarning("warned");
        });

        var lines = runtime.Lines.ToArray();
        Assert.EndsWith($"\treq-logger\tinfo\t{ids.Prefix} Order 42 shipped to Paris", lines[0], StringComparison.Ordinal);
        Assert.EndsWith($"\tinfo\t{ids.Prefix} plain {{not a property}} line", lines[1], StringComparison.Ordinal);
        Assert.EndsWith($"\twarn\t{ids.Prefix} warned", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void ANullMessageIsWrittenAsTheRuntimeWritesIt()
    {
        // The runtime writes a null message as an empty one; inside a traced invocation the wrapper threw
        // NullReferenceException into the handler (LogInformation(response.Body) with a null body).
        var (runtime, ids) = Run(json: false, log =>
        {
            log.LogLine(null!);
            log.LogInformation((string)null!);
            log.LogInformation(null!, 1);
            log.Log("Error", null!);
        });

        var lines = runtime.Lines.ToArray();
        Assert.Equal(4, lines.Length);
        Assert.All(lines, line => Assert.Contains(ids.Prefix, line, StringComparison.Ordinal));
    }

    [Fact]
    public void JsonLinesGetTheIdsAsFieldsOfTheRuntimesObject()
    {
        var (runtime, ids) = Run(json: true, log =>
        {
            log.LogInformation("Order {orderId} shipped", 42);
            log.LogError(new InvalidOperationException("boom"), "Failed {step}", "charge");
        });

        var lines = runtime.Lines.ToArray();
        using var first = JsonDocument.Parse(lines[0]);
        var root = first.RootElement;
        Assert.Equal("req-logger", root.GetProperty("requestId").GetString());
        Assert.Equal(ids.TraceId, root.GetProperty("dd.trace_id").GetString());
        Assert.Equal(ids.SpanId, root.GetProperty("dd.span_id").GetString());
        Assert.Equal(42, root.GetProperty("orderId").GetInt32());
        Assert.Equal($"{ids.Prefix} Order 42 shipped", root.GetProperty("message").GetString());
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal("charge", second.RootElement.GetProperty("step").GetString());
        Assert.Equal(ids.SpanId, second.RootElement.GetProperty("dd.span_id").GetString());
        Assert.Equal("System.InvalidOperationException", second.RootElement.GetProperty("errorType").GetString());
    }

    [Fact]
    public void PositionalTemplatesKeepTheirArgumentsInPlace()
    {
        var (text, ids) = Run(json: false, log =>
        {
            log.Log("Information", "{1} before {0}", "x", "y");
            log.LogWarning("{0} of {1}; retry {0}", "a", "b");
        });
        var lines = text.Lines.ToArray();
        Assert.EndsWith($"\tinfo\t{ids.Prefix} y before x", lines[0], StringComparison.Ordinal);
        Assert.EndsWith($"\twarn\t{ids.Prefix} a of b; retry a", lines[1], StringComparison.Ordinal);

        var (json, jsonIds) = Run(json: true, log => log.LogInformation("{1} before {0}", "x", "y"));
        using var line = JsonDocument.Parse(Assert.Single(json.Lines));
        Assert.Equal($"{jsonIds.Prefix} y before x", line.RootElement.GetProperty("message").GetString());
        Assert.Equal("x", line.RootElement.GetProperty("0").GetString());
        Assert.Equal("y", line.RootElement.GetProperty("1").GetString());
    }

    [Fact]
    public void LongLinesWithoutArgumentsAreNotMadeTemplatesTheRuntimeKeeps()
    {
        var payloads = Enumerable.Range(0, 3).Select(i => $"event {i}: " + new string('x', 2_000) + " {not a property}").ToArray();
        var (runtime, ids) = Run(json: false, log =>
        {
            log.LogLine(payloads[0]);
            log.LogInformation(payloads[1]);
            log.LogError(new InvalidOperationException("boom"), payloads[2]);
            log.LogLine("short {not a property} line");
        });

        // Only the short line became a template (with the ids as its properties), as before.
        Assert.Equal([DatadogCorrelatedLambdaLoggerTemplate + "short {not a property} line"], runtime.ParsedTemplates);
        var lines = runtime.Lines.ToArray();
        Assert.EndsWith($"\tinfo\t{ids.Prefix} {payloads[0]}", lines[0], StringComparison.Ordinal);
        Assert.EndsWith($"\tinfo\t{ids.Prefix} {payloads[1]}", lines[1], StringComparison.Ordinal);
        Assert.Contains($"\tfail\t{ids.Prefix} {payloads[2]}\n", lines[2], StringComparison.Ordinal);
        Assert.EndsWith($"\tinfo\t{ids.Prefix} short {{not a property}} line", lines[3], StringComparison.Ordinal);

        // In the JSON layout a long line carries the ids in its message; a short one also as fields.
        var (json, jsonIds) = Run(json: true, log =>
        {
            log.LogLine(payloads[0]);
            log.LogLine("short");
        });
        var jsonLines = json.Lines.ToArray();
        using var longLine = JsonDocument.Parse(jsonLines[0]);
        Assert.Equal($"{jsonIds.Prefix} {payloads[0]}", longLine.RootElement.GetProperty("message").GetString());
        Assert.False(longLine.RootElement.TryGetProperty("dd.trace_id", out _));
        using var shortLine = JsonDocument.Parse(jsonLines[1]);
        Assert.Equal(jsonIds.TraceId, shortLine.RootElement.GetProperty("dd.trace_id").GetString());
    }

    private const string DatadogCorrelatedLambdaLoggerTemplate = "[dd.trace_id={dd.trace_id} dd.span_id={dd.span_id}] ";

    [Fact]
    public void RawWritesAndLinesOutsideAnInvocationPassThroughUnchanged()
    {
        var runtime = new LambdaRuntimeLoggerDouble(json: false, () => null);
        var log = runtime.WithDatadog();
        log.LogInformation("Order {orderId}", 1);
        log.LogLine("line");
        Assert.Same(log, log.WithDatadog());

        var (inside, _) = Run(json: false, l => l.Log("raw, no line end"));
        Assert.Equal("raw, no line end", Assert.Single(inside.Lines));
        var lines = runtime.Lines.ToArray();
        Assert.EndsWith("\tinfo\tOrder 1", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("\tinfo\tline", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void LogsInjectionFalseLeavesLinesAlone()
    {
        var (runtime, _) = Run(json: true, log => log.LogInformation("Order {orderId}", 5), new() { ["DD_LOGS_INJECTION"] = "false" });
        using var document = JsonDocument.Parse(Assert.Single(runtime.Lines));
        Assert.False(document.RootElement.TryGetProperty("dd.trace_id", out _));
        Assert.Equal("Order 5", document.RootElement.GetProperty("message").GetString());
    }
}
