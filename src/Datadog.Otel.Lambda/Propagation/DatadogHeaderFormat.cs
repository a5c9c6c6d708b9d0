// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.SnapStart;

namespace Datadog.Otel.Lambda.Propagation;

/// <summary>The <c>x-datadog-*</c> headers: parsing on spans, and injection from an <see cref="ActivityContext"/>.</summary>
internal static class DatadogHeaderFormat
{
    public const string TraceIdHeader = "x-datadog-trace-id";
    public const string ParentIdHeader = "x-datadog-parent-id";
    public const string SamplingPriorityHeader = "x-datadog-sampling-priority";
    public const string OriginHeader = "x-datadog-origin";
    public const string TagsHeader = "x-datadog-tags";

    public static readonly string[] Fields = [TraceIdHeader, ParentIdHeader, SamplingPriorityHeader, OriginHeader, TagsHeader];

    public static bool TryExtract<TSource>(TSource source, out TraceContextParts parts)
        where TSource : struct, ITraceHeaderSource
    {
        if (source.Get(TraceIdHeader, out var traceId) == 0)
        {
            parts = default;
            return false;
        }

        source.Get(ParentIdHeader, out var parentId);
        source.Get(SamplingPriorityHeader, out var priority);
        source.Get(OriginHeader, out var origin);
        source.Get(TagsHeader, out var tags);
        return TryParse(traceId, parentId, priority, origin, tags, out parts);
    }

    /// <summary>
    /// Parses the header values (empty = absent). The trace id must be a non-zero unsigned decimal, else there is no
    /// context. An invalid or missing parent id gives span id 0 with the rest intact; a non-integer priority gives no
    /// priority. <c>x-datadog-tags</c> is read as dd-trace-py reads it: over 512 characters (a fixed limit; the setting
    /// bounds injection only) it is ignored (<c>extract_max_size</c>); one malformed pair discards it all
    /// (<c>decoding_error</c>); a <c>_dd.p.tid</c> that is not 16 lowercase hex, or zero, is dropped
    /// (<c>malformed_tid &lt;value&gt;</c>), a valid one becomes the upper 64 bits; a <c>_dd.p.dm</c> outside
    /// <c>-0</c>…<c>-255</c> is dropped (<c>decoding_error</c>). The error is carried in <see cref="TraceContextParts.PropagationError"/>.
    /// </summary>
    public static bool TryParse(
        ReadOnlySpan<char> traceId,
        ReadOnlySpan<char> parentId,
        ReadOnlySpan<char> priority,
        ReadOnlySpan<char> origin,
        ReadOnlySpan<char> tags,
        out TraceContextParts parts)
    {
        parts = default;
        if (!DatadogIds.TryParseDecimal(traceId.Trim(" \t"), out var lower) || lower == 0)
        {
            return false;
        }

        parts.Style = DatadogPropagationStyle.Datadog;
        parts.TraceIdLower = lower;
        if (DatadogIds.TryParseDecimal(parentId.Trim(" \t"), out var parent))
        {
            parts.SpanId = parent;
        }

        if (DatadogIds.TryParseInt32(priority.Trim(" \t"), out var samplingPriority))
        {
            parts.Datadog.HasPriority = true;
            parts.Datadog.Priority = samplingPriority;
        }

        if (!origin.IsEmpty && origin.Length <= DatadogFields.MaxOriginLength)
        {
            parts.Datadog.Origin = origin;
        }

        if (!tags.IsEmpty)
        {
            ReadTags(tags, ref parts);
        }

        parts.Datadog.HasPropagationError = parts.PropagationError is not null;
        return true;
    }

