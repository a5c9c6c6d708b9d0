// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Propagation;

/// <summary>
/// W3C trace context (<c>traceparent</c>, <c>tracestate</c>) with Datadog's <c>dd</c> tracestate member:
/// <c>dd=s:&lt;priority&gt;;o:&lt;origin&gt;;p:&lt;parent span id&gt;;t.&lt;tag&gt;:&lt;value&gt;</c>, other vendors'
/// members kept after it. On extraction the sampled flag and <c>s:</c> are reconciled as Datadog tracers do, several
/// <c>tracestate</c> headers are joined and several <c>traceparent</c> headers reject the context. On injection the
/// flag is <c>01</c> exactly when the priority is above 0, <c>p:</c> is the injected span's id and <c>t.tid</c> is
/// never written.
/// </summary>
public sealed class W3CTraceContextPropagator : DatadogStylePropagator
{
    /// <summary>Initializes a new instance of the <see cref="W3CTraceContextPropagator"/> class.</summary>
    public W3CTraceContextPropagator()
        : base(TraceHeaderFormat.For(DatadogPropagationStyle.TraceContext)!)
    {
    }
}
