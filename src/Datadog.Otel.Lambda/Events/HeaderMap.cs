// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers;
using System.Text;
using System.Text.Json;
using Datadog.Otel.Lambda.Propagation;

namespace Datadog.Otel.Lambda.Events;

/// <summary>
/// The members of one JSON object that carries trace headers (HTTP <c>headers</c> and <c>multiValueHeaders</c>, a decoded
/// <c>_datadog</c> map), listed in one forward pass over its text, read where they are. Header lookups
/// (<see cref="Source"/>) match names case-insensitively, as HTTP does, and take strings, numbers (some producers write the
/// sampling priority as one) and the strings of arrays (multi-value headers); member lookups (<see cref="TryGetMember"/>)
/// match exactly and find the last occurrence, as <see cref="JsonElement.TryGetProperty(string, out JsonElement)"/>
/// does. The lists are rented and given back by <see cref="Dispose"/>; a value is turned into characters only when a
/// header lookup asks for it.
/// </summary>
internal sealed class HeaderMap : IDisposable
{
    /// <summary>Members listed at most: the tokens one bounded parse holds (<see cref="Internal.SafeJson.MaxTokens"/>).</summary>
    private const int MaxEntries = Internal.SafeJson.MaxTokens;

    /// <summary>A list grown past this by a large map is not kept for the next one.</summary>
    private const int KeptEntries = 256;

    /// <summary>Maps kept per thread for reuse: an event's headers and multi-value headers, and a few decoded carriers.</summary>
    private const int PerThread = 4;

    [ThreadStatic]
    private static HeaderMap?[]? cache;

    private Entry[] entries = new Entry[32];
    private char[] chars = [];
    private int charCount;
    private int count;
    private ReadOnlyMemory<byte> json;
    private bool pooled;

    private HeaderMap()
    {
    }

    /// <summary>Gets the text of the object (brackets included).</summary>
    public ReadOnlyMemory<byte> Json => this.json;

    /// <summary>Gets a header source over this map for the propagators.</summary>
    public Source Headers => new(this);

    /// <summary>
    /// Lists the members of the object <paramref name="json"/> (its whole text). Returns null when it is not one valid
    /// JSON object.
    /// </summary>
    public static HeaderMap? Create(ReadOnlyMemory<byte> json, JsonReaderOptions options) => Create(json, options, out _);

    /// <summary>As <see cref="Create(ReadOnlyMemory{byte}, JsonReaderOptions)"/>; <paramref name="isJson"/> tells invalid JSON from JSON that is not an object.</summary>
    public static HeaderMap? Create(ReadOnlyMemory<byte> json, JsonReaderOptions options, out bool isJson)
    {
        var map = Take() ?? new HeaderMap();
        map.Options = options;
        if (map.Fill(json, options, out isJson))
        {
            return map;
        }

        map.Dispose();
        return null;
    }

    /// <summary>Gets how the text was read (and how JSON inside it is read).</summary>
    public JsonReaderOptions Options { get; private set; }

    /// <summary>The last member named exactly <paramref name="name"/>: its kind and raw text (between the quotes for a string).</summary>
    public bool TryGetMember(ReadOnlySpan<byte> name, out JsonTokenType kind, out ReadOnlySpan<byte> raw, out bool escaped)
    {
        for (var i = this.count - 1; i >= 0; i--)
        {
            ref readonly var entry = ref this.entries[i];
            if (!entry.IsArrayItem && this.NameEquals(in entry, name))
            {
                kind = entry.Kind;
                raw = this.json.Span.Slice(entry.ValueStart, entry.ValueLength);
                escaped = entry.ValueEscaped;
                return true;
            }
        }

        kind = JsonTokenType.None;
        raw = default;
        escaped = false;
        return false;
    }

    /// <summary>The last member named exactly <paramref name="name"/> as a scalar's text (strings as they are, numbers and booleans in JSON form).</summary>
    public string? ScalarText(ReadOnlySpan<byte> name) =>
        this.TryGetMember(name, out var kind, out var raw, out var escaped) ? JsonText.ScalarText(kind, raw, escaped) : null;

    /// <summary>Whether the last member named exactly <paramref name="name"/> is the string <paramref name="value"/>.</summary>
    public bool StringEquals(ReadOnlySpan<byte> name, string value)
    {
        if (!this.TryGetMember(name, out var kind, out var raw, out var escaped) || kind != JsonTokenType.String)
        {
            return false;
        }

        if (value.Length > 256)
        {
            return JsonText.StringEquals(raw, escaped, Encoding.UTF8.GetBytes(value));
        }

        Span<byte> expected = stackalloc byte[Encoding.UTF8.GetMaxByteCount(256)];
        return JsonText.StringEquals(raw, escaped, expected[..Encoding.UTF8.GetBytes(value, expected)]);
    }

