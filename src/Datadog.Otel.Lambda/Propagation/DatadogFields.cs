// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Propagation;

/// <summary>
/// The Datadog trace-level fields of a context while it is parsed or written: spans into the header they came
/// from, so that nothing is copied until the final trace state string is built.
/// </summary>
internal ref struct DatadogFields
{
    /// <summary>Origins longer than this are ignored: real ones are short words, and the limit keeps a hostile header out of every span.</summary>
    public const int MaxOriginLength = 256;

    public bool HasPriority;
    public int Priority;

    /// <summary>Origin text; tracestate-encoded when <see cref="OriginIsEncoded"/>.</summary>
    public ReadOnlySpan<char> Origin;
    public bool OriginIsEncoded;

    /// <summary>The <c>p:</c> value of a W3C <c>dd</c> member (the last Datadog parent).</summary>
    public bool HasLastParent;
    public ulong LastParent;

    /// <summary>The run of propagated tags and its wire form.</summary>
    public ReadOnlySpan<char> Tags;
    public PropagatedTagsFormat TagsFormat;

    /// <summary>When set, <c>_dd.p.dm</c> from <see cref="Tags"/> is replaced by <see cref="DecisionMaker"/> (removed when null or empty).</summary>
    public bool ReplaceDecisionMaker;
    public string? DecisionMaker;

    /// <summary>When set, <c>_dd.p.tid</c> from <see cref="Tags"/> is left out (it was malformed: <c>malformed_tid</c>).</summary>
    public bool DropTraceIdUpper;

    /// <summary>
    /// The context carries a <c>_dd.propagation_error</c>, so <c>x-datadog-tags</c> is not injected (dd-trace-py's rule).
    /// In a context's trace state this is the <c>e:1</c> field of the <c>dd</c> member, which is never injected.
    /// </summary>
    public bool HasPropagationError;
}
