// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;

namespace Datadog.Otel.Lambda.Propagation;

/// <summary>
/// One propagation style's headers: their names, reading a context from them and writing one into them. Every
/// propagator is built on this: <see cref="DatadogStylePropagator"/> over one format, <see cref="DatadogCompositePropagator"/>
/// over the configured list. The work is done by the style's format class (<see cref="DatadogHeaderFormat"/>,
/// <see cref="W3CHeaderFormat"/>, <see cref="B3HeaderFormat"/>, <see cref="XRayHeaderFormat"/>); dispatching on the style
/// here, rather than through virtual generic methods, keeps extraction free of allocation and of runtime generic lookups
/// (Native AOT).
/// </summary>
internal sealed class TraceHeaderFormat
{
    private static readonly TraceHeaderFormat W3C = new(DatadogPropagationStyle.TraceContext, 0, W3CHeaderFormat.Fields);
    private static readonly TraceHeaderFormat B3Multi = new(DatadogPropagationStyle.B3Multi, 0, B3HeaderFormat.MultiFields);
    private static readonly TraceHeaderFormat B3Single = new(DatadogPropagationStyle.B3SingleHeader, 0, B3HeaderFormat.SingleFields);
    private static readonly TraceHeaderFormat XRay = new(DatadogPropagationStyle.XRay, 0, XRayHeaderFormat.Fields);
    private static readonly TraceHeaderFormat DatadogDefault = new(DatadogPropagationStyle.Datadog, PropagationTagNames.DefaultTagsMaxLength, DatadogHeaderFormat.Fields);

    private readonly int tagsMaxLength;

    private TraceHeaderFormat(DatadogPropagationStyle style, int tagsMaxLength, string[] fields)
    {
        this.Style = style;
        this.tagsMaxLength = tagsMaxLength;
        this.Fields = fields;
        this.FieldSet = new HashSet<string>(fields, StringComparer.Ordinal);
    }

    public DatadogPropagationStyle Style { get; }

    /// <summary>Gets the header names the style reads and writes.</summary>
    public string[] Fields { get; }

    /// <summary>Gets <see cref="Fields"/> as the set <c>TextMapPropagator.Fields</c> returns.</summary>
    public ISet<string> FieldSet { get; }

    /// <summary>The format of a style; <paramref name="tagsMaxLength"/> bounds an injected <c>x-datadog-tags</c> (Datadog style only; extraction reads up to 512 characters).</summary>
    /// <returns>The format, or null for <see cref="DatadogPropagationStyle.Baggage"/> and unknown values (they have no trace headers).</returns>
    public static TraceHeaderFormat? For(DatadogPropagationStyle style, int tagsMaxLength = PropagationTagNames.DefaultTagsMaxLength) => style switch
    {
        DatadogPropagationStyle.Datadog => tagsMaxLength == PropagationTagNames.DefaultTagsMaxLength
            ? DatadogDefault
            : new TraceHeaderFormat(DatadogPropagationStyle.Datadog, Math.Max(0, tagsMaxLength), DatadogHeaderFormat.Fields),
        DatadogPropagationStyle.TraceContext => W3C,
        DatadogPropagationStyle.B3Multi => B3Multi,
        DatadogPropagationStyle.B3SingleHeader => B3Single,
        DatadogPropagationStyle.XRay => XRay,
        _ => null,
    };

    public bool TryExtract<TSource>(TSource source, out TraceContextParts parts)
        where TSource : struct, ITraceHeaderSource
    {
        switch (this.Style)
        {
            case DatadogPropagationStyle.Datadog:
                return DatadogHeaderFormat.TryExtract(source, out parts);
            case DatadogPropagationStyle.TraceContext:
                return W3CHeaderFormat.TryExtract(source, out parts);
            case DatadogPropagationStyle.B3Multi:
                return B3HeaderFormat.TryExtractMulti(source, out parts);
            case DatadogPropagationStyle.B3SingleHeader:
                return B3HeaderFormat.TryExtractSingle(source, out parts);
            case DatadogPropagationStyle.XRay:
                return XRayHeaderFormat.TryExtract(source, out parts);
            default:
                parts = default;
                return false;
        }
    }

    public void Inject<T>(in ActivityContext context, T carrier, Action<T, string, string> setter)
    {
        switch (this.Style)
        {
            case DatadogPropagationStyle.Datadog:
                DatadogHeaderFormat.Inject(in context, carrier, setter, this.tagsMaxLength);
                break;
            case DatadogPropagationStyle.TraceContext:
                W3CHeaderFormat.Inject(in context, carrier, setter);
                break;
            case DatadogPropagationStyle.B3Multi:
                B3HeaderFormat.InjectMulti(in context, carrier, setter);
                break;
            case DatadogPropagationStyle.B3SingleHeader:
                B3HeaderFormat.InjectSingle(in context, carrier, setter);
                break;
            case DatadogPropagationStyle.XRay:
                XRayHeaderFormat.Inject(in context, carrier, setter);
                break;
        }
    }
}
