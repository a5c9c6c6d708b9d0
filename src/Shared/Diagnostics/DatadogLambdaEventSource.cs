// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics.Tracing;

namespace Datadog.Otel.Lambda.Diagnostics;

/// <summary>
/// Self-diagnostics of the package this file is compiled into (shared source: every package has its own event source,
/// named by its <see cref="DiagnosticNames.EventSource"/>, as OpenTelemetry's packages do). Listeners (dotnet-trace, an
/// in-process EventListener, the OpenTelemetry SDK's file-based self-diagnostics) see every event;
/// <see cref="StdoutDiagnostics"/> mirrors them to stdout, which is what CloudWatch shows in Lambda.
/// </summary>
[EventSource(Name = DiagnosticNames.EventSource)]
internal sealed class DatadogLambdaEventSource : EventSource
{
    public static readonly DatadogLambdaEventSource Log = new();

    private DatadogLambdaEventSource()
    {
    }

    [Event(1, Level = EventLevel.Verbose, Message = "{0}: {1}")]
    public void DebugMessage(string area, string message) => this.WriteEvent(1, area, message);

    [Event(2, Level = EventLevel.Informational, Message = "{0}: {1}")]
    public void InfoMessage(string area, string message) => this.WriteEvent(2, area, message);

    [Event(3, Level = EventLevel.Warning, Message = "{0}: {1}")]
    public void WarningMessage(string area, string message) => this.WriteEvent(3, area, message);

    [Event(4, Level = EventLevel.Error, Message = "{0}: {1} {2}")]
    public void ErrorMessage(string area, string message, string exception) => this.WriteEvent(4, area, message, exception);

    [Event(5, Level = EventLevel.Error, Message = "Export to {0} failed: {1}")]
    public void ExportFailed(string endpoint, string reason) => this.WriteEvent(5, endpoint, reason);

    [Event(6, Level = EventLevel.Warning, Message = "Trace context was not extracted from {0}: {1}")]
    public void ExtractionSkipped(string source, string reason) => this.WriteEvent(6, source, reason);

    [Event(7, Level = EventLevel.Warning, Message = "Trace context was not injected into {0}: {1}")]
    public void InjectionSkipped(string target, string reason) => this.WriteEvent(7, target, reason);

    [Event(8, Level = EventLevel.Warning, Message = "Ignoring {0}={1}: {2}")]
    public void InvalidSetting(string name, string value, string reason) => this.WriteEvent(8, name, value, reason);

    [Event(9, Level = EventLevel.Error, Message = "Tracing failed in {0} and was skipped; the function is unaffected: {1}")]
    public void TracingFailed(string stage, string exception) => this.WriteEvent(9, stage, exception);

    [Event(10, Level = EventLevel.Informational, Message = "Configuration: {0}")]
    public void ConfigurationLoaded(string summary) => this.WriteEvent(10, summary);
}
