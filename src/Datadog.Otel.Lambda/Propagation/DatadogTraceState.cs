// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.Internal;

namespace Datadog.Otel.Lambda.Propagation;

/// <summary>
/// The Datadog state of a trace as it travels inside OpenTelemetry: the <c>dd</c> member of
/// <see cref="ActivityContext.TraceState"/>, <c>dd=s:&lt;priority&gt;;o:&lt;origin&gt;;t.&lt;key&gt;:&lt;value&gt;…</c>,
/// encoded as in W3C tracestate (<c>=</c> in values written <c>~</c>). Text-map propagators can only
/// return an <see cref="ActivityContext"/>, so this is where sampling priority, origin and <c>_dd.p.*</c> tags live
/// between extraction, the sampler and injection. <c>p:</c> is only written by W3C injection (the last parent is
/// reported through <see cref="ExtractedContext"/>); <c>t.tid</c> is kept as received but never injected (the upper
/// bits travel in the trace id).
/// </summary>
internal static class DatadogTraceState
{
    /// <summary>W3C limit of a member value; injection drops tags that do not fit.</summary>
    public const int MaxMemberValueLength = 256;

    /// <summary>Reads <c>s:</c> from the <c>dd</c> member of a tracestate list.</summary>
    public static bool TryGetPriority(string? traceState, out int priority)
    {
        priority = 0;
        return TraceStateList.TryGetDatadogMember(traceState, out var member)
            && TryGetField(member, "s", out var text)
            && DatadogIds.TryParseInt32(text, out priority);
    }

    /// <summary>The value of the first <c>key:value</c> field of a <c>dd</c> member whose key is <paramref name="key"/>.</summary>
    public static bool TryGetField(ReadOnlySpan<char> member, scoped ReadOnlySpan<char> key, out ReadOnlySpan<char> value)
    {
        var remaining = member;
        while (!remaining.IsEmpty)
        {
            var semicolon = remaining.IndexOf(';');
            var field = semicolon < 0 ? remaining : remaining[..semicolon];
            var colon = field.IndexOf(':');
            if (colon > 0 && field[..colon].SequenceEqual(key))
            {
                value = field[(colon + 1)..];
                return true;
            }

            if (semicolon < 0)
            {
                break;
            }

            remaining = remaining[(semicolon + 1)..];
        }

        value = default;
        return false;
    }

    /// <summary>The origin (<c>o:</c>) decoded (<c>~</c> → <c>=</c>), or null.</summary>
    public static string? GetOrigin(string? traceState)
    {
        if (!TraceStateList.TryGetDatadogMember(traceState, out var member) || !TryGetField(member, "o", out var encoded) || encoded.IsEmpty)
        {
            return null;
        }

        var text = encoded.ToString();
        return text.Contains('~', StringComparison.Ordinal) ? text.Replace('~', '=') : text;
    }

    /// <summary>The <c>_dd.p.*</c> tags of the <c>dd</c> member, decoded, with their full names (for span tags and tests).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> GetPropagatedTags(string? traceState)
    {
        if (!TraceStateList.TryGetDatadogMember(traceState, out var member))
        {
            return Array.Empty<KeyValuePair<string, string>>();
        }

        List<KeyValuePair<string, string>>? tags = null;
        var enumerator = new PropagatedTags.Enumerator(member, PropagatedTagsFormat.TraceStateMember);
        while (enumerator.MoveNext())
        {
            tags ??= new List<KeyValuePair<string, string>>(4);
            var value = enumerator.Value.ToString().Replace('~', '=');
            tags.Add(new KeyValuePair<string, string>(string.Concat(PropagationTagNames.PropagatedTagPrefix, enumerator.Key), value));
        }

        return tags is null ? Array.Empty<KeyValuePair<string, string>>() : tags;
    }

