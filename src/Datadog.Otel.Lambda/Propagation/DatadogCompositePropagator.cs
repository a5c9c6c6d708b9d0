// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.Diagnostics;
using Datadog.Otel.Lambda.Internal;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;

namespace Datadog.Otel.Lambda.Propagation;

/// <summary>
/// The configured Datadog propagation styles as one propagator, with Datadog's multi-style rules.
/// <para>
/// Extraction reads the styles in order and the first one that yields a trace context wins. Unless
/// <see cref="DatadogPropagationOptions.ExtractFirst"/> is set, the other styles are read too: a context with a
/// different trace id becomes a span link (<c>reason=terminated_context</c>, <c>context_headers=&lt;style&gt;</c>);
/// a W3C context with the same trace id contributes its other vendors' tracestate members and, when its parent
/// differs, its parent span id (the replaced parent becomes <c>_dd.parent_id</c>). Baggage is always read. Links
/// and <c>_dd.parent_id</c> cannot travel in a <see cref="PropagationContext"/>: the Lambda wrapper reads them
/// through the detailed extraction; <see cref="Extract{T}"/> returns the context and baggage only. Baggage is read and
/// written as dd-trace-py does (64 items, 8192 bytes, a malformed item discards the header).
/// </para>
/// <para>Injection writes every inject style.</para>
/// </summary>
public sealed class DatadogCompositePropagator : TextMapPropagator
{
    private readonly TraceHeaderFormat[] extractFormats;
    private readonly TraceHeaderFormat[] injectFormats;
    private readonly bool extractFirst;
    private readonly DatadogPropagationBehavior behavior;
    private readonly bool extractBaggage;
    private readonly bool injectBaggage;
    private readonly HashSet<string> fields;

    /// <summary>Initializes a new instance of the <see cref="DatadogCompositePropagator"/> class with Datadog's defaults (<c>datadog,tracecontext,baggage</c>).</summary>
    public DatadogCompositePropagator()
        : this(new DatadogPropagationOptions())
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DatadogCompositePropagator"/> class.</summary>
    /// <param name="options">The styles and rules; see <see cref="DatadogPropagationOptions"/>.</param>
    public DatadogCompositePropagator(DatadogPropagationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var tagsMaxLength = Math.Max(0, options.XDatadogTagsMaxLength);
        extractFormats = Formats(options.ExtractStyles, tagsMaxLength, out extractBaggage);
        injectFormats = Formats(options.InjectStyles, tagsMaxLength, out injectBaggage);
        extractFirst = options.ExtractFirst;
        behavior = options.ExtractBehavior;
        fields = new HashSet<string>(StringComparer.Ordinal);
        AddFields(extractFormats, extractBaggage);
        AddFields(injectFormats, injectBaggage);
    }

    /// <inheritdoc/>
    public override ISet<string> Fields => fields;