    /// <summary>The first string member whose name matches <paramref name="name"/> ignoring case (an HTTP header's value).</summary>
    public string? FirstString(string name)
    {
        for (var i = 0; i < this.count; i++)
        {
            ref readonly var entry = ref this.entries[i];
            if (!entry.IsArrayItem && entry.Kind == JsonTokenType.String && this.NameEqualsIgnoreCase(in entry, name))
            {
                return JsonText.GetString(this.json.Span.Slice(entry.ValueStart, entry.ValueLength), entry.ValueEscaped);
            }
        }

        return null;
    }

    /// <summary>
    /// The first element of the first array member whose name matches <paramref name="name"/> ignoring case and whose first
    /// element is a string (a multi-value header's first value).
    /// </summary>
    public string? FirstOfArray(string name)
    {
        for (var i = 0; i < this.count; i++)
        {
            ref readonly var entry = ref this.entries[i];
            if (entry.IsArrayItem || entry.Kind != JsonTokenType.StartArray || !this.NameEqualsIgnoreCase(in entry, name))
            {
                continue;
            }

            if (i + 1 < this.count && this.entries[i + 1] is { IsArrayItem: true, Element: 0 } first)
            {
                return JsonText.GetString(this.json.Span.Slice(first.ValueStart, first.ValueLength), first.ValueEscaped);
            }
        }

        return null;
    }

