// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Propagation;

/// <summary>
/// Datadog's <c>x-datadog-*</c> headers: <c>x-datadog-trace-id</c> (lower 64 bits, decimal),
/// <c>x-datadog-parent-id</c>, <c>x-datadog-sampling-priority</c>, <c>x-datadog-origin</c> and
/// <c>x-datadog-tags</c> (<c>_dd.p.*</c> only; <c>_dd.p.tid</c> carries the upper 64 bits as 16 lowercase hex).
/// Priority, origin and tags travel in the <c>dd</c> member of <see cref="System.Diagnostics.ActivityContext.TraceState"/>.
/// </summary>
/// <remarks>
/// A trace id without a valid parent id still continues the trace, as in Datadog: the context then has the trace id
/// and a zero (<c>default</c>) span id, so spans started from it join the trace without a parent span. OpenTelemetry's
/// <c>IsValid()</c> is true for such a context (it only compares with <c>default</c>), so propagators after this one
/// in a composite keep it; nothing is injected for a context without a span id.
/// </remarks>
public sealed class DatadogPropagator : DatadogStylePropagator
{
    /// <summary>Initializes a new instance of the <see cref="DatadogPropagator"/> class with the default 512-character <c>x-datadog-tags</c> limit.</summary>
    public DatadogPropagator()
        : this(PropagationTagNames.DefaultTagsMaxLength)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DatadogPropagator"/> class.</summary>
    /// <param name="xDatadogTagsMaxLength">The longest <c>x-datadog-tags</c> injected (<c>DD_TRACE_X_DATADOG_TAGS_MAX_LENGTH</c>); 0 disables injecting it. Extraction reads up to 512 characters.</param>
    public DatadogPropagator(int xDatadogTagsMaxLength)
        : base(TraceHeaderFormat.For(DatadogPropagationStyle.Datadog, xDatadogTagsMaxLength)!)
    {
    }
}