    /// <inheritdoc/>
    public override PropagationContext Extract<T>(PropagationContext context, T carrier, Func<T, string, IEnumerable<string>?> getter)
    {
        if (carrier is null || getter is null || behavior == DatadogPropagationBehavior.Ignore)
        {
            return context;
        }

        try
        {
            if (context.ActivityContext.IsValid())
            {
                return extractBaggage && context.Baggage == default
                    && BaggageHeaderFormat.Extract(new GetterHeaderSource<T>(carrier, getter)) is var found && found != default
                    ? new PropagationContext(context.ActivityContext, found)
                    : context;
            }

            var extracted = ExtractDetailed(new GetterHeaderSource<T>(carrier, getter));
            return new PropagationContext(
                extracted.Parent,
                extracted.Baggage == default ? context.Baggage : extracted.Baggage);
        }
#pragma warning disable CA1031 // Propagation must never break the caller.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Diag.TracingFailed("extract", exception);
            return context;
        }
    }

    /// <inheritdoc/>
    public override void Inject<T>(PropagationContext context, T carrier, Action<T, string, string> setter)
    {
        if (carrier is null || setter is null)
        {
            return;
        }

        try
        {
            var activityContext = context.ActivityContext;
            if (PropagationContexts.CanInject(activityContext))
            {
                foreach (var format in injectFormats)
                {
                    format.Inject(in activityContext, carrier, setter);
                }
            }

            if (injectBaggage)
            {
                BaggageHeaderFormat.Inject(context.Baggage, carrier, setter);
            }
        }
#pragma warning disable CA1031 // Propagation must never break the caller.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Diag.TracingFailed("inject", exception);
        }
    }

    /// <summary>The detailed extraction over an OpenTelemetry carrier and getter.</summary>
    internal ExtractedContext ExtractDetailed<T>(T carrier, Func<T, string, IEnumerable<string>?> getter) =>
        ExtractDetailed(new GetterHeaderSource<T>(carrier, getter));

    /// <summary>The detailed extraction over a name → value map (one value per header).</summary>
    internal ExtractedContext ExtractDetailed(IReadOnlyDictionary<string, string> headers) =>
        ExtractDetailed(new DictionaryHeaderSource(headers));

    /// <summary>
    /// Runs Datadog's multi-style extraction. Allocates only the result (its trace state string, links when there
    /// are conflicts, baggage). Never throws.
    /// </summary>
    internal ExtractedContext ExtractDetailed<TSource>(TSource source)
        where TSource : struct, ITraceHeaderSource
    {
        if (behavior == DatadogPropagationBehavior.Ignore)
        {
            return ExtractedContext.Empty;
        }

        try
        {
            return ExtractCore(source);
        }
#pragma warning disable CA1031 // Propagation must never break the caller.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Diag.TracingFailed("extract", exception);
            return ExtractedContext.Empty;
        }
    }

    internal static string StyleName(DatadogPropagationStyle style) => style switch
    {
        DatadogPropagationStyle.Datadog => "datadog",
        DatadogPropagationStyle.TraceContext => "tracecontext",
        DatadogPropagationStyle.B3Multi => "b3multi",
        DatadogPropagationStyle.B3SingleHeader => "b3",
        DatadogPropagationStyle.XRay => "xray",
        DatadogPropagationStyle.Baggage => "baggage",
        _ => "unknown",
    };

    private static ActivityLink CreateLink(in ActivityContext context, DatadogPropagationStyle style, string reason) =>
        new(context, new ActivityTagsCollection
        {
            [PropagationTagNames.LinkReason] = reason,
            [PropagationTagNames.LinkContextHeaders] = StyleName(style),
        });

    /// <summary>The formats of the distinct styles with trace headers, in order; baggage is reported apart.</summary>
    private static TraceHeaderFormat[] Formats(IReadOnlyList<DatadogPropagationStyle>? styles, int tagsMaxLength, out bool hasBaggage)
    {
        hasBaggage = false;
        var result = new List<TraceHeaderFormat>();
        if (styles is null)
        {
            return [];
        }

        for (var i = 0; i < styles.Count; i++)
        {
            var style = styles[i];
            if (style == DatadogPropagationStyle.Baggage)
            {
                hasBaggage = true;
            }
            else if (!result.Exists(f => f.Style == style) && TraceHeaderFormat.For(style, tagsMaxLength) is { } format)
            {
                result.Add(format);
            }
        }

        return result.ToArray();
    }

    private ExtractedContext ExtractCore<TSource>(TSource source)
        where TSource : struct, ITraceHeaderSource
    {
        scoped TraceContextParts winner = default;
        var hasWinner = false;
        List<ActivityLink>? links = null;
        foreach (var format in extractFormats)
        {
            if (hasWinner && extractFirst)
            {
                break;
            }

            var style = format.Style;
            if (!format.TryExtract(source, out var parts))
            {
                continue;
            }

            if (!hasWinner)
            {
                winner = parts;
                hasWinner = true;
                continue;
            }

            if (!parts.SameTraceAs(in winner))
            {
                // dd-trace-py links only contexts with a span id.
                if (behavior == DatadogPropagationBehavior.Continue && parts.SpanId != 0)
                {
                    (links ??= new List<ActivityLink>(2)).Add(CreateLink(parts.ToLinkContext(), style, PropagationTagNames.ReasonTerminatedContext));
                }

                continue;
            }

            if (style == DatadogPropagationStyle.TraceContext)
            {
                MergeW3C(ref winner, in parts);
            }
        }

        var baggage = extractBaggage ? BaggageHeaderFormat.Extract(source) : default;
        if (!hasWinner)
        {
            return baggage == default && links is null
                ? ExtractedContext.Empty
                : new ExtractedContext(default, baggage, null, null, links, null);
        }

        PropagationDiagnostics.ExtractError(winner.PropagationError);
        if (behavior == DatadogPropagationBehavior.Restart)
        {
            // A new trace with its own sampling decision, linked to the one that came in (when it names a span).
            IReadOnlyList<ActivityLink>? restartLinks = winner.SpanId == 0
                ? null
                : [CreateLink(winner.ToLinkContext(), winner.Style, PropagationTagNames.ReasonPropagationBehaviorExtract)];
            return new ExtractedContext(default, baggage, winner.Style, null, restartLinks, null);
        }

        var parent = winner.ToActivityContext();

        string? lastParentId = null;
        if (winner.Datadog.HasLastParent)
        {
            lastParentId = DatadogIds.ToHex16(winner.Datadog.LastParent);
        }
        else if (winner.Style == DatadogPropagationStyle.TraceContext)
        {
            lastParentId = DatadogIds.ToHex16(0);
        }

        return new ExtractedContext(parent, baggage, winner.Style, lastParentId, links, winner.PropagationError);
    }

    /// <summary>
    /// A W3C context of the same trace after another style won: its other vendors are kept; when its parent differs,
    /// it becomes the parent and the replaced one is remembered (the tracestate <c>p:</c>, or the replaced id when
    /// <c>p:</c> is missing or zero).
    /// </summary>
    private static void MergeW3C(scoped ref TraceContextParts winner, scoped in TraceContextParts w3c)
    {
        if (winner.Style == DatadogPropagationStyle.TraceContext)
        {
            return;
        }

        winner.OtherVendors = w3c.OtherVendors;
        if (w3c.SpanId != winner.SpanId)
        {
            winner.Datadog.HasLastParent = true;
            winner.Datadog.LastParent = w3c.Datadog.HasLastParent && w3c.Datadog.LastParent != 0 ? w3c.Datadog.LastParent : winner.SpanId;
            winner.SpanId = w3c.SpanId;
        }
    }

    private void AddFields(TraceHeaderFormat[] formats, bool baggage)
    {
        foreach (var format in formats)
        {
            fields.UnionWith(format.Fields);
        }

        if (baggage)
        {
            fields.UnionWith(BaggageHeaderFormat.Fields);
        }
    }
}
