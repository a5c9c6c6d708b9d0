// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Globalization;

namespace Datadog.Otel.Lambda.Propagation;

/// <summary>The sampling priority to inject for a context, and its text without allocating for the usual values.</summary>
internal static class SamplingPriorityText
{
    private static readonly string[] Common = ["-1", "0", "1", "2"];

    /// <summary>
    /// The <c>dd</c> member's <c>s:</c> when present; otherwise the sampled flag decides (1 or 0), which is the
    /// decision an OpenTelemetry sampler without Datadog knowledge made.
    /// </summary>
    public static int Resolve(in ActivityContext context, scoped in DatadogFields fields) =>
        fields.HasPriority ? fields.Priority : (context.TraceFlags & ActivityTraceFlags.Recorded) != 0 ? 1 : 0;

    public static string Get(int priority) =>
        priority is >= -1 and <= 2 ? Common[priority + 1] : priority.ToString(CultureInfo.InvariantCulture);
}
