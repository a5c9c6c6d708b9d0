// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using OpenTelemetry;

namespace Datadog.Otel.Lambda.Propagation;

/// <summary>
/// Everything the composite propagator found in a carrier, beyond what <see cref="OpenTelemetry.Context.Propagation.PropagationContext"/>
/// can hold: the links to contexts that lost, the last Datadog parent for <c>_dd.parent_id</c>, the winning style
/// and any <c>_dd.propagation_error</c>. The Lambda wrapper starts its spans from <see cref="Parent"/>, adds
/// <see cref="Links"/>, and tags the span that continues the context (the outermost inferred span, else <c>aws.lambda</c>)
/// with <see cref="DatadogParentIdTag"/> and <see cref="PropagationError"/>.
/// </summary>
internal sealed class ExtractedContext
{
    public static readonly ExtractedContext Empty = new(default, default, null, null, null, null);

    private const string ZeroParentId = "0000000000000000";

    public ExtractedContext(
        ActivityContext parent,
        Baggage baggage,
        DatadogPropagationStyle? style,
        string? lastParentId,
        IReadOnlyList<ActivityLink>? links,
        string? propagationError)
    {
        Parent = parent;
        Baggage = baggage;
        Style = style;
        LastParentId = lastParentId;
        Links = links ?? Array.Empty<ActivityLink>();
        PropagationError = propagationError;
    }

    /// <summary>
    /// Gets the context to continue: remote, its <see cref="ActivityContext.TraceState"/> carrying the <c>dd</c> member
    /// (priority, origin, <c>_dd.p.*</c>) and the other vendors' members. The span id is <c>default</c> when a Datadog
    /// context had no valid parent id; <c>default</c> altogether when nothing was found (or the behaviour is restart or ignore).
    /// </summary>
    public ActivityContext Parent { get; }

    /// <summary>Gets a value indicating whether there is a trace to continue (a trace id; the span id may be 0).</summary>
    public bool HasContext => Parent.TraceId != default;

    public Baggage Baggage { get; }

    /// <summary>Gets the style whose context won, or null.</summary>
    public DatadogPropagationStyle? Style { get; }

    /// <summary>Gets the upstream sampling priority (the <c>dd</c> member's <c>s:</c>), or null when undecided.</summary>
    public int? SamplingPriority => DatadogTraceState.TryGetPriority(Parent.TraceState, out var priority) ? priority : null;

    /// <summary>Gets the origin (<c>x-datadog-origin</c> / <c>o:</c>), decoded; computed on each call.</summary>
    public string? Origin => DatadogTraceState.GetOrigin(Parent.TraceState);

    /// <summary>Gets the <c>_dd.p.*</c> tags with their full names, as received (including <c>_dd.p.tid</c> when it came in a header); computed on each call.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> PropagatedTags => DatadogTraceState.GetPropagatedTags(Parent.TraceState);

    /// <summary>
    /// Gets the last Datadog parent id (16 hex) as dd-trace keeps it: for a W3C context its <c>p:</c> (or
    /// <c>0000000000000000</c>); for a context whose parent was replaced by the W3C parent of the same trace, the
    /// <c>p:</c> value or, when that is missing or zero, the replaced parent id. Null otherwise.
    /// </summary>
    public string? LastParentId { get; }

    /// <summary>Gets the value for the <c>_dd.parent_id</c> span tag: <see cref="LastParentId"/> unless it is missing or all zeros.</summary>
    public string? DatadogParentIdTag => LastParentId is null || LastParentId == ZeroParentId ? null : LastParentId;

    /// <summary>
    /// Gets the span links: contexts of other styles with a different trace id (<c>reason=terminated_context</c>,
    /// <c>context_headers=&lt;style&gt;</c>), or with the restart behaviour the extracted context
    /// (<c>reason=propagation_behavior_extract</c>).
    /// </summary>
    public IReadOnlyList<ActivityLink> Links { get; }

    /// <summary>Gets the <c>_dd.propagation_error</c> of the winning context (<c>decoding_error</c>, <c>extract_max_size</c>, <c>malformed_tid &lt;value&gt;</c>), or null.</summary>
    public string? PropagationError { get; }
}
