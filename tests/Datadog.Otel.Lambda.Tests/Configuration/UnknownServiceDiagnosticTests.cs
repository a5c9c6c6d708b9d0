// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using Datadog.Otel.Lambda.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.Tests.Configuration;

/// <summary>
/// Run outside Lambda without a service name, the service falls back to <c>aws.lambda</c>: one warning per provider says
/// so, on the EventSource and on stdout, naming AWS_LAMBDA_FUNCTION_NAME and DD_SERVICE (process-wide diagnostics state:
/// in the Tracing collection, restored after each test).
/// </summary>
[Collection("Tracing")]
public sealed class UnknownServiceDiagnosticTests : IDisposable
{
    private readonly StringWriter stdout = new();
    private WarningRecorder events = new();

    public UnknownServiceDiagnosticTests() => StdoutDiagnostics.Configure(EnvironmentSource.FromDictionary(new Dictionary<string, string?>()), this.stdout);

    public void Dispose()
    {
        this.events.Dispose();
        StdoutDiagnostics.Configure(EnvironmentSource.Process);
    }

    [Fact]
    public void Without_function_name_or_service_one_warning_per_provider_names_the_variables()
    {
        this.RecordOnThisThread();
        using (BuildProvider([]))
        {
        }

        var warning = Assert.Single(this.events.Warnings, w => w.Contains("AWS_LAMBDA_FUNCTION_NAME", StringComparison.Ordinal));
        Assert.Contains("DD_SERVICE", warning, StringComparison.Ordinal);
        Assert.Contains("'aws.lambda'", warning, StringComparison.Ordinal);
        var line = Assert.Single(Lines(), l => l.Contains("AWS_LAMBDA_FUNCTION_NAME", StringComparison.Ordinal));
        Assert.Contains("WARN config: AWS_LAMBDA_FUNCTION_NAME is not set", line, StringComparison.Ordinal);
        Assert.Contains("Set DD_SERVICE", line, StringComparison.Ordinal);

        // A second provider says it again, once.
        StdoutDiagnostics.Configure(EnvironmentSource.FromDictionary(new Dictionary<string, string?>()), this.stdout);
        using (BuildProvider([]))
        {
        }

        Assert.Equal(2, this.events.Warnings.Count(w => w.Contains("AWS_LAMBDA_FUNCTION_NAME", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("AWS_LAMBDA_FUNCTION_NAME", "my-function")]
    [InlineData("DD_SERVICE", "my-service")]
    [InlineData("OTEL_SERVICE_NAME", "my-service")]
    public void A_named_service_gives_no_warning(string variable, string value)
    {
        this.RecordOnThisThread();
        using (BuildProvider(new() { [variable] = value }))
        {
        }

        Assert.DoesNotContain(this.events.Warnings, w => w.Contains("AWS_LAMBDA_FUNCTION_NAME", StringComparison.Ordinal));
        Assert.DoesNotContain(Lines(), l => l.Contains("AWS_LAMBDA_FUNCTION_NAME", StringComparison.Ordinal));
    }

    [Fact]
    public void A_service_name_in_code_gives_no_warning()
    {
        this.RecordOnThisThread();
        using (Sdk.CreateTracerProviderBuilder().AddDatadogLambda(o =>
        {
            o.Environment = EnvironmentSource.FromDictionary(new Dictionary<string, string?>());
            o.ServiceName = "from-code";
            o.Exporter = DatadogLambdaExporter.None;
        }).Build())
        {
        }

        Assert.DoesNotContain(this.events.Warnings, w => w.Contains("AWS_LAMBDA_FUNCTION_NAME", StringComparison.Ordinal));
    }

    private static TracerProvider BuildProvider(Dictionary<string, string?> environment) =>
        Sdk.CreateTracerProviderBuilder().AddDatadogLambda(o =>
        {
            o.Environment = EnvironmentSource.FromDictionary(environment);
            o.Exporter = DatadogLambdaExporter.None;
        }).Build()!;

    private void RecordOnThisThread()
    {
        this.events.Dispose();
        this.events = new WarningRecorder();
    }

    private string[] Lines() => this.stdout.ToString().Split('\n');

    /// <summary>
    /// The warnings of the distribution's EventSource written on the thread that created the recorder: listeners are
    /// called on the writing thread, and tests of other collections may build providers at the same time.
    /// </summary>
    private sealed class WarningRecorder : EventListener
    {
        private readonly ConcurrentQueue<string> warnings = new();
        private readonly int threadId = Environment.CurrentManagedThreadId;

        public IReadOnlyCollection<string> Warnings => this.warnings;

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Datadog-Otel-Lambda")
            {
                this.EnableEvents(eventSource, EventLevel.Warning);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (eventData.Level == EventLevel.Warning && Environment.CurrentManagedThreadId == this.threadId && eventData.Payload is { } payload)
            {
                this.warnings.Enqueue(string.Join(" | ", payload));
            }
        }
    }
}
