// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Internal;

namespace Datadog.Otel.Lambda.Propagation;

/// <summary>Where a run of propagated (<c>_dd.p.*</c>) tags comes from, which decides how it is split and decoded.</summary>
internal enum PropagatedTagsFormat
{
    None = 0,

    /// <summary><c>x-datadog-tags</c>: <c>_dd.p.key=value</c> pairs joined by <c>,</c>, values raw.</summary>
    XDatadogTags = 1,

    /// <summary>A tracestate <c>dd</c> member value: <c>t.key:value</c> fields joined by <c>;</c>, values with <c>=</c> written as <c>~</c>.</summary>
    TraceStateMember = 2,
}

/// <summary>
/// Reads and writes Datadog propagated tags in their two wire forms without allocating: the
/// <c>x-datadog-tags</c> header and the <c>t.*</c> fields of the tracestate <c>dd</c> member.
/// Keys are handled without their <c>_dd.p.</c> / <c>t.</c> prefix.
/// </summary>
internal static class PropagatedTags
{
    /// <summary>
    /// Checks an <c>x-datadog-tags</c> value against dd-trace-py's tagset grammar: <c>key=value</c> pairs joined by
    /// <c>,</c>, a trailing <c>,</c> allowed; the key (up to the first <c>=</c>) non-empty, characters 33–126 except
    /// <c>,</c> and <c>=</c>; the value characters 32–126 except <c>,</c>, non-empty once the spaces around it are
    /// stripped. One bad pair makes the whole value invalid.
    /// </summary>
    public static bool IsValidHeader(ReadOnlySpan<char> header)
    {
        var remaining = header;
        while (true)
        {
            var comma = remaining.IndexOf(',');
            var pair = comma < 0 ? remaining : remaining[..comma];
            if (pair.IsEmpty && comma < 0 && remaining.Length != header.Length)
            {
                // A trailing comma after at least one pair.
                return true;
            }

            if (!TryReadHeaderPair(pair, out _, out _))
            {
                return false;
            }

            if (comma < 0)
            {
                return true;
            }

            remaining = remaining[(comma + 1)..];
        }
    }