    private static void ReadTags(ReadOnlySpan<char> tags, ref TraceContextParts parts)
    {
        if (tags.Length > PropagationTagNames.DefaultTagsMaxLength)
        {
            parts.PropagationError = PropagationTagNames.ErrorExtractMaxSize;
            return;
        }

        if (!PropagatedTags.IsValidHeader(tags))
        {
            parts.PropagationError = PropagationTagNames.ErrorDecoding;
            return;
        }

        parts.Datadog.Tags = tags;
        parts.Datadog.TagsFormat = PropagatedTagsFormat.XDatadogTags;

        // A repeated key counts once, with its last value, as in dd-trace's dictionary.
        ReadOnlySpan<char> tid = default;
        ReadOnlySpan<char> decisionMaker = default;
        var enumerator = new PropagatedTags.Enumerator(tags, PropagatedTagsFormat.XDatadogTags);
        while (enumerator.MoveNext())
        {
            if (enumerator.Key.SequenceEqual(PropagationTagNames.TraceIdUpperKey))
            {
                tid = enumerator.Value;
            }
            else if (enumerator.Key.SequenceEqual(PropagationTagNames.DecisionMakerKey))
            {
                decisionMaker = enumerator.Value;
            }
        }

        if (!tid.IsEmpty)
        {
            if (DatadogIds.TryParseHex16Lower(tid, out var upper) && upper != 0)
            {
                parts.TraceIdUpper = upper;
            }
            else
            {
                parts.Datadog.DropTraceIdUpper = true;
                parts.PropagationError = string.Concat(PropagationTagNames.ErrorMalformedTidPrefix, tid);
            }
        }

        if (!decisionMaker.IsEmpty && !PropagatedTags.IsValidDecisionMaker(decisionMaker))
        {
            parts.Datadog.ReplaceDecisionMaker = true;
            parts.Datadog.DecisionMaker = null;
            parts.PropagationError = PropagationTagNames.ErrorDecoding;
        }
    }

    public static void Inject<T>(in ActivityContext activityContext, T carrier, Action<T, string, string> setter, int tagsMaxLength)
    {
        // This process's span ids go out as the world must see them (SnapStart: RestoredSpanIds).
        var context = RestoredSpanIds.Outgoing(in activityContext);
        var fields = default(DatadogFields);
        if (TraceStateList.TryGetDatadogMember(context.TraceState, out var member))
        {
            DatadogTraceState.ReadFields(member, ref fields);
        }

        var upper = DatadogIds.Upper64(context.TraceId);
        setter(carrier, TraceIdHeader, DatadogIds.ToDecimal(DatadogIds.Lower64(context.TraceId)));
        setter(carrier, ParentIdHeader, DatadogIds.ToDecimal(DatadogIds.ToUInt64(context.SpanId)));
        setter(carrier, SamplingPriorityHeader, SamplingPriorityText.Get(SamplingPriorityText.Resolve(in context, in fields)));
        if (!fields.Origin.IsEmpty)
        {
            setter(carrier, OriginHeader, DecodeOrigin(fields.Origin));
        }

        if (fields.HasPropagationError && tagsMaxLength > 0)
        {
            // dd-trace-py sends no x-datadog-tags for a context that carries a propagation error.
            return;
        }

        Span<char> initial = stackalloc char[256];
        var buffer = new CharBuffer(initial);
        try
        {
            var tags = new PropagatedTags.Enumerator(fields.Tags, fields.TagsFormat);
            while (tags.MoveNext())
            {
                if (tags.Key.SequenceEqual(PropagationTagNames.TraceIdUpperKey))
                {
                    continue;
                }

                AppendPair(ref buffer, tags.Key);
                PropagatedTags.AppendHeaderValue(ref buffer, tags.Value, tags.ValueIsEncoded);
            }

            if (upper != 0)
            {
                AppendPair(ref buffer, PropagationTagNames.TraceIdUpperKey);
                buffer.AppendHex16(upper);
            }

            if (buffer.Length == 0)
            {
                return;
            }

            if (tagsMaxLength <= 0)
            {
                PropagationErrors.ReportInjection(in context, PropagationTagNames.ErrorDisabled);
            }
            else if (buffer.Length > tagsMaxLength)
            {
                PropagationErrors.ReportInjection(in context, PropagationTagNames.ErrorInjectMaxSize);
            }
            else
            {
                setter(carrier, TagsHeader, buffer.ToString());
            }
        }
        finally
        {
            buffer.Dispose();
        }
    }

    private static void AppendPair(ref CharBuffer buffer, scoped ReadOnlySpan<char> key)
    {
        if (buffer.Length > 0)
        {
            buffer.Append(',');
        }

        buffer.Append(PropagationTagNames.PropagatedTagPrefix);
        PropagatedTags.AppendHeaderKey(ref buffer, key);
        buffer.Append('=');
    }

    private static string DecodeOrigin(ReadOnlySpan<char> encoded)
    {
        var text = encoded.ToString();
        return text.Contains('~', StringComparison.Ordinal) ? text.Replace('~', '=') : text;
    }
}
