// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Internal;

namespace Datadog.Otel.Lambda.Propagation;

/// <summary>
/// The W3C <c>tracestate</c> list (<c>key=value</c> members joined by <c>,</c>, whitespace around members stripped):
/// finding the <c>dd</c> member and copying the other vendors' members with dd-trace-py's limits, so that a hostile
/// header cannot make the kept state (and so every span's trace state) grow with it. The limits: at most 32 members
/// and 512 UTF-8 bytes (commas included); an incoming list's last <c>dd</c> member counts first and is always kept
/// (the other <c>dd</c> members are dropped); when there are too many members, those over 128 characters go first,
/// then the list is cut; a member that does not fit the bytes is skipped when it is over 128 characters (packing
/// goes on), else packing stops. A kept member with a character outside 0x20–0x7E discards the whole list, <c>dd</c>
/// included. Members are not otherwise checked, as in dd-trace-py.
/// </summary>
internal static class TraceStateList
{
    public const string DatadogKey = "dd";

    /// <summary>dd-trace-py's limits of a kept tracestate list.</summary>
    public const int MaxMembers = 32;
    public const int MaxBytes = 512;
    public const int MaxMemberChars = 128;

    /// <summary>Finds the first <c>dd</c> member and returns its value (after <c>dd=</c>): a context's own trace state has one.</summary>
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
    /// Reads an incoming list as dd-trace-py does: false when a kept member (or the <c>dd</c> member) has a character
    /// outside 0x20–0x7E, so that nothing of it is used; else the value of its last <c>dd</c> member, if any.
    /// </summary>
    public static bool TryReadIncoming(ReadOnlySpan<char> traceState, out bool hasDatadog, out ReadOnlySpan<char> datadogValue)
    {
        var kept = new KeptMembers(traceState, reserveDatadog: true);
        hasDatadog = kept.HasDatadog;
        datadogValue = hasDatadog ? kept.DatadogMember[(DatadogKey.Length + 1)..] : default;
        if (hasDatadog && !IsPrintable(kept.DatadogMember))
        {
            return false;
        }

        while (kept.MoveNext())
        {
            if (!IsPrintable(kept.Current))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Appends the kept members other than <c>dd</c>, in order, each preceded by <c>,</c> when the buffer is not empty.
    /// <paramref name="reserveDatadog"/>: the list is an incoming one whose last <c>dd</c> member counts first towards
    /// the limits; otherwise (a context's own trace state, whose <c>dd</c> member is rebuilt) the others are limited on
    /// their own, which keeps a list already limited on extraction as it is. Nothing is appended when a kept member
    /// has a character outside 0x20–0x7E.
    /// </summary>
    public static void AppendOtherMembers(ref CharBuffer buffer, scoped ReadOnlySpan<char> traceState, bool reserveDatadog)
    {
        var start = buffer.Length;
        var kept = new KeptMembers(traceState, reserveDatadog);
        while (kept.MoveNext())
        {
            if (!IsPrintable(kept.Current))
            {
                buffer.Truncate(start);
                return;
            }

            if (buffer.Length > 0)
            {
                buffer.Append(',');
            }

            buffer.Append(kept.Current);
        }
    }

    /// <summary>An incoming list as dd-trace-py keeps it (a span link's tracestate): its last <c>dd</c> member first, then the kept others.</summary>
    public static string? ToKeptList(ReadOnlySpan<char> traceState)
    {
        Span<char> initial = stackalloc char[256];
        var buffer = new CharBuffer(initial);
        try
        {
            var kept = new KeptMembers(traceState, reserveDatadog: true);
            if (kept.HasDatadog)
            {
                buffer.Append(kept.DatadogMember);
            }

            AppendOtherMembers(ref buffer, traceState, reserveDatadog: true);
            return buffer.Length == 0 ? null : buffer.ToString();
        }
        finally
        {
            buffer.Dispose();
        }
    }

    private static bool IsPrintable(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c < 0x20 || c > 0x7E)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsDatadog(ReadOnlySpan<char> member) =>
        member.Length > DatadogKey.Length && member[DatadogKey.Length] == '=' && member.StartsWith(DatadogKey, StringComparison.Ordinal);

    /// <summary>The members other than <c>dd</c> that the limits keep, in order (two passes over the list, no allocation).</summary>
    private ref struct KeptMembers
    {
        private MemberEnumerator members;
        private int excess;
        private int removed;
        private int position;
        private int maxOthers;
        private int bytes;
        private bool any;
        private bool stopped;

        public KeptMembers(ReadOnlySpan<char> traceState, bool reserveDatadog)
        {
            var others = 0;
            DatadogMember = default;
            HasDatadog = false;
            var scan = new MemberEnumerator(traceState);
            while (scan.MoveNext())
            {
                if (IsDatadog(scan.Member))
                {
                    DatadogMember = scan.Member;
                    HasDatadog = true;
                }
                else
                {
                    others++;
                }
            }

            var reserved = reserveDatadog && HasDatadog;
            members = new MemberEnumerator(traceState);
            maxOthers = reserved ? MaxMembers - 1 : MaxMembers;
            excess = Math.Max(0, others - maxOthers);
            removed = 0;
            position = 0;
            bytes = reserved ? System.Text.Encoding.UTF8.GetByteCount(DatadogMember) : 0;
            any = reserved;
            stopped = false;
            Current = default;
        }

        public ReadOnlySpan<char> DatadogMember { get; }

        public bool HasDatadog { get; }

        public ReadOnlySpan<char> Current { get; private set; }

        public bool MoveNext()
        {
            while (!stopped && members.MoveNext())
            {
                var member = members.Member;
                if (IsDatadog(member))
                {
                    continue;
                }

                // Too many members: those over 128 characters go first, then the list is cut.
                if (removed < excess && member.Length > MaxMemberChars)
                {
                    removed++;
                    continue;
                }

                if (position++ >= maxOthers)
                {
                    stopped = true;
                    return false;
                }

                var segment = System.Text.Encoding.UTF8.GetByteCount(member) + (any ? 1 : 0);
                if (bytes + segment <= MaxBytes)
                {
                    bytes += segment;
                    any = true;
                    Current = member;
                    return true;
                }

                if (member.Length <= MaxMemberChars)
                {
                    stopped = true;
                    return false;
                }
            }

            return false;
        }
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

                item = PythonWhitespace.Strip(item);
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
