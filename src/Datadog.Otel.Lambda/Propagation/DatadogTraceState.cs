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
/// bits travel in the trace id); <c>e:1</c> marks a context extracted with a <c>_dd.propagation_error</c> (never injected).
/// </summary>
internal static class DatadogTraceState
{
    /// <summary>dd-trace-py's limit of the injected <c>dd</c> member's fields (<c>p:</c> and separators not counted); tags that do not fit are left out.</summary>
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
            TraceStateList.AppendOtherMembers(ref buffer, traceState, reserveDatadog: false);
            return buffer.ToString();
        }
        finally
        {
            buffer.Dispose();
        }
    }

    /// <summary>
    /// Reads <c>s:</c>, <c>o:</c>, <c>p:</c>, <c>e:</c> and the <c>t.*</c> run of a <c>dd</c> member value; a field that
    /// repeats counts with its last value, as in dd-trace-py's dictionary.
    /// </summary>
    public static void ReadFields(ReadOnlySpan<char> member, ref DatadogFields fields)
    {
        ReadOnlySpan<char> s = default;
        ReadOnlySpan<char> origin = default;
        ReadOnlySpan<char> parent = default;
        var hasS = false;
        var hasParent = false;
        var remaining = member;
        while (!remaining.IsEmpty)
        {
            var semicolon = remaining.IndexOf(';');
            var field = semicolon < 0 ? remaining : remaining[..semicolon];
            remaining = semicolon < 0 ? default : remaining[(semicolon + 1)..];
            var colon = field.IndexOf(':');
            if (colon != 1)
            {
                continue;
            }

            var value = field[2..];
            switch (field[0])
            {
                case 's':
                    s = value;
                    hasS = true;
                    break;
                case 'o':
                    origin = value;
                    break;
                case 'p':
                    parent = value;
                    hasParent = true;
                    break;
                case 'e':
                    fields.HasPropagationError = true;
                    break;
            }
        }

        if (hasS && DatadogIds.TryParseInt32(s, out var priority))
        {
            fields.HasPriority = true;
            fields.Priority = priority;
        }

        if (!origin.IsEmpty && origin.Length <= DatadogFields.MaxOriginLength)
        {
            fields.Origin = origin;
            fields.OriginIsEncoded = true;
        }

        if (hasParent && DatadogIds.TryParseHex16Lower(parent, out var lastParent))
        {
            fields.HasLastParent = true;
            fields.LastParent = lastParent;
        }

        fields.Tags = member;
        fields.TagsFormat = PropagatedTagsFormat.TraceStateMember;
    }

    /// <summary>
    /// Whether dd-trace-py reads an incoming <c>dd</c> member at all: every <c>;</c>-separated field has a <c>:</c>, and
    /// <c>s:</c> (its last value) is an integer. Otherwise the whole member is ignored.
    /// </summary>
    public static bool IsWellFormed(ReadOnlySpan<char> member)
    {
        ReadOnlySpan<char> s = default;
        var hasS = false;
        var remaining = member;
        while (true)
        {
            var semicolon = remaining.IndexOf(';');
            var field = semicolon < 0 ? remaining : remaining[..semicolon];
            var colon = field.IndexOf(':');
            if (colon < 0)
            {
                return false;
            }

            if (colon == 1 && field[0] == 's')
            {
                s = field[2..];
                hasS = true;
            }

            if (semicolon < 0)
            {
                return !hasS || DatadogIds.TryParseInt32(s, out _);
            }

            remaining = remaining[(semicolon + 1)..];
        }
    }

    /// <summary>
    /// Appends <c>dd=…</c> (nothing when there is nothing to say), preceded by <c>,</c> when the buffer is not empty:
    /// <c>s:</c>, <c>o:</c>, then <c>t.dm</c> and <c>t.usr.id</c>, then the other tags in order. <paramref name="parentId"/>
    /// (W3C injection) writes <c>p:</c> after <c>o:</c> and applies dd-trace-py's limit: the other tags are added while the
    /// fields other than <c>p:</c> (separators not counted) stay within 256 characters; <c>t.tid</c> is not written
    /// (datadog-extension-otlp.md §4.2). Otherwise (a context's trace state) <c>e:1</c> marks a propagation error.
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

        // dd-trace-py counts the fields it always writes, without separators, towards the 256.
        var counted = buffer.Length - valueStart - (buffer.Length > valueStart && fields.HasPriority && !fields.Origin.IsEmpty ? 1 : 0);
        if (forInjection)
        {
            Separator(ref buffer, valueStart);
            buffer.Append("p:");
            buffer.AppendHex16(DatadogIds.ToUInt64(parentId));
        }
        else if (fields.HasPropagationError)
        {
            Separator(ref buffer, valueStart);
            buffer.Append("e:1");
        }

        // t.dm and t.usr.id first, each once with its last value.
        ReadOnlySpan<char> decisionMaker = default;
        ReadOnlySpan<char> userId = default;
        var tags = new PropagatedTags.Enumerator(fields.Tags, fields.TagsFormat);
        while (tags.MoveNext())
        {
            if (tags.Key.SequenceEqual(PropagationTagNames.DecisionMakerKey))
            {
                decisionMaker = tags.Value;
            }
            else if (tags.Key.SequenceEqual(PropagationTagNames.UserIdKey))
            {
                userId = tags.Value;
            }
        }

        var encoded = tags.ValueIsEncoded;
        if (fields.ReplaceDecisionMaker)
        {
            decisionMaker = fields.DecisionMaker;
            encoded = false;
        }

        if (!decisionMaker.IsEmpty)
        {
            var before = buffer.Length;
            Separator(ref buffer, valueStart);
            buffer.Append("t.dm:");
            PropagatedTags.AppendTraceStateValue(ref buffer, decisionMaker, encoded);
            counted += buffer.Length - before - 1;
        }

        if (!userId.IsEmpty)
        {
            var before = buffer.Length;
            Separator(ref buffer, valueStart);
            buffer.Append("t.usr.id:");
            PropagatedTags.AppendTraceStateValue(ref buffer, userId, tags.ValueIsEncoded);
            counted += buffer.Length - before - 1;
        }

        tags = new PropagatedTags.Enumerator(fields.Tags, fields.TagsFormat);
        while (tags.MoveNext())
        {
            var key = tags.Key;
            if (key.SequenceEqual(PropagationTagNames.DecisionMakerKey)
                || key.SequenceEqual(PropagationTagNames.UserIdKey)
                || ((forInjection || fields.DropTraceIdUpper) && key.SequenceEqual(PropagationTagNames.TraceIdUpperKey)))
            {
                continue;
            }

            var before = buffer.Length;
            Separator(ref buffer, valueStart);
            buffer.Append("t.");
            PropagatedTags.AppendTraceStateKey(ref buffer, key);
            buffer.Append(':');
            PropagatedTags.AppendTraceStateValue(ref buffer, tags.Value, tags.ValueIsEncoded);
            if (forInjection)
            {
                var length = buffer.Length - before - (before > valueStart ? 1 : 0);
                if (counted + length > MaxMemberValueLength)
                {
                    buffer.Truncate(before);
                    continue;
                }

                counted += length;
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
