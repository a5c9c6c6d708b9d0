// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Propagation;

/// <summary>
/// B3 trace context, either as the <c>x-b3-traceid</c>/<c>x-b3-spanid</c>/<c>x-b3-sampled</c>/<c>x-b3-flags</c>
/// headers (<c>b3multi</c>) or as the single <c>b3</c> header. Ids of 16 or 32 hex digits are read; the 32-digit
/// trace id is written. Sampled <c>1</c>/<c>0</c> map to Datadog priority 1/0 and debug (<c>x-b3-flags: 1</c>,
/// single-header <c>d</c>) to 2; the priority travels in the <c>dd</c> tracestate member.
/// </summary>
public sealed class B3Propagator : DatadogStylePropagator
{
    /// <summary>Initializes a new instance of the <see cref="B3Propagator"/> class for the <c>x-b3-*</c> headers.</summary>
    public B3Propagator()
        : this(singleHeader: false)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="B3Propagator"/> class.</summary>
    /// <param name="singleHeader">True for the single <c>b3</c> header, false for the <c>x-b3-*</c> headers.</param>
    public B3Propagator(bool singleHeader)
        : base(TraceHeaderFormat.For(singleHeader ? DatadogPropagationStyle.B3SingleHeader : DatadogPropagationStyle.B3Multi)!)
    {
    }
}
