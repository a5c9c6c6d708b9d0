// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda.Diagnostics;

namespace Datadog.Otel.Lambda.AwsSdk.Injection;

/// <summary>Returns the new JSON token (a quoted string) for a string member's unescaped value, or null to leave it.</summary>
internal delegate byte[]? StringMemberRewrite(ReadOnlySpan<byte> value, out string? skipped);

/// <summary>
/// Rewrites one string member of a marshalled JSON body: of the root object, or of every object of a root array
/// (<c>Entries[*].Detail</c>, <c>Records[*].Data</c>). Everything else is copied byte for byte.
/// <para>
/// With <c>maxBodyBytes</c>, the rewritten body stays within that many bytes: the entry whose rewrite would pass it and
/// every entry after it are left as they are (one diagnostic). The body's JSON bytes are never fewer than what the
/// services count for a batch (escaped or base64 text is longer than the bytes it stands for), so this over-estimates,
/// which only skips injection near the limit.
/// </para>
/// </summary>
internal static class JsonBodyMembers
{
    public static byte[]? Rewrite(byte[] body, ReadOnlySpan<byte> arrayName, ReadOnlySpan<byte> memberName, StringMemberRewrite rewrite, byte[]? whenMissing, string target, int maxBodyBytes = int.MaxValue)
    {
        var room = new Room(maxBodyBytes - (long)body.Length, target);
        var splice = new JsonSplice();
        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        if (arrayName.IsEmpty)
        {
            Entry(ref reader, splice, memberName, rewrite, whenMissing, target, ref room);
        }
        else
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isArray = reader.ValueTextEquals(arrayName);
                reader.Read();
                if (isArray && reader.TokenType == JsonTokenType.StartArray)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                    {
                        Entry(ref reader, splice, memberName, rewrite, whenMissing, target, ref room);
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        return splice.Count == 0 ? null : splice.Apply(body);
    }

    private static void Entry(ref Utf8JsonReader reader, JsonSplice splice, ReadOnlySpan<byte> memberName, StringMemberRewrite rewrite, byte[]? whenMissing, string target, ref Room room)
    {
        var start = (int)reader.TokenStartIndex;
        var found = false;
        var members = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            members = true;
            var isMember = reader.ValueTextEquals(memberName);
            reader.Read();
            if (!isMember)
            {
                reader.Skip();
                continue;
            }

            found = true;
            if (reader.TokenType != JsonTokenType.String || room.Full)
            {
                continue;
            }

            var tokenStart = (int)reader.TokenStartIndex;
            var tokenLength = (int)reader.BytesConsumed - tokenStart;
            byte[]? replacement;
            string? skipped;
            if (reader.ValueIsEscaped)
            {
                var value = new byte[reader.ValueSpan.Length];
                var written = reader.CopyString(value);
                replacement = rewrite(value.AsSpan(0, written), out skipped);
            }
            else
            {
                replacement = rewrite(reader.ValueSpan, out skipped);
            }

            if (replacement is not null)
            {
                if (room.Take(replacement.Length - tokenLength))
                {
                    splice.Replace(tokenStart, tokenLength, replacement);
                }
            }
            else if (skipped is not null)
            {
                Diag.InjectionSkipped(target, skipped);
            }
        }

        if (!found && whenMissing is not null && !room.Full)
        {
            // whenMissing ends with the comma that separates it from the entry's first member; an entry with no member
            // ({}, an entry with nothing set) takes it without, or the request would not be JSON.
            var inserted = members ? whenMissing : whenMissing[..^1];
            if (room.Take(inserted.Length))
            {
                splice.Insert(start + 1, inserted);
            }
        }
    }

    /// <summary>What the body may still grow by; once an entry does not fit, no later entry is rewritten.</summary>
    private struct Room
    {
        private readonly string target;
        private long bytes;

        public Room(long bytes, string target)
        {
            this.bytes = bytes;
            this.target = target;
        }

        public bool Full { get; private set; }

        public bool Take(int growth)
        {
            if (growth > this.bytes)
            {
                this.Full = true;
                Diag.InjectionSkipped(this.target, "the request would exceed the service's size limit (this entry and the ones after it are sent unchanged)");
                return false;
            }

            this.bytes -= growth;
            return true;
        }
    }
}
