// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers;
using System.Text.Json;

namespace Datadog.Otel.Lambda.Payload;

/// <summary>
/// Compact JSON text of a value, as JavaScript's <c>JSON.stringify</c> writes it, cut to a character budget while it
/// is written (a megabyte object costs no more than its first 5000 characters). Iterative with an explicit stack, so
/// any nesting the document holds is safe.
/// </summary>
/// <remarks>
/// Differences from <c>JSON.stringify</c>, all deliberate: numbers keep their source spelling (<c>1.0</c> stays
/// <c>1.0</c>, big integers keep every digit); members keep document order and duplicates (JavaScript objects
/// put integer-like keys first and keep the last duplicate); and the value of a sensitive member
/// (<see cref="RedactionRules"/>) is written as <c>"redacted"</c>, and every string goes through <see cref="SecretText"/>,
/// because a secret nested below the maximum depth is still a secret.
/// </remarks>
internal static class CompactJsonText
{
    public static string Write(JsonElement value, int maxChars, RedactionRules rules)
    {
        var writer = new BoundedWriter(maxChars);
        Frame[]? frames = null;
        var depth = 0;
        try
        {
            if (!WriteValueOrOpen(ref writer, value, rules, out var opened))
            {
                return writer.ToString();
            }

            if (opened is { } first)
            {
                frames = ArrayPool<Frame>.Shared.Rent(16);
                frames[depth++] = first;
            }

            while (depth > 0 && !writer.IsFull)
            {
                ref var frame = ref frames![depth - 1];
                Frame? child;
                if (frame.IsObject)
                {
                    if (!frame.Members.MoveNext())
                    {
                        writer.Append('}');
                        depth--;
                        continue;
                    }

                    var member = frame.Members.Current;
                    if (frame.Count++ > 0)
                    {
                        writer.Append(',');
                    }

                    var name = member.Name;
                    writer.AppendQuoted(name);
                    writer.Append(':');
                    if (rules.IsSensitiveLastSegment(name))
                    {
                        writer.AppendQuoted(PayloadTagValues.Redacted);
                        continue;
                    }

                    WriteValueOrOpen(ref writer, member.Value, rules, out child);
                }
                else
                {
                    if (!frame.Items.MoveNext())
                    {
                        writer.Append(']');
                        depth--;
                        continue;
                    }

                    if (frame.Count++ > 0)
                    {
                        writer.Append(',');
                    }

                    WriteValueOrOpen(ref writer, frame.Items.Current, rules, out child);
                }

                if (child is { } opened2)
                {
                    if (depth == frames.Length)
                    {
                        var larger = ArrayPool<Frame>.Shared.Rent(frames.Length * 2);
                        frames.AsSpan(0, depth).CopyTo(larger);
                        ArrayPool<Frame>.Shared.Return(frames, clearArray: true);
                        frames = larger;
                    }

                    frames[depth++] = opened2;
                }
            }

            return writer.ToString();
        }
        finally
        {
            if (frames is not null)
            {
                ArrayPool<Frame>.Shared.Return(frames, clearArray: true);
            }

            writer.Dispose();
        }
    }

    // Writes a scalar, or the opening bracket of a container and returns its frame; false when nothing can be written.
    private static bool WriteValueOrOpen(ref BoundedWriter writer, JsonElement value, RedactionRules rules, out Frame? opened)
    {
        opened = null;
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.Append('{');
                opened = new Frame { IsObject = true, Members = value.EnumerateObject() };
                return true;
            case JsonValueKind.Array:
                writer.Append('[');
                opened = new Frame { Items = value.EnumerateArray() };
                return true;
            case JsonValueKind.String:
                writer.AppendQuoted(SecretText.Scrub(value.GetString()!, rules, writer.Remaining));
                return true;
            case JsonValueKind.Number:
                writer.Append(value.GetRawText());
                return true;
            case JsonValueKind.True:
                writer.Append(PayloadTagValues.True);
                return true;
            case JsonValueKind.False:
                writer.Append(PayloadTagValues.False);
                return true;
            case JsonValueKind.Null:
                writer.Append(PayloadTagValues.Null);
                return true;
            default:
                return false;
        }
    }

    private struct Frame
    {
        public bool IsObject;
        public int Count;
        public JsonElement.ObjectEnumerator Members;
        public JsonElement.ArrayEnumerator Items;
    }

    /// <summary>A pooled buffer that stops accepting characters once it holds the budget.</summary>
    private struct BoundedWriter : IDisposable
    {
        private const string Hex = "0123456789abcdef";
        private readonly int max;
        private char[] buffer;
        private int length;

        public BoundedWriter(int max)
        {
            this.max = max;
            buffer = ArrayPool<char>.Shared.Rent(Math.Min(max, 256) + 8);
        }

        public readonly bool IsFull => length >= max;

        public readonly int Remaining => Math.Max(0, max - length);

        public void Append(char c)
        {
            if (length < max)
            {
                Ensure(1);
                buffer[length++] = c;
            }
        }

        public void Append(string text)
        {
            foreach (var c in text)
            {
                if (IsFull)
                {
                    return;
                }

                Append(c);
            }
        }

        /// <summary>A JSON string literal with <c>JSON.stringify</c>'s escapes (lone surrogates as <c>\udxxx</c>).</summary>
        public void AppendQuoted(string text)
        {
            Append('"');
            for (var i = 0; i < text.Length && !IsFull; i++)
            {
                var c = text[i];
                switch (c)
                {
                    case '"':
                        AppendEscape('"');
                        break;
                    case '\\':
                        AppendEscape('\\');
                        break;
                    case '\b':
                        AppendEscape('b');
                        break;
                    case '\f':
                        AppendEscape('f');
                        break;
                    case '\n':
                        AppendEscape('n');
                        break;
                    case '\r':
                        AppendEscape('r');
                        break;
                    case '\t':
                        AppendEscape('t');
                        break;
                    default:
                        if (c < ' ' || (char.IsSurrogate(c) && !IsPairAt(text, i)))
                        {
                            AppendUnicodeEscape(c);
                        }
                        else if (char.IsHighSurrogate(c))
                        {
                            Append(c);
                            Append(text[++i]);
                        }
                        else
                        {
                            Append(c);
                        }

                        break;
                }
            }

            Append('"');
        }

        /// <summary>The text, cut to the budget without splitting a surrogate pair.</summary>
        public readonly override string ToString()
        {
            var count = length;
            if (count == max && count > 0 && char.IsHighSurrogate(buffer[count - 1]))
            {
                count--;
            }

            return new string(buffer, 0, count);
        }

        public void Dispose()
        {
            if (buffer is not null)
            {
                ArrayPool<char>.Shared.Return(buffer);
                buffer = null!;
            }
        }

        private static bool IsPairAt(string text, int i) =>
            char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);

        private void AppendEscape(char c)
        {
            Append('\\');
            Append(c);
        }

        private void AppendUnicodeEscape(char c)
        {
            Append('\\');
            Append('u');
            Append(Hex[(c >> 12) & 0xF]);
            Append(Hex[(c >> 8) & 0xF]);
            Append(Hex[(c >> 4) & 0xF]);
            Append(Hex[c & 0xF]);
        }

        private void Ensure(int extra)
        {
            if (length + extra <= buffer.Length)
            {
                return;
            }

            var larger = ArrayPool<char>.Shared.Rent(Math.Min(Math.Max(buffer.Length * 2, length + extra), max + 8));
            buffer.AsSpan(0, length).CopyTo(larger);
            ArrayPool<char>.Shared.Return(buffer);
            buffer = larger;
        }
    }
}
