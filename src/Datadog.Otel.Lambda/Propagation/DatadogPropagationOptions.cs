// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Propagation;

/// <summary>Configuration of a <see cref="DatadogCompositePropagator"/>; the defaults are Datadog's.</summary>
public sealed class DatadogPropagationOptions
{
    private static readonly DatadogPropagationStyle[] DefaultStyles =
        [DatadogPropagationStyle.Datadog, DatadogPropagationStyle.TraceContext, DatadogPropagationStyle.Baggage];

    /// <summary>Gets the formats read, in order of precedence. Default: <c>datadog,tracecontext,baggage</c>.</summary>
    public IReadOnlyList<DatadogPropagationStyle> ExtractStyles { get; init; } = DefaultStyles;

    /// <summary>Gets the formats written, all of them on every injection. Default: <c>datadog,tracecontext,baggage</c>.</summary>
    public IReadOnlyList<DatadogPropagationStyle> InjectStyles { get; init; } = DefaultStyles;

    /// <summary>
    /// Gets a value indicating whether extraction stops at the first style that yields a trace context
    /// (<c>DD_TRACE_PROPAGATION_EXTRACT_FIRST</c>); baggage is still read. Default: false, every style is read
    /// and conflicts are resolved (span links, W3C parent).
    /// </summary>
    public bool ExtractFirst { get; init; }

    /// <summary>Gets what to do with the extracted context (<c>DD_TRACE_PROPAGATION_BEHAVIOR_EXTRACT</c>). Default: continue.</summary>
    public DatadogPropagationBehavior ExtractBehavior { get; init; }

    /// <summary>
    /// Gets the longest <c>x-datadog-tags</c> value injected (<c>DD_TRACE_X_DATADOG_TAGS_MAX_LENGTH</c>, default 512); 0
    /// disables injecting the header. An incoming value is read up to 512 characters whatever this is, as dd-trace-py does.
    /// </summary>
    public int XDatadogTagsMaxLength { get; init; } = PropagationTagNames.DefaultTagsMaxLength;
}
