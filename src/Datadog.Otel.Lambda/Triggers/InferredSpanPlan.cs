// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Internal;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// One inferred span, decided before any span exists: the managed service's operation, service, resource and type, its
/// tags, when it starts (the event's own timestamp, clamped to the invocation) and how it ends. Immutable once the
/// planner has scheduled it (<see cref="Schedule"/>).
/// </summary>
internal sealed class InferredSpanPlan
{
    // One boxed 1.0 for every span: the attribute value is an object.
    private static readonly object BoxedOne = 1.0;

    public required string OperationName { get; init; }

    public required string Service { get; init; }

    public required string Resource { get; init; }

    public string SpanType { get; init; } = "web";

    /// <summary>Gets a value indicating whether the service waited for the function (sync) rather than handing the event over (async).</summary>
    public bool Synchronous { get; init; }

    /// <summary>
    /// Gets a value indicating whether the span carries Datadog's <c>operation_name</c> tag. Both Datadog libraries left it
    /// off the REST and HTTP API spans (App and API Protection reads those spans).
    /// </summary>
    public bool TagOperationName { get; init; } = true;

    /// <summary>
    /// Gets a value indicating whether the span carries Datadog's <c>span.kind: server</c> tag. Python leaves it off the HTTP
    /// API and function URL spans (Node.js writes it there too).
    /// </summary>
    public bool TagSpanKind { get; init; } = true;

    /// <summary>
    /// Gets a value indicating whether the span carries the <c>_dd._inferred_span</c> metric (1.0), as Python sets it on every
    /// span it infers from the event; not on the authorizer span, which it builds from the authorizer's context.
    /// </summary>
    public bool InferredMetric { get; init; } = true;

    /// <summary>Gets the event's timestamp; null when the event has none (the span then starts with the invocation).</summary>
    public DateTimeOffset? EventStart { get; init; }

    /// <summary>Gets an end the event itself gives (an SNS span wrapping SQS ends when SQS received the message).</summary>
    public DateTimeOffset? EventEnd { get; init; }

    /// <summary>Gets the source's own tags, in order (the tags every inferred span has come first, <see cref="WriteTags"/>).</summary>
    public KeyValuePair<string, object?>[] Tags { get; init; } = [];

    /// <summary>Gets when the span starts: the event's time if it is plausible for this invocation, else the invocation's start.</summary>
    public DateTimeOffset Start { get; private set; }

    /// <summary>Gets the end the event fixed (clamped between <see cref="Start"/> and the invocation's start), for <see cref="InferredSpanEnd.Preset"/>.</summary>
    public DateTimeOffset End { get; private set; }

    public InferredSpanEnd EndRule { get; private set; }

    /// <summary>The value of one of the source's tags (tests, diagnostics).</summary>
    public object? Tag(string key)
    {
        foreach (var tag in this.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value;
            }
        }

        return null;
    }

    /// <summary>Writes the span's first four tags, the ones samplers and the extension read first: operation, resource, type, service.</summary>
    public void WriteStartTags<TSink>(ref TSink sink)
        where TSink : ITagSink
    {
        sink.Add(TagNames.OperationName, this.OperationName);
        sink.Add(TagNames.ResourceName, this.Resource);
        sink.Add(TagNames.SpanType, this.SpanType);
        sink.Add(TagNames.DatadogService, this.Service);
    }

    /// <summary>
    /// Writes the span's tags after the four it starts with (operation, resource, type, service): the ones every inferred
    /// span has, then the source's. <paramref name="peerService"/> is DD_SERVICE when set, and only for the innermost
    /// inferred span (the one <c>aws.lambda</c> is a child of), as Python tags it after the handler.
    /// </summary>
    public void WriteTags<TSink>(ref TSink sink, string? peerService)
        where TSink : ITagSink
    {
        if (this.TagSpanKind)
        {
            sink.Add(TagNames.SpanKind, "server");
        }

        sink.Add("_inferred_span.tag_source", "self");
        sink.Add("_inferred_span.synchronicity", this.Synchronous ? "sync" : "async");
        if (this.TagOperationName)
        {
            sink.Add(TagNames.OperationNameTag, this.OperationName);
        }

        sink.Add(TagNames.ResourceNames, this.Resource);
        if (this.InferredMetric)
        {
            sink.Add(TagNames.InferredSpanMetric, BoxedOne);
        }

        if (peerService is not null)
        {
            sink.Add("peer.service", peerService);
        }

        foreach (var tag in this.Tags)
        {
            sink.Add(tag.Key, tag.Value);
        }
    }

    /// <summary>
    /// Decides when the span starts and ends for an invocation starting at <paramref name="invocationStart"/>. A span that
    /// wraps another (<paramref name="wrapsAnother"/>) ends where the next one starts when the event says so (SNS around
    /// SQS, the authorizer before API Gateway went on); otherwise a synchronous span ends with the response, an
    /// asynchronous one where the invocation starts.
    /// </summary>
    internal void Schedule(DateTimeOffset invocationStart, bool wrapsAnother)
    {
        var start = EventTime.Clamp(this.EventStart, invocationStart);
        this.Start = start;
        this.EndRule = this.Synchronous ? InferredSpanEnd.WithResponse : InferredSpanEnd.AtInvocationStart;
        if (this.EventEnd is { } end && wrapsAnother)
        {
            this.End = end < start ? start : end > invocationStart ? invocationStart : end;
            this.EndRule = InferredSpanEnd.Preset;
        }
    }
}

/// <summary>How an inferred span ends.</summary>
internal enum InferredSpanEnd : byte
{
    /// <summary>An asynchronous span: where the invocation starts (the message waited until then).</summary>
    AtInvocationStart,

    /// <summary>A synchronous span: after the function, with its error (the innermost span gets the status and route whatever its end).</summary>
    WithResponse,

    /// <summary>At a time the event gave, before the invocation (an authorizer, SNS around SQS).</summary>
    Preset,
}

/// <summary>Receives tags in order: a span being built, or a list in a test.</summary>
internal interface ITagSink
{
    void Add(string key, object? value);
}
