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
