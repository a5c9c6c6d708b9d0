// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Sampling;

/// <summary>Boxed sampling priorities, so the usual attribute values do not allocate on every decision.</summary>
internal static class BoxedPriorities
{
    private static readonly object[] Common = [-1, 0, 1, 2];

    public static object Get(int priority) => priority is >= -1 and <= 2 ? Common[priority + 1] : priority;
}
