// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Propagation;

/// <summary>A trace context format, as named in <c>DD_TRACE_PROPAGATION_STYLE</c>.</summary>
public enum DatadogPropagationStyle
{
    /// <summary><c>datadog</c>: the <c>x-datadog-*</c> headers.</summary>
    Datadog = 0,

    /// <summary><c>tracecontext</c>: W3C <c>traceparent</c> and <c>tracestate</c> with the Datadog <c>dd</c> member.</summary>
    TraceContext = 1,

    /// <summary><c>b3multi</c>: the <c>x-b3-*</c> headers.</summary>
    B3Multi = 2,

    /// <summary><c>b3</c> (also <c>b3 single header</c>): the single <c>b3</c> header.</summary>
    B3SingleHeader = 3,

    /// <summary><c>xray</c>: the AWS X-Ray <c>X-Amzn-Trace-Id</c> header.</summary>
    XRay = 4,

    /// <summary><c>baggage</c>: the W3C <c>baggage</c> header.</summary>
    Baggage = 5,
}
