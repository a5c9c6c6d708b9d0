// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Differential.Tests.Sampling;

/// <summary>One trace's root span to decide on: its ids, when (milliseconds after the sampler was built) and what rules match.</summary>
public sealed record SamplingDecisionInput(
    ulong TraceId,
    ulong SpanId,
    long AtMs,
    string Name,
    string? Service = null,
    string? Resource = null,
    IReadOnlyDictionary<string, string>? Tags = null,
    ulong? RemoteParentId = null);

/// <summary>A configuration (the environment both samplers read) and the decisions to make under it, in order.</summary>
public sealed record SamplingScenario(
    string Name,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<SamplingDecisionInput> Decisions,
    bool ResourceAsNameVariant = false)
{
    public override string ToString() => Name;
}