    /// <summary>Gets the number of members (array items not counted).</summary>
    public bool IsEmpty
    {
        get
        {
            for (var i = 0; i < this.count; i++)
            {
                if (!this.entries[i].IsArrayItem)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>The text of the last object member named <paramref name="name"/> (brackets included); empty when there is none.</summary>
    public ReadOnlyMemory<byte> ObjectMember(ReadOnlySpan<byte> name) =>
        this.TryGetMember(name, out var kind, out _, out _) && kind == JsonTokenType.StartObject ? this.LastMemberMemory(name) : default;

    public void Dispose()
    {
        if (this.pooled)
        {
            return;
        }

        this.pooled = true;
        this.json = default;
        this.count = 0;
        if (this.entries.Length > KeptEntries)
        {
            this.entries = new Entry[32];
        }

        this.charCount = 0;
        if (this.chars.Length > 0)
        {
            ArrayPool<char>.Shared.Return(this.chars);
            this.chars = [];
        }

        var pool = cache ??= new HeaderMap?[PerThread];
        for (var i = 0; i < pool.Length; i++)
        {
            if (pool[i] is null)
            {
                pool[i] = this;
                return;
            }
        }
    }

    private static HeaderMap? Take()
    {
        var pool = cache;
        if (pool is null)
        {
            return null;
        }

        for (var i = 0; i < pool.Length; i++)
        {
            if (pool[i] is { } map)
            {
                pool[i] = null;
                map.pooled = false;
                return map;
            }
        }

        return null;
    }

    private ReadOnlyMemory<byte> LastMemberMemory(ReadOnlySpan<byte> name)
    {
        for (var i = this.count - 1; i >= 0; i--)
        {
            ref readonly var entry = ref this.entries[i];
            if (!entry.IsArrayItem && this.NameEquals(in entry, name))
            {
                return this.json.Slice(entry.ValueStart, entry.ValueLength);
            }
        }

        return default;
    }

    private bool Fill(ReadOnlyMemory<byte> text, JsonReaderOptions options, out bool isJson)
    {
        this.json = text;
        this.count = 0;
        this.charCount = 0;
        isJson = false;
        try
        {
            var reader = new Utf8JsonReader(text.Span, options);
            if (!reader.Read())
            {
                return false;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                while (reader.Read())
                {
                }

                isJson = true;
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var nameStart = (int)reader.TokenStartIndex + 1;
                var nameLength = reader.ValueSpan.Length;
                var nameEscaped = reader.ValueIsEscaped;
                reader.Read();
                var kind = reader.TokenType;
                if (kind is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    var start = (int)reader.TokenStartIndex;
                    var itemsFrom = this.count;
                    this.Add(new Entry(nameStart, nameLength, nameEscaped, kind, start, 0, false, isArrayItem: false));
                    if (kind == JsonTokenType.StartArray)
                    {
                        // Multi-value headers: every string of the array is a value of the header.
                        var element = 0;
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            if (reader.TokenType == JsonTokenType.String)
                            {
                                this.Add(new Entry(nameStart, nameLength, nameEscaped, JsonTokenType.String, (int)reader.TokenStartIndex + 1, reader.ValueSpan.Length, reader.ValueIsEscaped, isArrayItem: true) { Element = element });
                            }
                            else
                            {
                                reader.Skip();
                            }

                            element++;
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }

                    if (itemsFrom < this.count)
                    {
                        this.entries[itemsFrom].ValueLength = (int)reader.TokenStartIndex + 1 - start;
                    }

                    continue;
                }

                var at = (int)reader.TokenStartIndex + (kind == JsonTokenType.String ? 1 : 0);
                this.Add(new Entry(nameStart, nameLength, nameEscaped, kind, at, reader.ValueSpan.Length, reader.ValueIsEscaped, isArrayItem: false));
            }

            while (reader.Read())
            {
            }

            isJson = true;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private void Add(in Entry entry)
    {
        if (this.count == MaxEntries)
        {
            return;
        }

        if (this.count == this.entries.Length)
        {
            Array.Resize(ref this.entries, this.entries.Length * 2);
        }

        this.entries[this.count++] = entry;
    }

    private bool NameEquals(in Entry entry, ReadOnlySpan<byte> name)
    {
        var raw = this.json.Span.Slice(entry.NameStart, entry.NameLength);
        return entry.NameEscaped ? JsonText.StringEquals(raw, escaped: true, name) : raw.SequenceEqual(name);
    }

    private bool NameEqualsIgnoreCase(in Entry entry, string name)
    {
        var raw = this.json.Span.Slice(entry.NameStart, entry.NameLength);
        if (!entry.NameEscaped)
        {
            return raw.Length == name.Length && Ascii.EqualsIgnoreCase(raw, name);
        }

        return string.Equals(JsonText.GetString(raw, escaped: true), name, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A header value as characters, made once per entry (strings unescaped, numbers as written).</summary>
    private ReadOnlySpan<char> Value(int index)
    {
        ref var entry = ref this.entries[index];
        if (entry.CharLength < 0)
        {
            var raw = this.json.Span.Slice(entry.ValueStart, entry.ValueLength);
            if (this.chars.Length == 0)
            {
                // Unescaped UTF-8 never has more characters than the object has bytes.
                this.chars = ArrayPool<char>.Shared.Rent(Math.Max(16, this.json.Length));
            }

            entry.CharStart = this.charCount;
            if (entry.ValueEscaped)
            {
                var text = JsonText.GetString(raw, escaped: true);
                text.CopyTo(this.chars.AsSpan(this.charCount));
                entry.CharLength = text.Length;
            }
            else
            {
                entry.CharLength = Encoding.UTF8.GetChars(raw, this.chars.AsSpan(this.charCount));
            }

            this.charCount += entry.CharLength;
        }

        return this.chars.AsSpan(entry.CharStart, entry.CharLength);
    }

    /// <summary>The header view of a <see cref="HeaderMap"/> (a struct: the propagators' extraction is generic over it).</summary>
    internal readonly struct Source : ITraceHeaderSource
    {
        private readonly HeaderMap map;

        public Source(HeaderMap map)
        {
            this.map = map;
        }

        public int Get(string name, out ReadOnlySpan<char> first)
        {
            first = default;
            var found = 0;
            var map = this.map;
            for (var i = 0; i < map.count; i++)
            {
                ref readonly var entry = ref map.entries[i];
                if (entry.Kind is not (JsonTokenType.String or JsonTokenType.Number) || !map.NameEqualsIgnoreCase(in entry, name))
                {
                    continue;
                }

                if (found == 0)
                {
                    first = map.Value(i);
                }

                if (++found == 2)
                {
                    break;
                }
            }

            return found;
        }

        public string GetJoined(string name, int maxLength)
        {
            StringBuilder? joined = null;
            var map = this.map;
            for (var i = 0; i < map.count; i++)
            {
                ref readonly var entry = ref map.entries[i];
                if (entry.Kind != JsonTokenType.String || !map.NameEqualsIgnoreCase(in entry, name))
                {
                    continue;
                }

                var value = map.Value(i);
                joined ??= new StringBuilder(value.Length);
                var extra = joined.Length == 0 ? value.Length : value.Length + 1;
                if (joined.Length + extra > maxLength)
                {
                    break;
                }

                if (joined.Length > 0)
                {
                    joined.Append(',');
                }

                joined.Append(value);
            }

            return joined?.ToString() ?? string.Empty;
        }
    }

    private struct Entry
    {
        public readonly int NameStart;
        public readonly int NameLength;
        public readonly int ValueStart;
        public readonly JsonTokenType Kind;
        public readonly bool NameEscaped;
        public readonly bool ValueEscaped;
        public readonly bool IsArrayItem;
        public int ValueLength;
        public int CharStart;
        public int CharLength;

        /// <summary>The position of an array item in its array.</summary>
        public int Element;

        public Entry(int nameStart, int nameLength, bool nameEscaped, JsonTokenType kind, int valueStart, int valueLength, bool valueEscaped, bool isArrayItem)
        {
            this.NameStart = nameStart;
            this.NameLength = nameLength;
            this.NameEscaped = nameEscaped;
            this.Kind = kind;
            this.ValueStart = valueStart;
            this.ValueLength = valueLength;
            this.ValueEscaped = valueEscaped;
            this.IsArrayItem = isArrayItem;
            this.CharStart = 0;
            this.CharLength = -1;
            this.Element = 0;
        }
    }
}
