// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using OpenTelemetry;

namespace Datadog.Otel.Lambda.Extraction;

/// <summary>Where the parent of an invocation came from (Datadog's <c>_dd.parent_source</c>).</summary>
internal enum UpstreamSource
{
    None,
    Event,
    XRay,
}

/// <summary>The parent context an invocation continues, and what came with it.</summary>
internal sealed class UpstreamContext
{
    public static readonly UpstreamContext None = new(default, UpstreamSource.None);

    public UpstreamContext(ActivityContext parent, UpstreamSource source)
    {
        this.Parent = parent;
        this.Source = source;
        this.EventParent = source == UpstreamSource.Event ? parent : default;
    }

    /// <summary>Gets the remote parent; <see langword="default"/> when the invocation starts a new trace.</summary>
    public ActivityContext Parent { get; }

    /// <summary>
    /// Gets the parent as the event (or client context) named it. X-Ray merging then re-parents the spans under the X-Ray
    /// Lambda segment (<see cref="Parent"/> changes), but the trace metadata sent to X-Ray names this one, as Datadog's
    /// libraries do. <see langword="default"/> when the context did not come from the event.
    /// </summary>
    public ActivityContext EventParent { get; private init; }

    public UpstreamSource Source { get; }

    /// <summary>Gets links to contexts that were found but not continued (conflicting propagation styles, other batch records).</summary>
    public IReadOnlyList<ActivityLink>? Links { get; init; }

    /// <summary>Gets the <c>_dd.parent_id</c> tag value when W3C and Datadog headers named different parents in the same trace.</summary>
    public string? DatadogParentId { get; init; }

    /// <summary>
    /// Gets the <c>_dd.propagation_error</c> found while extracting the context (<c>decoding_error</c>,
    /// <c>extract_max_size</c>, <c>malformed_tid &lt;value&gt;</c>), for the span that continues it.
    /// </summary>
    public string? PropagationError { get; init; }

    /// <summary>Gets what produced the context, for diagnostics and tags (e.g. <c>sqs</c>, <c>http-headers</c>, <c>client-context</c>).</summary>
    public string? Carrier { get; init; }

    /// <summary>Gets the W3C baggage that came with the context.</summary>
    public Baggage Baggage { get; init; }

    public bool HasParent => this.Parent.TraceId != default;

    public UpstreamContext WithLinks(IReadOnlyList<ActivityLink> links) => new(this.Parent, this.Source)
    {
        EventParent = this.EventParent,
        Links = links,
        DatadogParentId = this.DatadogParentId,
        PropagationError = this.PropagationError,
        Baggage = this.Baggage,
        Carrier = this.Carrier,
    };

    public UpstreamContext WithParent(ActivityContext parent, UpstreamSource source) => new(parent, source)
    {
        EventParent = this.EventParent,
        Links = this.Links,
        DatadogParentId = this.DatadogParentId,
        PropagationError = this.PropagationError,
        Baggage = this.Baggage,
        Carrier = this.Carrier,
    };
}
