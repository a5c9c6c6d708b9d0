// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Sampling;

/// <summary>Datadog sampling priorities and decision makers (<c>_dd.p.dm</c>).</summary>
internal static class SamplingPriorities
{
    public const int UserReject = -1;
    public const int AutoReject = 0;
    public const int AutoKeep = 1;
    public const int UserKeep = 2;

    /// <summary>Default mechanism: nothing decided but keep.</summary>
    public const string DefaultMechanism = "-0";

    /// <summary>Local trace sampling rule or <c>DD_TRACE_SAMPLE_RATE</c>.</summary>
    public const string RuleMechanism = "-3";
}
