// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using Datadog.Otel.Lambda.Logging;
using Datadog.Otel.Lambda.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Datadog.Otel.Lambda.Tests.Logging;

[Collection("Tracing")]
public class LoggingBuilderCorrelationTests
{
    private static MemoryStream Event() => new(Encoding.UTF8.GetBytes("{}"));

    [Fact]
    public void EveryEntryInsideAnInvocationCarriesTheFieldsAsTheOutermostScope()
    {
        using var tracing = new TestTracing(new() { ["DD_ENV"] = "prod" });
        var recorder = new ScopeRecordingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(recorder).AddDatadogLambdaCorrelation());
        var logger = factory.CreateLogger("Orders");
        DatadogLogContext? expected = null;

        logger.LogInformation("before");
        DatadogLambda.Trace(tracing.Provider, Event(), TestTracing.Context("req-scope"), (_, _) =>
        {
            expected = DatadogLogCorrelation.Current;
            using (logger.BeginScope(new Dictionary<string, object?> { ["orderId"] = 42 }))
            {
                logger.LogInformation("inside");
            }
        });
        logger.LogInformation("after");

        var entries = recorder.Entries.ToArray();
        Assert.Equal(["before", "inside", "after"], entries.Select(e => e.Message));
        Assert.Empty(entries[0].Scopes);
        Assert.Empty(entries[2].Scopes);
        var inside = entries[1];
        Assert.Same(expected, inside.Scopes[0]);
        Assert.Equal(expected!.TraceId, inside.Field("dd.trace_id"));
        Assert.Equal(expected.SpanId, inside.Field("dd.span_id"));
        Assert.Equal("My-Function", inside.Field("dd.service"));
        Assert.Equal("prod", inside.Field("dd.env"));
        Assert.Equal("req-scope", inside.Field("lambda.request_id"));
        Assert.Equal("42", inside.Field("orderId"));
        Assert.Equal($"[dd.trace_id={expected.TraceId} dd.span_id={expected.SpanId}]", inside.Scopes[0]!.ToString());
    }

    [Fact]
    public void ActivityTrackingOptionsOfTheFactoryAreKept()
    {
        using var tracing = new TestTracing();
        var recorder = new ScopeRecordingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b
            .Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId)
            .AddProvider(recorder)
            .AddDatadogLambdaCorrelation());
        var logger = factory.CreateLogger("Orders");
        string? spanHex = null;
        DatadogLambda.Trace(tracing.Provider, Event(), TestTracing.Context("req-tracking"), (_, _) =>
        {
            spanHex = System.Diagnostics.Activity.Current!.SpanId.ToHexString();
            logger.LogInformation("inside");
        });

        var entry = Assert.Single(recorder.Entries);
        Assert.IsType<DatadogLogContext>(entry.Scopes[0]);
        Assert.Equal(spanHex, entry.Field("SpanId"));
    }

    [Fact]
    public void LogsInjectionFalseLeavesTheScopesAlone()
    {
        using var tracing = new TestTracing(new() { ["DD_LOGS_INJECTION"] = "false" });
        var recorder = new ScopeRecordingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(recorder).AddDatadogLambdaCorrelation());
        var logger = factory.CreateLogger("Orders");
        DatadogLambda.Trace(tracing.Provider, Event(), TestTracing.Context("req-off"), (_, _) => logger.LogInformation("inside"));
        Assert.Empty(Assert.Single(recorder.Entries).Scopes);
    }

    [Fact]
    public void CallingItTwiceRegistersOneScopeProvider()
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddDatadogLambdaCorrelation().AddDatadogLambdaCorrelation());
        Assert.Single(services, d => d.ServiceType == typeof(IExternalScopeProvider));
        using var provider = services.BuildServiceProvider();
        var scopes = Assert.IsType<DatadogLogScopeProvider>(provider.GetRequiredService<IExternalScopeProvider>());
        Assert.IsType<LoggerExternalScopeProvider>(scopes.Inner);
    }

    [Fact]
    public void AScopeProviderRegisteredBeforeIsDecoratedNotDropped()
    {
        var own = new LoggerExternalScopeProvider();
        var services = new ServiceCollection();
        services.AddSingleton<IExternalScopeProvider>(own);
        services.AddLogging(b => b.AddDatadogLambdaCorrelation());
        using var provider = services.BuildServiceProvider();
        var scopes = Assert.IsType<DatadogLogScopeProvider>(provider.GetRequiredService<IExternalScopeProvider>());
        Assert.Same(own, scopes.Inner);
    }
}
