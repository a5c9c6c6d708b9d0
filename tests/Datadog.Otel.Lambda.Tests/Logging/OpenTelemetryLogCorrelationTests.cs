// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using Datadog.Otel.Lambda.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;

namespace Datadog.Otel.Lambda.Tests.Logging;

[Collection("Tracing")]
public class OpenTelemetryLogCorrelationTests
{
    private static MemoryStream Event() => new(Encoding.UTF8.GetBytes("{}"));

    private static Dictionary<string, object?> Attributes(LogRecord record) =>
        (record.Attributes ?? []).GroupBy(a => a.Key).ToDictionary(g => g.Key, g => g.Last().Value);

    [Fact]
    public void RecordsWrittenInsideAnInvocationGetTheFieldsAsAttributes()
    {
        using var tracing = new TestTracing(new() { ["DD_VERSION"] = "7" });
        var records = new List<LogRecord>();
        using var factory = LoggerFactory.Create(b => b.AddOpenTelemetry(o =>
        {
            o.AddDatadogLambdaCorrelation();
            o.AddInMemoryExporter(records);
        }));
        var logger = factory.CreateLogger("Orders");
        DatadogLogContext? expected = null;

        logger.LogInformation("before {Step}", 1);
        DatadogLambda.Trace(tracing.Provider, Event(), TestTracing.Context("req-otel"), (_, _) =>
        {
            expected = DatadogLogCorrelation.Current;
            logger.LogInformation("inside {Step}", 2);
        });

        Assert.Equal(2, records.Count);
        Assert.DoesNotContain(records[0].Attributes!, a => a.Key.StartsWith("dd.", StringComparison.Ordinal));
        var inside = Attributes(records[1]);
        Assert.Equal(2, inside["Step"]);
        Assert.Equal("inside {Step}", inside["{OriginalFormat}"]);
        Assert.Equal(expected!.TraceId, inside["dd.trace_id"]);
        Assert.Equal(expected.SpanId, inside["dd.span_id"]);
        Assert.Equal("My-Function", inside["dd.service"]);
        Assert.Equal("7", inside["dd.version"]);
        Assert.Equal("req-otel", inside["lambda.request_id"]);
    }

    [Fact]
    public void FieldsAlreadyCarriedAsAScopeAreNotAddedTwice()
    {
        using var tracing = new TestTracing();
        var records = new List<LogRecord>();
        using var factory = LoggerFactory.Create(b => b
            .AddDatadogLambdaCorrelation()
            .AddOpenTelemetry(o =>
            {
                o.IncludeScopes = true;
                o.AddDatadogLambdaCorrelation();
                o.AddInMemoryExporter(records);
            }));
        var logger = factory.CreateLogger("Orders");
        var scopes = new List<object?>();
        DatadogLambda.Trace(tracing.Provider, Event(), TestTracing.Context("req-scoped"), (_, _) => logger.LogInformation("inside"));

        var record = Assert.Single(records);
        Assert.DoesNotContain(record.Attributes!, a => a.Key == "dd.trace_id");
        record.ForEachScope(static (scope, list) => list.Add(scope.Scope), scopes);
        Assert.IsType<DatadogLogContext>(Assert.Single(scopes));
    }

    [Fact]
    public void LoggerProviderBuilderOverloadAddsTheSameProcessor()
    {
        using var tracing = new TestTracing();
        var records = new List<LogRecord>();
        using var factory = LoggerFactory.Create(b =>
        {
            b.AddOpenTelemetry();
            b.Services.ConfigureOpenTelemetryLoggerProvider(logging => logging.AddDatadogLambdaCorrelation().AddInMemoryExporter(records));
        });
        var logger = factory.CreateLogger("Orders");
        DatadogLambda.Trace(tracing.Provider, Event(), TestTracing.Context("req-builder"), (_, _) => logger.LogWarning("inside"));
        Assert.Equal("req-builder", Attributes(Assert.Single(records))["lambda.request_id"]);
    }
}
