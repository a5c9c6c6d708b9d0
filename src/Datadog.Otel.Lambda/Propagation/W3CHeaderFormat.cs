// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.Diagnostics;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.SnapStart;

namespace Datadog.Otel.Lambda.Propagation;

/// <summary>W3C <c>traceparent</c> / <c>tracestate</c> with the Datadog <c>dd</c> member.</summary>
internal static class W3CHeaderFormat
{
    public const string TraceParentHeader = "traceparent";
    public const string TraceStateHeader = "tracestate";

    /// <summary>Several <c>tracestate</c> headers are joined up to this length; W3C lets vendors cut beyond 512.</summary>
    public const int MaxJoinedTraceStateLength = 4096;

    /// <summary>
    /// A <c>dd</c> member longer than this has its tags ignored (the same budget as <c>x-datadog-tags</c>); dd-trace-py
    /// keeps them all, but they would be copied into every span's trace state.
    /// </summary>
    public const int MaxDatadogMemberLength = PropagationTagNames.DefaultTagsMaxLength;

    public static readonly string[] Fields = [TraceParentHeader, TraceStateHeader];

    public static bool TryExtract<TSource>(TSource source, out TraceContextParts parts)
        where TSource : struct, ITraceHeaderSource
    {
        var count = source.Get(TraceParentHeader, out var traceParent);
        if (count == 0)
        {
            parts = default;
            return false;
        }

        if (count > 1)
        {
            if (Diag.IsDebugEnabled)
            {
                Diag.ExtractionSkipped(TraceParentHeader, "several traceparent headers");
            }

            parts = default;
            return false;
        }

        ReadOnlySpan<char> traceState;
        if (source.Get(TraceStateHeader, out var first) > 1)
        {
            traceState = source.GetJoined(TraceStateHeader, MaxJoinedTraceStateLength);
            if (traceState.IsEmpty)
            {
                // A first header too long to join is read alone (within the list's limits), as one long header is;
                // asked for again because a source may decode values into a buffer the join reused.
                source.Get(TraceStateHeader, out traceState);
            }
        }
        else
        {
            traceState = first;
        }

        return TryParse(traceParent, traceState, out parts);
    }

    /// <summary>
    /// Parses one <c>traceparent</c> value and a (joined) <c>tracestate</c> value as dd-trace-py reads them: the
    /// tracestate's limits and checks are <see cref="TraceStateList"/>'s (a list with a character outside 0x20–0x7E is not
    /// used at all); its last <c>dd</c> member is read unless a field has no <c>:</c> or <c>s:</c> is not an integer
    /// (then the whole member is ignored, the other vendors kept); the priority is reconciled with the sampled flag when
    /// a <c>dd</c> member was read, else it is the flag.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> traceParent, ReadOnlySpan<char> traceState, out TraceContextParts parts)
    {
        parts = default;
        if (!TryParseTraceParent(traceParent, out var upper, out var lower, out var spanId, out var sampled))
        {
            return false;
        }

        parts.Style = DatadogPropagationStyle.TraceContext;
        parts.TraceIdUpper = upper;
        parts.TraceIdLower = lower;
        parts.SpanId = spanId;
        if (!traceState.IsEmpty && TraceStateList.TryReadIncoming(traceState, out var hasDatadog, out var member))
        {
            parts.OtherVendors = traceState;
            if (hasDatadog && DatadogTraceState.IsWellFormed(member))
            {
                DatadogTraceState.ReadFields(member, ref parts.Datadog);

                // e: is this library's in-process mark, never sent: an upstream one means nothing.
                parts.Datadog.HasPropagationError = false;
                if (member.Length > MaxDatadogMemberLength)
                {
                    parts.Datadog.Tags = default;
                    parts.Datadog.TagsFormat = PropagatedTagsFormat.None;
                }

                ReconcilePriority(ref parts.Datadog, sampled);
                return true;
            }
        }

        parts.Datadog.HasPriority = true;
        parts.Datadog.Priority = sampled ? 1 : 0;
        return true;
    }

