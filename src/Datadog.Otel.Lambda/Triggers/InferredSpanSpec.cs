// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// What an inferred span looks like, read from the event before any span exists: the managed service's operation,
/// service, resource, type, the event's own timestamp and whether the service waited for the function (sync) or
/// handed the event over (async).
/// </summary>
internal sealed class InferredSpanSpec
{
    public required string OperationName { get; init; }

    public required string Service { get; init; }

    public required string Resource { get; init; }

    public string SpanType { get; init; } = "web";

    /// <summary>Gets the event's timestamp; null when the event has none (the span then starts with the invocation).</summary>
    public DateTimeOffset? Start { get; set; }

    /// <summary>
    /// Gets a value indicating whether the span carries Datadog's <c>operation_name</c> tag. Both Datadog libraries left it
    /// off the REST and HTTP API spans (App and API Protection reads those spans).
    /// </summary>
    public bool TagOperationName { get; init; } = true;

    /// <summary>Gets a value indicating whether the span ends with the invocation (sync) rather than when it starts (async).</summary>
    public bool Synchronous { get; init; }

    /// <summary>Gets an end set by the event itself (an SNS span wrapping SQS ends when SQS received the message).</summary>
    public DateTimeOffset? End { get; set; }

    public List<KeyValuePair<string, object?>> Tags { get; } = new(16);

    public void Tag(string key, object? value)
    {
        if (value is not null)
        {
            this.Tags.Add(new(key, value));
        }
    }
}
