// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Internal;

namespace Datadog.Otel.Lambda.Propagation;

/// <summary>
/// The W3C <c>tracestate</c> list (<c>key=value</c> members joined by <c>,</c>, optional spaces and tabs around
/// members): finding the <c>dd</c> member and copying the other vendors' members, bounded so that a hostile header
/// cannot make the kept state (and so every span's trace state) grow with it.
/// </summary>
internal static class TraceStateList
{
    public const string DatadogKey = "dd";

    /// <summary>W3C: at most 32 members; the <c>dd</c> member takes one.</summary>
    public const int MaxOtherMembers = 31;

    /// <summary>W3C lets vendors cut the list beyond 512 characters; other vendors' members are kept up to this length.</summary>
    public const int MaxOtherMembersLength = 512;

    /// <summary>W3C limits of a member's key and value.</summary>
    public const int MaxKeyLength = 256;
    public const int MaxValueLength = 256;

    /// <summary>Finds the first <c>dd</c> member and returns its value (after <c>dd=</c>).</summary>
    public static bool TryGetDatadogMember(ReadOnlySpan<char> traceState, out ReadOnlySpan<char> value)
    {
        var members = new MemberEnumerator(traceState);
        while (members.MoveNext())
        {
            if (members.Key.SequenceEqual(DatadogKey))
            {
                value = members.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>
    /// Appends the members other than <c>dd</c>, in order, each preceded by <c>,</c> when the buffer is not empty.
    /// Malformed members are skipped; copying stops when a member would exceed the count or length budget.
    /// </summary>
    public static void AppendOtherMembers(ref CharBuffer buffer, scoped ReadOnlySpan<char> traceState)
    {
        var written = 0;
        var writtenLength = 0;
        var members = new MemberEnumerator(traceState);
        while (members.MoveNext())
        {
            if (members.Key.SequenceEqual(DatadogKey) || !IsValidMember(members.Key, members.Value))
            {
                continue;
            }

            var member = members.Member;
            if (written == MaxOtherMembers || writtenLength + member.Length > MaxOtherMembersLength)
            {
                return;
            }

            if (buffer.Length > 0)
            {
                buffer.Append(',');
            }

            buffer.Append(member);
            written++;
            writtenLength += member.Length + 1;
        }
    }

    private static bool IsValidMember(ReadOnlySpan<char> key, ReadOnlySpan<char> value)
    {
        if (key.IsEmpty || key.Length > MaxKeyLength || value.IsEmpty || value.Length > MaxValueLength)
        {
            return false;
        }

        foreach (var c in key)
        {
            if (c <= 0x20 || c > 0x7E || c == '=' || c == ',')
            {
                return false;
            }
        }

        foreach (var c in value)
        {
            if (c < 0x20 || c > 0x7E || c == '=' || c == ',')
            {
                return false;
            }
        }

        // W3C: a value does not end with a space.
        return value[^1] != ' ';
    }

    /// <summary>Iterates list members; <see cref="Key"/> is empty for a member without <c>=</c>.</summary>
    public ref struct MemberEnumerator
    {
        private ReadOnlySpan<char> remaining;
        private bool done;

        public MemberEnumerator(ReadOnlySpan<char> traceState)
        {
            remaining = traceState;
            done = traceState.IsEmpty;
            Member = default;
            Key = default;
            Value = default;
        }

        public ReadOnlySpan<char> Member { get; private set; }

        public ReadOnlySpan<char> Key { get; private set; }

        public ReadOnlySpan<char> Value { get; private set; }

        public bool MoveNext()
        {
            while (!done)
            {
                var comma = remaining.IndexOf(',');
                ReadOnlySpan<char> item;
                if (comma < 0)
                {
                    item = remaining;
                    done = true;
                }
                else
                {
                    item = remaining[..comma];
                    remaining = remaining[(comma + 1)..];
                }

                item = item.Trim(" \t");
                if (item.IsEmpty)
                {
                    continue;
                }

                Member = item;
                var equals = item.IndexOf('=');
                Key = equals < 0 ? default : item[..equals];
                Value = equals < 0 ? default : item[(equals + 1)..];
                return true;
            }

            return false;
        }
    }
}
