// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Datadog.Otel.Lambda.Logging.Tests.TestSupport;
using Datadog.Otel.Lambda.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Datadog.Otel.Lambda.Logging.Tests;

[Collection("Tracing")]
public class DatadogLambdaConsoleFormatterTests
{
    private static MemoryStream Event() => new(Encoding.UTF8.GetBytes("{}"));

    private static (FormatterLoggerProvider Output, ILoggerFactory Factory) Create(DatadogLambdaLogFormat format, bool includeScopes = false)
    {
        var formatter = new DatadogLambdaConsoleFormatter(new StaticOptions(new DatadogLambdaConsoleFormatterOptions { LogFormat = format, IncludeScopes = includeScopes }));
        var output = new FormatterLoggerProvider(formatter);
        return (output, LoggerFactory.Create(b => b.AddProvider(output).AddDatadogLambdaCorrelation().SetMinimumLevel(LogLevel.Trace)));
    }

    private static DatadogLogContext LogInside(TestTracing tracing, string requestId, Action action)
    {
        DatadogLogContext? ids = null;
        DatadogLambda.Trace(tracing.Provider, Event(), TestTracing.Context(requestId), (_, _) =>
        {
            ids = DatadogLogCorrelation.Current;
            action();
        });
        return ids!;
    }

    [Fact]
    public void JsonEntriesAreOneLineInLambdasShapeWithTheIdsUnderDd()
    {
        using var tracing = new TestTracing(new() { ["DD_ENV"] = "prod", ["DD_VERSION"] = "2" });
        var (output, factory) = Create(DatadogLambdaLogFormat.Json);
        using var owned = factory;
        var logger = factory.CreateLogger("Checkout.Orders");
        var ids = LogInside(tracing, "req-json", () =>
        {
            logger.LogWarning(new EventId(7), "Order {OrderId} for {Amount} at {When} with {Items} (message={Message})", 42, 9.5m, new DateTime(2024, 5, 1, 0, 0, 0, DateTimeKind.Utc), new[] { "a", "b" }, "shadowed");
            logger.LogError(new InvalidOperationException("boom"), "Failed");
        });

        var lines = output.Output.ToArray();
        Assert.All(lines, l => Assert.Single(l.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        using var first = JsonDocument.Parse(lines[0]);
        var root = first.RootElement;
        Assert.Equal("WARN", root.GetProperty("level").GetString());
        Assert.Equal("req-json", root.GetProperty("requestId").GetString());
        Assert.Equal("Order 42 for 9.5 at 05/01/2024 00:00:00 with a, b (message=shadowed)", root.GetProperty("message").GetString());
        Assert.Equal("Checkout.Orders", root.GetProperty("logger").GetString());
        Assert.Equal(7, root.GetProperty("eventId").GetInt32());
        Assert.Equal(42, root.GetProperty("OrderId").GetInt32());
        Assert.Equal(9.5m, root.GetProperty("Amount").GetDecimal());
        Assert.Equal(new DateTime(2024, 5, 1, 0, 0, 0, DateTimeKind.Utc), root.GetProperty("When").GetDateTime());
        Assert.Equal(["a", "b"], root.GetProperty("Items").EnumerateArray().Select(e => e.GetString()));
        Assert.False(root.TryGetProperty("{OriginalFormat}", out _));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", root.GetProperty("timestamp").GetString()!);
        var dd = root.GetProperty("dd");
        Assert.Equal(ids.TraceId, dd.GetProperty("trace_id").GetString());
        Assert.Equal(ids.SpanId, dd.GetProperty("span_id").GetString());
        Assert.Equal("My-Function", dd.GetProperty("service").GetString());
        Assert.Equal("prod", dd.GetProperty("env").GetString());
        Assert.Equal("2", dd.GetProperty("version").GetString());

        using var second = JsonDocument.Parse(lines[1]);
        var error = second.RootElement;
        Assert.Equal("ERROR", error.GetProperty("level").GetString());
        Assert.Equal("System.InvalidOperationException", error.GetProperty("errorType").GetString());
        Assert.Equal("boom", error.GetProperty("errorMessage").GetString());
        Assert.StartsWith("System.InvalidOperationException: boom", error.GetProperty("stackTrace")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TextEntriesUseLambdasLayoutWithThePrefix()
    {
        using var tracing = new TestTracing();
        var (output, factory) = Create(DatadogLambdaLogFormat.Text);
        using var owned = factory;
        var logger = factory.CreateLogger("Checkout.Orders");
        var ids = LogInside(tracing, "req-text", () => logger.LogInformation("Order {OrderId} shipped", 42));
        logger.LogDebug("outside");

        var lines = output.Output.ToArray();
        Assert.Matches(
            new Regex($@"^\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{{3}}Z\treq-text\tinfo\t{Regex.Escape(ids.Prefix)} Checkout\.Orders: Order 42 shipped\n$"),
            lines[0]);
        Assert.Matches(new Regex(@"^\S+Z\t\tdbug\tCheckout\.Orders: outside\n$"), lines[1]);
    }

    [Fact]
    public void OutsideAnInvocationJsonHasNoRequestIdAndNoIds()
    {
        var (output, factory) = Create(DatadogLambdaLogFormat.Json);
        using var owned = factory;
        factory.CreateLogger("c").LogInformation("startup");
        using var document = JsonDocument.Parse(Assert.Single(output.Output));
        Assert.False(document.RootElement.TryGetProperty("requestId", out _));
        Assert.False(document.RootElement.TryGetProperty("dd", out _));
        Assert.Equal("INFO", document.RootElement.GetProperty("level").GetString());
    }

    [Fact]
    public void LogsInjectionFalseKeepsTheRequestIdButNotTheIds()
    {
        using var tracing = new TestTracing(new() { ["DD_LOGS_INJECTION"] = "false" });
        var (output, factory) = Create(DatadogLambdaLogFormat.Json);
        using var owned = factory;
        var logger = factory.CreateLogger("c");
        LogInside(tracing, "req-off", () => logger.LogInformation("inside"));
        using var document = JsonDocument.Parse(Assert.Single(output.Output));
        Assert.Equal("req-off", document.RootElement.GetProperty("requestId").GetString());
        Assert.False(document.RootElement.TryGetProperty("dd", out _));
    }

    [Fact]
    public void IncludeScopesWritesTheApplicationsScopesButNotTheIdsTwice()
    {
        using var tracing = new TestTracing();
        var (jsonOutput, jsonFactory) = Create(DatadogLambdaLogFormat.Json, includeScopes: true);
        var (textOutput, textFactory) = Create(DatadogLambdaLogFormat.Text, includeScopes: true);
        using (jsonFactory)
        using (textFactory)
        {
            var json = jsonFactory.CreateLogger("c");
            var text = textFactory.CreateLogger("c");
            LogInside(tracing, "req-scopes", () =>
            {
                using (json.BeginScope(new Dictionary<string, object?> { ["tenant"] = "acme" }))
                using (json.BeginScope("batch 3"))
                using (text.BeginScope("batch 3"))
                {
                    json.LogInformation("scoped");
                    text.LogInformation("scoped");
                }
            });
        }

        using var document = JsonDocument.Parse(Assert.Single(jsonOutput.Output));
        var scopes = document.RootElement.GetProperty("scopes");
        Assert.Equal(2, scopes.GetArrayLength());
        Assert.Equal("acme", scopes[0].GetProperty("tenant").GetString());
        Assert.Equal("batch 3", scopes[1].GetString());
        var line = Assert.Single(textOutput.Output);
        Assert.True(line.Contains("] c => batch 3: scoped\n", StringComparison.Ordinal), line);
        Assert.Single(Regex.Matches(line, "dd.trace_id"));
    }

    private sealed class StaticOptions(DatadogLambdaConsoleFormatterOptions value) : IOptionsMonitor<DatadogLambdaConsoleFormatterOptions>
    {
        public DatadogLambdaConsoleFormatterOptions CurrentValue => value;

        public DatadogLambdaConsoleFormatterOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<DatadogLambdaConsoleFormatterOptions, string?> listener) => null;
    }
}
