// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Sampling;

/// <summary>Attribute names the sampler reads and writes (the extension maps them to Datadog span fields).</summary>
internal static class SamplingTagNames
{
    /// <summary>Integer attribute; the extension turns it into the chunk's <c>_sampling_priority_v1</c>.</summary>
    public const string SamplingPriority = "sampling.priority";

    public const string DecisionMaker = "_dd.p.dm";
    public const string RuleRate = "_dd.rule_psr";
    public const string LimiterRate = "_dd.limit_psr";

    /// <summary>The deciding rule's rate as text (<see cref="KnuthSampleRate"/>); a span tag, not propagated (as in Datadog's Python tracer).</summary>
    public const string KnuthSampleRate = "_dd.p.ksr";

    // Inputs of rule matching (initial span tags).
    public const string OperationName = "operation.name";
    public const string ResourceName = "resource.name";
    public const string Service = "datadog.service";
}
