// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using System.Text.Json;
using Datadog.Otel.Lambda.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Datadog.Otel.Lambda.Logging.Tests;

[Collection("Tracing")]
public class AddDatadogLambdaConsoleTests
{
    [Fact]
    public void RegistersTheFormatterTheOptionsAndTheCorrelationScope()
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddDatadogLambdaConsole(o => o.LogFormat = DatadogLambdaLogFormat.Json));
        using var provider = services.BuildServiceProvider();

        Assert.Equal("datadog-lambda", provider.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
        Assert.Single(provider.GetServices<ConsoleFormatter>(), f => f is DatadogLambdaConsoleFormatter);
        Assert.Equal(DatadogLambdaLogFormat.Json, provider.GetRequiredService<IOptionsMonitor<DatadogLambdaConsoleFormatterOptions>>().CurrentValue.LogFormat);
        Assert.IsType<DatadogLogScopeProvider>(provider.GetRequiredService<IExternalScopeProvider>());
    }

    [Fact]
    public async Task TheConsoleLoggerWritesOneJsonRecordPerEntryThroughConsoleWrite()
    {
        using var tracing = new TestTracing();
        var original = Console.Out;
        var console = new StringWriter();
        string? spanId = null;
        try
        {
            Console.SetOut(console);
            using (var factory = LoggerFactory.Create(b => b.AddDatadogLambdaConsole(o => o.LogFormat = DatadogLambdaLogFormat.Json)))
            {
                var logger = factory.CreateLogger("Checkout");
                await DatadogLambda.TraceAsync(tracing.Provider, new MemoryStream(Encoding.UTF8.GetBytes("{}")), TestTracing.Context("req-console"), (_, _) =>
                {
                    spanId = DatadogLogCorrelation.Current!.SpanId;
                    logger.LogInformation("Order {OrderId} shipped", 42);
                    return Task.CompletedTask;
                });
            }

            // Disposing the factory drained the console logger's queue.
        }
        finally
        {
            Console.SetOut(original);
        }

        var line = Assert.Single(console.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("req-console", StringComparison.Ordinal));
        using var document = JsonDocument.Parse(line);
        Assert.Equal(spanId, document.RootElement.GetProperty("dd").GetProperty("span_id").GetString());
        Assert.Equal(42, document.RootElement.GetProperty("OrderId").GetInt32());
    }
}
