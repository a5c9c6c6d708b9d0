// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;

namespace Datadog.Otel.Lambda.Events;

/// <summary>
/// The values read for one object (the document's root, or one record) through the fields its schema declared, with
/// the tolerant reads tracing needs: a missing member, or one of another kind than asked, reads as absent. Strings are
/// made only when asked for.
/// </summary>
internal readonly struct EventView
{
    private readonly ReadOnlyMemory<byte> json;
    private readonly EventField[] fields;
    private readonly int offset;

    public EventView(ReadOnlyMemory<byte> json, EventField[] fields, int offset)
    {
        this.json = json;
        this.fields = fields;
        this.offset = offset;
    }

    public JsonTokenType Kind(int field) => this.fields[this.offset + field].Kind;

    public bool Has(int field) => this.Kind(field) != JsonTokenType.None;

    public bool IsObject(int field) => this.Kind(field) == JsonTokenType.StartObject;

    public bool IsArray(int field) => this.Kind(field) == JsonTokenType.StartArray;

    public bool IsString(int field) => this.Kind(field) == JsonTokenType.String;

    /// <summary>Elements of an array (or members of an object) the reader walked into; -1 when it did not count them.</summary>
    public int Count(int field) => this.fields[this.offset + field].Count;

    /// <summary>The value's text: between the quotes for a string, brackets included for an object or array.</summary>
    public ReadOnlySpan<byte> Raw(int field)
    {
        ref readonly var value = ref this.fields[this.offset + field];
        return value.Kind == JsonTokenType.None ? default : this.json.Span.Slice(value.Start, value.Length);
    }

    public ReadOnlyMemory<byte> RawMemory(int field)
    {
        ref readonly var value = ref this.fields[this.offset + field];
        return value.Kind == JsonTokenType.None ? default : this.json.Slice(value.Start, value.Length);
    }

    public bool IsEscaped(int field) => this.fields[this.offset + field].Escaped;

    /// <summary>A string member's text; null when absent or not a string.</summary>
    public string? String(int field)
    {
        ref readonly var value = ref this.fields[this.offset + field];
        return value.Kind == JsonTokenType.String ? JsonText.GetString(this.json.Span.Slice(value.Start, value.Length), value.Escaped) : null;
    }

    /// <summary>Whether a string member equals <paramref name="expected"/>.</summary>
    public bool StringEquals(int field, ReadOnlySpan<byte> expected)
    {
        ref readonly var value = ref this.fields[this.offset + field];
        return value.Kind == JsonTokenType.String && JsonText.StringEquals(this.json.Span.Slice(value.Start, value.Length), value.Escaped, expected);
    }

    /// <summary>A scalar as text: strings as they are, numbers and booleans in their JSON form.</summary>
    public string? ScalarText(int field)
    {
        ref readonly var value = ref this.fields[this.offset + field];
        return JsonText.ScalarText(value.Kind, value.Kind == JsonTokenType.None ? default : this.json.Span.Slice(value.Start, value.Length), value.Escaped);
    }

    /// <summary>A number, or a string holding one (AWS sends some timestamps as strings).</summary>
    public bool TryGetDouble(int field, out double result)
    {
        ref readonly var value = ref this.fields[this.offset + field];
        if (value.Kind is not (JsonTokenType.Number or JsonTokenType.String))
        {
            result = 0;
            return false;
        }

        return JsonText.TryGetDouble(value.Kind, this.json.Span.Slice(value.Start, value.Length), value.Escaped, out result);
    }

    /// <summary>True when the member exists and is not null, false, an empty string, or an empty object or array (Python's truthiness).</summary>
    public bool IsTruthy(int field)
    {
        ref readonly var value = ref this.fields[this.offset + field];
        return value.Kind switch
        {
            JsonTokenType.String => value.Length > 0,
            JsonTokenType.StartObject or JsonTokenType.StartArray => value.Count >= 0 ? value.Count > 0 : !JsonText.IsEmptyContainer(this.json.Span.Slice(value.Start, value.Length)),
            JsonTokenType.Number or JsonTokenType.True => true,
            _ => false,
        };
    }
}
