// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Propagation;

/// <summary>Header, tag and link-attribute names of Datadog propagation (names as dd-trace writes them).</summary>
internal static class PropagationTagNames
{
    public const string PropagatedTagPrefix = "_dd.p.";
    public const string TraceIdUpperKey = "tid";
    public const string DecisionMakerKey = "dm";
    public const string UserIdKey = "usr.id";
    public const string UpstreamServicesKey = "upstream_services";

    /// <summary>Span tag: the last Datadog parent id (16 hex) when a W3C parent replaced it.</summary>
    public const string ParentId = "_dd.parent_id";

    /// <summary>Span tag: why propagated tags were not read or written.</summary>
    public const string PropagationError = "_dd.propagation_error";

    public const string LinkReason = "reason";
    public const string LinkContextHeaders = "context_headers";
    public const string ReasonTerminatedContext = "terminated_context";
    public const string ReasonPropagationBehaviorExtract = "propagation_behavior_extract";

    // _dd.propagation_error values (exact strings from the spec).
    public const string ErrorDecoding = "decoding_error";
    public const string ErrorExtractMaxSize = "extract_max_size";
    public const string ErrorInjectMaxSize = "inject_max_size";
    public const string ErrorDisabled = "disabled";

    /// <summary>Followed by the value of a <c>_dd.p.tid</c> that is not 16 lowercase hex digits or is zero.</summary>
    public const string ErrorMalformedTidPrefix = "malformed_tid ";

    /// <summary>
    /// Default of <c>DD_TRACE_X_DATADOG_TAGS_MAX_LENGTH</c> (which bounds injection), and the fixed limit of an incoming
    /// <c>x-datadog-tags</c>.
    /// </summary>
    public const int DefaultTagsMaxLength = 512;
}
