// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;

namespace Datadog.Otel.Lambda.Propagation;

/// <summary>Checks shared by the propagators.</summary>
internal static class PropagationContexts
{
    /// <summary>
    /// Injection needs both ids. OpenTelemetry's <c>IsValid()</c> only compares the context with <c>default</c>, which
    /// would let a Datadog context without parent (span id 0) be written as <c>x-datadog-parent-id: 0</c>.
    /// </summary>
    public static bool CanInject(in ActivityContext context) => context.TraceId != default && context.SpanId != default;
}