    /// <summary>One <c>key=value</c> pair of <c>x-datadog-tags</c> by the tagset grammar; the value without the spaces around it.</summary>
    public static bool TryReadHeaderPair(ReadOnlySpan<char> pair, out ReadOnlySpan<char> key, out ReadOnlySpan<char> value)
    {
        var equals = pair.IndexOf('=');
        key = equals <= 0 ? default : pair[..equals];
        value = equals <= 0 ? default : pair[(equals + 1)..].Trim(' ');
        if (equals <= 0 || value.IsEmpty)
        {
            return false;
        }

        foreach (var c in key)
        {
            if (c <= 32 || c > 126 || c == ',')
            {
                return false;
            }
        }

        foreach (var c in pair[(equals + 1)..])
        {
            if (c < 32 || c > 126 || c == ',')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>dd-trace-py's valid <c>_dd.p.dm</c> values: <c>-0</c> to <c>-255</c>, written without leading zeros.</summary>
    public static bool IsValidDecisionMaker(ReadOnlySpan<char> value)
    {
        if (value.Length < 2 || value.Length > 4 || value[0] != '-' || (value[1] == '0' && value.Length > 2))
        {
            return false;
        }

        var number = 0;
        foreach (var c in value[1..])
        {
            if (c < '0' || c > '9')
            {
                return false;
            }

            number = (number * 10) + (c - '0');
        }

        return number <= 255;
    }

    /// <summary>Writes <paramref name="value"/> as a tracestate field value: <c>=</c> → <c>~</c>; <c>,</c> <c>;</c> <c>~</c> and characters outside 0x20–0x7E → <c>_</c>.</summary>
    public static void AppendTraceStateValue(ref CharBuffer buffer, scoped ReadOnlySpan<char> value, bool alreadyEncoded)
    {
        foreach (var c in value)
        {
            if (c == '~' && alreadyEncoded)
            {
                buffer.Append('~');
            }
            else if (c == '=')
            {
                buffer.Append('~');
            }
            else if (c < 0x20 || c > 0x7E || c == ',' || c == ';' || c == '~')
            {
                buffer.Append('_');
            }
            else
            {
                buffer.Append(c);
            }
        }
    }

    /// <summary>Writes a tag key inside the <c>dd</c> member, where <c>,</c> <c>;</c> <c>:</c> <c>=</c> <c>~</c> and spaces would break the syntax.</summary>
    public static void AppendTraceStateKey(ref CharBuffer buffer, scoped ReadOnlySpan<char> key)
    {
        foreach (var c in key)
        {
            buffer.Append(c <= 0x20 || c > 0x7E || c == ',' || c == ';' || c == ':' || c == '=' || c == '~' ? '_' : c);
        }
    }

    /// <summary>Writes a tag value for <c>x-datadog-tags</c>: tracestate values are decoded (<c>~</c> → <c>=</c>).</summary>
    public static void AppendHeaderValue(ref CharBuffer buffer, scoped ReadOnlySpan<char> value, bool fromTraceState)
    {
        foreach (var c in value)
        {
            buffer.Append(fromTraceState && c == '~' ? '=' : (c < 0x20 || c > 0x7E || c == ',' ? '_' : c));
        }
    }

    /// <summary>Writes a tag key for <c>x-datadog-tags</c>.</summary>
    public static void AppendHeaderKey(ref CharBuffer buffer, scoped ReadOnlySpan<char> key)
    {
        foreach (var c in key)
        {
            buffer.Append(c <= 0x20 || c > 0x7E || c == ',' || c == '=' ? '_' : c);
        }
    }

    /// <summary>
    /// Iterates the propagated tags of a run, skipping malformed pairs and the tags that never propagate. A key that
    /// repeats is yielded each time (dd-trace keeps the last; the callers that need one value take the last).
    /// </summary>
    public ref struct Enumerator
    {
        private readonly PropagatedTagsFormat format;
        private ReadOnlySpan<char> remaining;
        private bool done;

        public Enumerator(ReadOnlySpan<char> text, PropagatedTagsFormat format)
        {
            this.format = format;
            remaining = text;
            done = format == PropagatedTagsFormat.None || text.IsEmpty;
            Key = default;
            Value = default;
        }

        /// <summary>The key without its <c>_dd.p.</c> or <c>t.</c> prefix.</summary>
        public ReadOnlySpan<char> Key { get; private set; }

        /// <summary>The value as written in the source (tracestate values still encoded).</summary>
        public ReadOnlySpan<char> Value { get; private set; }

        public readonly bool ValueIsEncoded => format == PropagatedTagsFormat.TraceStateMember;

        public bool MoveNext()
        {
            var separator = format == PropagatedTagsFormat.XDatadogTags ? ',' : ';';
            while (!done)
            {
                var end = remaining.IndexOf(separator);
                ReadOnlySpan<char> item;
                if (end < 0)
                {
                    item = remaining;
                    done = true;
                }
                else
                {
                    item = remaining[..end];
                    remaining = remaining[(end + 1)..];
                }

                if (TryRead(item, out var key, out var value))
                {
                    Key = key;
                    Value = value;
                    return true;
                }
            }

            return false;
        }

        private readonly bool TryRead(ReadOnlySpan<char> item, out ReadOnlySpan<char> key, out ReadOnlySpan<char> value)
        {
            if (format == PropagatedTagsFormat.XDatadogTags)
            {
                if (!TryReadHeaderPair(item, out key, out value) || !key.StartsWith(PropagationTagNames.PropagatedTagPrefix, StringComparison.Ordinal))
                {
                    return false;
                }

                key = key[PropagationTagNames.PropagatedTagPrefix.Length..];
                return !key.IsEmpty && !key.SequenceEqual(PropagationTagNames.UpstreamServicesKey);
            }

            var colon = item.IndexOf(':');
            if (colon <= 2 || !item.StartsWith("t.", StringComparison.Ordinal))
            {
                key = default;
                value = default;
                return false;
            }

            key = item[2..colon];
            value = item[(colon + 1)..];
            return !value.IsEmpty;
        }
    }
}
