// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Datadog.Otel.Lambda.IntegrationTests.TestSupport;

/// <summary>Records the distribution's self-diagnostics (its EventSource) for assertions.</summary>
internal sealed class DiagnosticsRecorder : EventListener
{
    private readonly ConcurrentQueue<string> messages = new();

    public IReadOnlyCollection<string> Messages => this.messages;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Datadog-Otel-Lambda")
        {
            this.EnableEvents(eventSource, EventLevel.Verbose);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventSource.Name == "Datadog-Otel-Lambda" && eventData.Payload is { } payload)
        {
            this.messages.Enqueue(string.Join(" | ", payload));
        }
    }
}