    /// <summary>
    /// <c>00-&lt;32 hex&gt;-&lt;16 hex&gt;-&lt;2 hex&gt;</c>: at least 55 characters with <c>-</c> at 2, 35 and 52; version
    /// <c>ff</c> invalid; version <c>00</c> exactly 55 characters, later versions may carry <c>-…</c> after; lowercase
    /// hex; all-zero ids invalid; only bit 0 of the flags is read.
    /// </summary>
    public static bool TryParseTraceParent(ReadOnlySpan<char> value, out ulong upper, out ulong lower, out ulong spanId, out bool sampled)
    {
        upper = 0;
        lower = 0;
        spanId = 0;
        sampled = false;
        value = value.Trim(" \t");
        if (value.Length < 55 || value[2] != '-' || value[35] != '-' || value[52] != '-')
        {
            return false;
        }

        var v0 = DatadogIds.LowerHexValue(value[0]);
        var v1 = DatadogIds.LowerHexValue(value[1]);
        if (v0 < 0 || v1 < 0 || (v0 == 0xF && v1 == 0xF))
        {
            return false;
        }

        if (v0 == 0 && v1 == 0 ? value.Length != 55 : value.Length > 55 && value[55] != '-')
        {
            return false;
        }

        var f0 = DatadogIds.LowerHexValue(value[53]);
        var f1 = DatadogIds.LowerHexValue(value[54]);
        if (f0 < 0 || f1 < 0
            || !DatadogIds.TryParseTraceIdHex(value[3..35], lowercaseOnly: true, out var traceUpper, out var traceLower)
            || (traceUpper == 0 && traceLower == 0)
            || !DatadogIds.TryParseHex16Lower(value[36..52], out var span)
            || span == 0)
        {
            return false;
        }

        upper = traceUpper;
        lower = traceLower;
        spanId = span;
        sampled = (f1 & 1) != 0;
        return true;
    }

    /// <summary>
    /// The priority from the sampled flag and <c>s</c>: sampled and <c>s</c> &gt; 0 → <c>s</c>; sampled otherwise → 1
    /// (and <c>_dd.p.dm=-0</c> when <c>s</c> ≤ 0 was given); not sampled and <c>s</c> ≤ 0 → <c>s</c>; not sampled
    /// otherwise → 0 (and <c>_dd.p.dm</c> removed when <c>s</c> &gt; 0 was given). With origin <c>rum</c> and no or a zero
    /// <c>s</c>, the flag is not applied (datadog-lambda-behaviour.md §5.2, dd-trace-py): <c>s</c> stays as it came, and
    /// without it the local sampler decides.
    /// </summary>
    public static void ReconcilePriority(ref DatadogFields fields, bool sampled)
    {
        var has = fields.HasPriority;
        var s = fields.Priority;
        if ((!has || s == 0) && fields.Origin.SequenceEqual("rum"))
        {
            return;
        }

        if (sampled)
        {
            if (!has || s <= 0)
            {
                if (has)
                {
                    fields.ReplaceDecisionMaker = true;
                    fields.DecisionMaker = "-0";
                }

                fields.Priority = 1;
            }
        }
        else if (!has || s > 0)
        {
            if (has)
            {
                fields.ReplaceDecisionMaker = true;
                fields.DecisionMaker = null;
            }

            fields.Priority = 0;
        }

        fields.HasPriority = true;
    }

    public static void Inject<T>(in ActivityContext activityContext, T carrier, Action<T, string, string> setter)
    {
        // This process's span ids go out as the world must see them (SnapStart: RestoredSpanIds).
        var context = RestoredSpanIds.Outgoing(in activityContext);
        var fields = default(DatadogFields);
        var traceState = context.TraceState;
        if (TraceStateList.TryGetDatadogMember(traceState, out var member))
        {
            DatadogTraceState.ReadFields(member, ref fields);
        }

        fields.Priority = SamplingPriorityText.Resolve(in context, in fields);
        fields.HasPriority = true;
        var traceId = context.TraceId;
        var spanId = context.SpanId;
        var sampled = fields.Priority > 0;
        setter(carrier, TraceParentHeader, FormatTraceParent(traceId, spanId, sampled));

        Span<char> initial = stackalloc char[256];
        var buffer = new CharBuffer(initial);
        try
        {
            DatadogTraceState.AppendMember(ref buffer, in fields, spanId);
            TraceStateList.AppendOtherMembers(ref buffer, traceState, reserveDatadog: false);
            setter(carrier, TraceStateHeader, buffer.ToString());
        }
        finally
        {
            buffer.Dispose();
        }
    }

    public static string FormatTraceParent(ActivityTraceId traceId, ActivitySpanId spanId, bool sampled)
    {
        var upper = DatadogIds.Upper64(traceId);
        var lower = DatadogIds.Lower64(traceId);
        var span = DatadogIds.ToUInt64(spanId);
        return string.Create(55, (upper, lower, span, sampled), static (chars, state) =>
        {
            chars[0] = '0';
            chars[1] = '0';
            chars[2] = '-';
            DatadogIds.WriteHex32(state.upper, state.lower, chars[3..35]);
            chars[35] = '-';
            DatadogIds.WriteHex16(state.span, chars[36..52]);
            chars[52] = '-';
            chars[53] = '0';
            chars[54] = state.sampled ? '1' : '0';
        });
    }
}
