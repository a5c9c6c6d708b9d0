// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Propagation;

/// <summary>What to do with an extracted trace context (<c>DD_TRACE_PROPAGATION_BEHAVIOR_EXTRACT</c>).</summary>
public enum DatadogPropagationBehavior
{
    /// <summary><c>continue</c>: the new spans continue the incoming trace.</summary>
    Continue = 0,

    /// <summary>
    /// <c>restart</c>: start a new trace (with a new sampling decision) and link it to the incoming context
    /// (link attributes <c>reason=propagation_behavior_extract</c>, <c>context_headers=&lt;style&gt;</c>). Baggage is kept.
    /// Only the composite's detailed extraction can report the link; <see cref="DatadogCompositePropagator.Extract{T}"/>
    /// returns no trace context.
    /// </summary>
    Restart = 1,

    /// <summary><c>ignore</c>: ignore the incoming trace context and baggage.</summary>
    Ignore = 2,
}