    /// <summary>
    /// A copy of <paramref name="traceState"/> whose <c>dd</c> member carries the new decision: <c>s:</c> set,
    /// <c>t.dm</c> set to <paramref name="decisionMaker"/> (removed when null), origin and other tags kept, <c>p:</c>
    /// dropped; other vendors' members kept after it.
    /// </summary>
    public static string WithDecision(string? traceState, int priority, string? decisionMaker)
    {
        var fields = default(DatadogFields);
        if (TraceStateList.TryGetDatadogMember(traceState, out var member))
        {
            ReadFields(member, ref fields);
        }

        fields.HasPriority = true;
        fields.Priority = priority;
        fields.ReplaceDecisionMaker = true;
        fields.DecisionMaker = decisionMaker;

        Span<char> initial = stackalloc char[256];
        var buffer = new CharBuffer(initial);
        try
        {
            AppendMember(ref buffer, in fields, default);
            TraceStateList.AppendOtherMembers(ref buffer, traceState);
            return buffer.ToString();
        }
        finally
        {
            buffer.Dispose();
        }
    }

    /// <summary>Reads <c>s:</c>, <c>o:</c>, <c>p:</c> and the <c>t.*</c> run of a <c>dd</c> member value.</summary>
    public static void ReadFields(ReadOnlySpan<char> member, ref DatadogFields fields)
    {
        if (TryGetField(member, "s", out var s) && DatadogIds.TryParseInt32(s, out var priority))
        {
            fields.HasPriority = true;
            fields.Priority = priority;
        }

        if (TryGetField(member, "o", out var origin) && !origin.IsEmpty && origin.Length <= DatadogFields.MaxOriginLength)
        {
            fields.Origin = origin;
            fields.OriginIsEncoded = true;
        }

        if (TryGetField(member, "p", out var parent) && DatadogIds.TryParseHex16Lower(parent, out var lastParent))
        {
            fields.HasLastParent = true;
            fields.LastParent = lastParent;
        }

        fields.Tags = member;
        fields.TagsFormat = PropagatedTagsFormat.TraceStateMember;
    }

    /// <summary>
    /// Appends <c>dd=…</c> (nothing when there is nothing to say), preceded by <c>,</c> when the buffer is not empty.
    /// <paramref name="parentId"/> (W3C injection) writes <c>p:</c> and applies the W3C member limit: tags that do not
    /// fit are left out, and <c>t.tid</c> is never written.
    /// </summary>
    public static void AppendMember(ref CharBuffer buffer, scoped in DatadogFields fields, ActivitySpanId parentId)
    {
        var forInjection = parentId != default;
        var start = buffer.Length;
        if (start > 0)
        {
            buffer.Append(',');
        }

        buffer.Append("dd=");
        var valueStart = buffer.Length;
        if (fields.HasPriority)
        {
            buffer.Append("s:");
            buffer.AppendDecimal(fields.Priority);
        }

        if (!fields.Origin.IsEmpty)
        {
            Separator(ref buffer, valueStart);
            buffer.Append("o:");
            PropagatedTags.AppendTraceStateValue(ref buffer, fields.Origin, fields.OriginIsEncoded);
        }

        if (forInjection)
        {
            Separator(ref buffer, valueStart);
            buffer.Append("p:");
            buffer.AppendHex16(DatadogIds.ToUInt64(parentId));
        }

        if (fields.ReplaceDecisionMaker && !string.IsNullOrEmpty(fields.DecisionMaker))
        {
            Separator(ref buffer, valueStart);
            buffer.Append("t.dm:");
            PropagatedTags.AppendTraceStateValue(ref buffer, fields.DecisionMaker, alreadyEncoded: false);
        }

        var tags = new PropagatedTags.Enumerator(fields.Tags, fields.TagsFormat);
        while (tags.MoveNext())
        {
            if ((fields.ReplaceDecisionMaker && tags.Key.SequenceEqual(PropagationTagNames.DecisionMakerKey))
                || (forInjection && tags.Key.SequenceEqual(PropagationTagNames.TraceIdUpperKey)))
            {
                continue;
            }

            var before = buffer.Length;
            Separator(ref buffer, valueStart);
            buffer.Append("t.");
            PropagatedTags.AppendTraceStateKey(ref buffer, tags.Key);
            buffer.Append(':');
            PropagatedTags.AppendTraceStateValue(ref buffer, tags.Value, tags.ValueIsEncoded);
            if (forInjection && buffer.Length - valueStart > MaxMemberValueLength)
            {
                buffer.Truncate(before);
            }
        }

        if (buffer.Length == valueStart)
        {
            buffer.Truncate(start);
        }
    }

    private static void Separator(ref CharBuffer buffer, int valueStart)
    {
        if (buffer.Length > valueStart)
        {
            buffer.Append(';');
        }
    }
}
