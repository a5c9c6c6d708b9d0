// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.SnapStart;

namespace Datadog.Otel.Lambda.Propagation;

/// <summary>
/// B3, multi-header (<c>x-b3-*</c>) and single-header (<c>b3</c>). Priority mapping: sampled <c>1</c>/<c>0</c> →
/// 1/0, debug (<c>x-b3-flags: 1</c> or single-header <c>d</c>) → 2, no sampling state → no priority. Injection writes
/// the 32-hex trace id and the priority as dd-trace-py does: 0 or less → sampled <c>0</c>, 1 → sampled <c>1</c>, 2 or
/// more → <c>x-b3-flags: 1</c> without <c>x-b3-sampled</c> (single header: <c>d</c>), so a kept-by-user trace stays
/// one at the next hop (dd-trace-dotnet writes sampled <c>1</c> for it; docs/configuration.md).
/// </summary>
internal static class B3HeaderFormat
{
    public const string TraceIdHeader = "x-b3-traceid";
    public const string SpanIdHeader = "x-b3-spanid";
    public const string SampledHeader = "x-b3-sampled";
    public const string FlagsHeader = "x-b3-flags";
    public const string SingleHeader = "b3";

    public static readonly string[] MultiFields = [TraceIdHeader, SpanIdHeader, SampledHeader, FlagsHeader];
    public static readonly string[] SingleFields = [SingleHeader];

    public static bool TryExtractMulti<TSource>(TSource source, out TraceContextParts parts)
        where TSource : struct, ITraceHeaderSource
    {
        if (source.Get(TraceIdHeader, out var traceId) == 0)
        {
            parts = default;
            return false;
        }

        source.Get(SpanIdHeader, out var spanId);
        source.Get(SampledHeader, out var sampled);
        source.Get(FlagsHeader, out var flags);
        return TryParseMulti(traceId, spanId, sampled, flags, out parts);
    }

    public static bool TryParseMulti(ReadOnlySpan<char> traceId, ReadOnlySpan<char> spanId, ReadOnlySpan<char> sampled, ReadOnlySpan<char> flags, out TraceContextParts parts)
    {
        parts = default;
        if (!TryParseIds(traceId.Trim(" \t"), spanId.Trim(" \t"), out var upper, out var lower, out var span))
        {
            return false;
        }

        parts.Style = DatadogPropagationStyle.B3Multi;
        parts.TraceIdUpper = upper;
        parts.TraceIdLower = lower;
        parts.SpanId = span;
        sampled = sampled.Trim(" \t");
        if (flags.Trim(" \t").SequenceEqual("1"))
        {
            SetPriority(ref parts, 2);
        }
        else if (sampled.SequenceEqual("1") || sampled.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            SetPriority(ref parts, 1);
        }
        else if (sampled.SequenceEqual("0") || sampled.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            SetPriority(ref parts, 0);
        }

        return true;
    }

    public static bool TryExtractSingle<TSource>(TSource source, out TraceContextParts parts)
        where TSource : struct, ITraceHeaderSource
    {
        if (source.Get(SingleHeader, out var value) == 0)
        {
            parts = default;
            return false;
        }

        return TryParseSingle(value, out parts);
    }

    /// <summary><c>{16|32 hex trace}-{16 hex span}[-{sampling}[-{16 hex parent span}]]</c>; sampling <c>1</c> → 1, <c>d</c> → 2, else 0.</summary>
    public static bool TryParseSingle(ReadOnlySpan<char> value, out TraceContextParts parts)
    {
        parts = default;
        value = value.Trim(" \t");
        var traceLength = value.IndexOf('-');
        if (traceLength is not (16 or 32))
        {
            return false;
        }

        var rest = value[(traceLength + 1)..];
        var spanEnd = rest.IndexOf('-');
        var spanText = spanEnd < 0 ? rest : rest[..spanEnd];
        if (!TryParseIds(value[..traceLength], spanText, out var upper, out var lower, out var span))
        {
            return false;
        }

        var hasSampling = false;
        var sampling = '\0';
        if (spanEnd >= 0)
        {
            var tail = rest[(spanEnd + 1)..];
            if (tail.Length != 1 && (tail.Length != 18 || tail[1] != '-' || !DatadogIds.TryParseHex(tail[2..], out _)))
            {
                return false;
            }

            hasSampling = true;
            sampling = tail[0];
        }

        parts.Style = DatadogPropagationStyle.B3SingleHeader;
        parts.TraceIdUpper = upper;
        parts.TraceIdLower = lower;
        parts.SpanId = span;
        if (hasSampling)
        {
            SetPriority(ref parts, sampling switch
            {
                '1' => 1,
                'd' => 2,
                _ => 0,
            });
        }

        return true;
    }

    public static void InjectMulti<T>(in ActivityContext activityContext, T carrier, Action<T, string, string> setter)
    {
        // This process's span ids go out as the world must see them (SnapStart: RestoredSpanIds).
        var context = RestoredSpanIds.Outgoing(in activityContext);
        setter(carrier, TraceIdHeader, context.TraceId.ToHexString());
        setter(carrier, SpanIdHeader, context.SpanId.ToHexString());
        var priority = Priority(in context);
        if (priority > 1)
        {
            setter(carrier, FlagsHeader, "1");
        }
        else
        {
            setter(carrier, SampledHeader, priority > 0 ? "1" : "0");
        }
    }

    public static void InjectSingle<T>(in ActivityContext activityContext, T carrier, Action<T, string, string> setter)
    {
        // This process's span ids go out as the world must see them (SnapStart: RestoredSpanIds).
        var context = RestoredSpanIds.Outgoing(in activityContext);
        var upper = DatadogIds.Upper64(context.TraceId);
        var lower = DatadogIds.Lower64(context.TraceId);
        var span = DatadogIds.ToUInt64(context.SpanId);
        var sampling = Priority(in context) switch
        {
            > 1 => 'd',
            1 => '1',
            _ => '0',
        };
        setter(carrier, SingleHeader, string.Create(51, (upper, lower, span, sampling), static (chars, state) =>
        {
            DatadogIds.WriteHex32(state.upper, state.lower, chars[..32]);
            chars[32] = '-';
            DatadogIds.WriteHex16(state.span, chars[33..49]);
            chars[49] = '-';
            chars[50] = state.sampling;
        }));
    }

    private static int Priority(in ActivityContext context)
    {
        var fields = default(DatadogFields);
        if (TraceStateList.TryGetDatadogMember(context.TraceState, out var member))
        {
            DatadogTraceState.ReadFields(member, ref fields);
        }

        return SamplingPriorityText.Resolve(in context, in fields);
    }

    private static bool TryParseIds(ReadOnlySpan<char> traceId, ReadOnlySpan<char> spanId, out ulong upper, out ulong lower, out ulong span)
    {
        span = 0;
        return DatadogIds.TryParseTraceIdHex(traceId, lowercaseOnly: false, out upper, out lower)
            && (upper != 0 || lower != 0)
            && spanId.Length == 16
            && DatadogIds.TryParseHex(spanId, out span)
            && span != 0;
    }

    private static void SetPriority(ref TraceContextParts parts, int priority)
    {
        parts.Datadog.HasPriority = true;
        parts.Datadog.Priority = priority;
    }
}
