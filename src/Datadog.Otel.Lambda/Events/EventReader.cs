// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;

namespace Datadog.Otel.Lambda.Events;

/// <summary>
/// Reads a JSON document once, forward, with a <see cref="Utf8JsonReader"/>, and records where the members an
/// <see cref="EventSchema"/> declares are: no document object, no string, no copy. Members the schema does not name are
/// skipped (their text is still checked: the whole document must be valid JSON, as for a parse). Recursion follows the
/// schema, not the document, so its depth is the schema's. A member that occurs twice counts as its last occurrence
/// (<see cref="JsonElement.TryGetProperty(string, out JsonElement)"/> finds the last one too).
/// </summary>
internal static class EventReader
{
    /// <summary>How events are read: as deep as tracing parses them, comments skipped.</summary>
    public static readonly JsonReaderOptions EventOptions = new() { MaxDepth = 256, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>How JSON held in an event's strings is read (a message body, a <c>_datadog</c> attribute): the parser's defaults.</summary>
    public static readonly JsonReaderOptions EmbeddedOptions = default;

    /// <summary>Longest member name compared after unescaping (every name a schema declares is shorter).</summary>
    private const int MaxEscapedName = 128;

    /// <summary>
    /// Reads <paramref name="json"/> into <paramref name="fields"/>. Returns false when it is not one valid JSON value;
    /// the fields are then meaningless. Never throws.
    /// </summary>
    public static bool Read(ReadOnlySpan<byte> json, EventSchema schema, EventFields fields, JsonReaderOptions options) =>
        Read(json, schema, fields, options, out _);

    /// <summary>As <see cref="Read(ReadOnlySpan{byte}, EventSchema, EventFields, JsonReaderOptions)"/>, with why the text is not JSON.</summary>
    public static bool Read(ReadOnlySpan<byte> json, EventSchema schema, EventFields fields, JsonReaderOptions options, out JsonException? error)
    {
        error = null;
        try
        {
            fields.SetOptions(options);
            var reader = new Utf8JsonReader(json, options);
            if (!reader.Read())
            {
                return false;
            }

            fields.RootKind = reader.TokenType;
            var state = new ReadState(schema, fields, 0);
            ReadValue(ref reader, schema.Root, fields.RootFields, ref state);

            // Only whitespace (and comments) may follow the value; the reader throws on anything else.
            while (reader.Read())
            {
            }

            return true;
        }
        catch (JsonException ex)
        {
            error = ex;
            fields.RootKind = JsonTokenType.None;
            fields.RecordCount = 0;
            return false;
        }
    }

    private static void ReadValue(ref Utf8JsonReader reader, EventSchema.Node node, Span<EventField> target, ref ReadState state)
    {
        foreach (var below in node.Descendants)
        {
            target[below] = default;
        }

        var kind = reader.TokenType;
        var field = node.Field;
        if (kind is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            var start = (int)reader.TokenStartIndex;
            var count = -1;
            if (kind == JsonTokenType.StartObject && node.Children.Length > 0)
            {
                count = ReadObject(ref reader, node, target, ref state);
            }
            else if (kind == JsonTokenType.StartArray && node.IsRecords && state.Schema.Records is { } records && state.Fields is not null)
            {
                count = ReadRecords(ref reader, records, ref state);
            }
            else if (kind == JsonTokenType.StartArray && node.FirstElementChild is { } first)
            {
                count = ReadFirstElement(ref reader, first, target, ref state);
            }
            else
            {
                reader.Skip();
            }

            if (field >= 0)
            {
                target[field] = new EventField { Start = state.Base + start, Length = (int)reader.TokenStartIndex + 1 - start, Count = count, Kind = kind };
            }

            return;
        }

        if (field < 0)
        {
            return;
        }

        var length = reader.ValueSpan.Length;
        var at = (int)reader.TokenStartIndex + (kind == JsonTokenType.String ? 1 : 0);
        target[field] = new EventField { Start = state.Base + at, Length = length, Count = -1, Kind = kind, Escaped = reader.ValueIsEscaped };
    }

    private static int ReadObject(ref Utf8JsonReader reader, EventSchema.Node node, Span<EventField> target, ref ReadState state)
    {
        var members = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            members++;
            var child = Find(ref reader, node);
            reader.Read();
            if (child is null)
            {
                reader.Skip();
                continue;
            }

            ReadValue(ref reader, child, target, ref state);
        }

        return members;
    }

    private static int ReadFirstElement(ref Utf8JsonReader reader, EventSchema.Node first, Span<EventField> target, ref ReadState state)
    {
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (count == 0)
            {
                ReadValue(ref reader, first, target, ref state);
            }
            else
            {
                reader.Skip();
            }

            count++;
        }

        return count;
    }

    /// <summary>Reads one record's text again (a record after the first <see cref="EventFields.RecordsRead"/>) into <paramref name="target"/>.</summary>
    public static void ReadRecord(ReadOnlySpan<byte> json, int offset, EventSchema records, Span<EventField> target, JsonReaderOptions options)
    {
        target.Clear();
        try
        {
            var reader = new Utf8JsonReader(json, options);
            if (reader.Read())
            {
                var state = new ReadState(records, null, offset);
                ReadValue(ref reader, records.Root, target, ref state);
            }
        }
        catch (JsonException)
        {
            // The whole event was read before: its records are valid JSON.
            target.Clear();
        }
    }

    private static int ReadRecords(ref Utf8JsonReader reader, EventSchema records, ref ReadState state)
    {
        var fields = state.Fields!;
        fields.RecordCount = 0;
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var start = (int)reader.TokenStartIndex;
            if (count < EventFields.RecordsRead)
            {
                fields.EnsureRecord(count);
                var nested = new ReadState(records, fields, state.Base);
                ReadValue(ref reader, records.Root, fields.RecordFields(count), ref nested);
            }
            else
            {
                reader.Skip();
            }

            if (count < EventFields.MaxRecords)
            {
                var end = (int)reader.TokenStartIndex + (reader.TokenType == JsonTokenType.String ? reader.ValueSpan.Length + 2 : reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray ? 1 : reader.ValueSpan.Length);
                fields.SetRecordText(count, state.Base + start, end - start);
                fields.RecordCount = count + 1;
            }

            count++;
        }

        if (count > EventFields.RecordsRead)
        {
            fields.EnsureRereadRecord();
        }

        return count;
    }

    private static EventSchema.Node? Find(ref Utf8JsonReader reader, EventSchema.Node node)
    {
        if (!reader.ValueIsEscaped)
        {
            return node.Find(reader.ValueSpan);
        }

        if (reader.ValueSpan.Length > MaxEscapedName)
        {
            return null;
        }

        Span<byte> name = stackalloc byte[MaxEscapedName];
        var length = JsonText.Unescape(reader.ValueSpan, name);
        return node.Find(name[..length]);
    }

    private readonly ref struct ReadState
    {
        public ReadState(EventSchema schema, EventFields? fields, int offset)
        {
            this.Schema = schema;
            this.Fields = fields;
            this.Base = offset;
        }

        public EventSchema Schema { get; }

        /// <summary>Gets where records go (null when reading one record again).</summary>
        public EventFields? Fields { get; }

        /// <summary>Gets the offset of the text being read within the document the fields point into.</summary>
        public int Base { get; }
    }
}
