// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Collections;
using System.Diagnostics.Tracing;
using Datadog.Otel.Lambda.AwsSdk.Services;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.AwsSdk.Tests.Configuration;

/// <summary>
/// AddDatadogAwsSdkInstrumentation reads its settings from the provider's IConfiguration when the provider is built,
/// raises the span attribute limit there for payload tagging (never in the process environment), and reports through
/// an event source of its own, with the core package's public API only inside an invocation.
/// </summary>
[Collection(TestSupport.AwsSdkCollection.Name)]
public sealed class AwsSdkProviderConfigurationTests : IDisposable
{
    private readonly AwsSdkSettings previous = AwsSdkInstrumentation.Settings;

    public void Dispose() => AwsSdkInstrumentation.Register(this.previous);

    [Fact]
    public void SettingsComeFromTheProvidersConfigurationWhenItIsBuilt()
    {
        using var provider = Build(new()
        {
            ["DD_BOTOCORE_DISTRIBUTED_TRACING"] = "false",
            ["DD_SERVICE"] = "checkout",
            ["DD_SERVICE_MAPPING"] = "aws-sqs:queues",
        });

        var settings = AwsSdkInstrumentation.Settings;
        Assert.False(settings.InjectContext);
        Assert.Equal("checkout", settings.ServiceName);
        Assert.Equal("queues", ClientServiceName.Resolve(AwsServiceInfo.For("SQS"), settings));
    }

    [Fact]
    public void PayloadTaggingRaisesTheLimitInTheProvidersConfigurationOnly()
    {
        var before = Snapshot();
        using var provider = Build(new()
        {
            ["DD_TRACE_CLOUD_REQUEST_PAYLOAD_TAGGING"] = "all",
            ["DD_TRACE_CLOUD_PAYLOAD_TAGGING_MAX_TAGS"] = "3000",
        });

        Assert.Equal("3256", AwsSdkInstrumentation.Settings.SpanLimitDefaults["OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT"]);
        Assert.Equal(before, Snapshot());
        Assert.Null(Environment.GetEnvironmentVariable("OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT"));

        using var userLimit = Build(new()
        {
            ["DD_TRACE_CLOUD_REQUEST_PAYLOAD_TAGGING"] = "all",
            ["OTEL_ATTRIBUTE_COUNT_LIMIT"] = "500",
        });
        Assert.Empty(AwsSdkInstrumentation.Settings.SpanLimitDefaults);
    }

    [Fact]
    public void DiagnosticsGoToTheAwsSdkPackagesOwnEventSource()
    {
        using var listener = new Listener();

        AwsSdkSettings.FromEnvironment(EnvironmentSource.FromDictionary(new Dictionary<string, string?> { ["DD_BOTOCORE_DISTRIBUTED_TRACING"] = "maybe" }));

        var warning = Assert.Single(listener.Events, e => e.EventName == "InvalidSetting" && Equals(e.Payload?[0], "DD_BOTOCORE_DISTRIBUTED_TRACING"));
        Assert.Equal("Datadog-Otel-Lambda-AwsSdk", warning.EventSource.Name);
        Assert.DoesNotContain(listener.Events, e => e.EventSource.Name == "Datadog-Otel-Lambda" && Equals(e.Payload?[0], "DD_BOTOCORE_DISTRIBUTED_TRACING"));
    }

    private static TracerProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return Sdk.CreateTracerProviderBuilder()
            .ConfigureServices(services => services.AddSingleton<IConfiguration>(configuration))
            .AddDatadogAwsSdkInstrumentation()
            .Build()!;
    }

    private static SortedDictionary<string, string?> Snapshot()
    {
        var snapshot = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            snapshot[(string)entry.Key] = entry.Value as string;
        }

        return snapshot;
    }

    private sealed class Listener : EventListener
    {
        public List<EventWrittenEventArgs> Events { get; } = [];

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name.StartsWith("Datadog-Otel-Lambda", StringComparison.Ordinal))
            {
                this.EnableEvents(eventSource, EventLevel.Verbose);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            lock (this.Events)
            {
                this.Events.Add(eventData);
            }
        }
    }
}
