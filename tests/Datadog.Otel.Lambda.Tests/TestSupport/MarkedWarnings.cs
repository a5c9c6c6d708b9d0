// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Datadog.Otel.Lambda.Tests.TestSupport;

/// <summary>
/// The distribution's warnings whose text contains <c>marker</c> (a word or type name only the test's own input
/// produces, so that warnings of tests running at the same time do not count).
/// </summary>
internal sealed class MarkedWarnings(string marker) : EventListener
{
    private readonly ConcurrentQueue<string> messages = new();

    public IReadOnlyCollection<string> Messages => this.messages;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Datadog-Otel-Lambda")
        {
            this.EnableEvents(eventSource, EventLevel.Warning);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        // The base constructor enables sources before the fields are assigned.
        if (marker is not null && this.messages is not null && eventData.Payload is { } payload
            && string.Join(" | ", payload) is var text && text.Contains(marker, StringComparison.Ordinal))
        {
            this.messages.Enqueue(text);
        }
    }
}
