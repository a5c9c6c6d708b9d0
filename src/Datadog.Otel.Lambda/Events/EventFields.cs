// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;

namespace Datadog.Otel.Lambda.Events;

/// <summary>
/// What <see cref="EventReader"/> found for one schema in one document: a field per declared path, and for the records
/// array a set of fields per record read. Reused: taken with <see cref="Rent"/> and given back with <see cref="Return"/> on
/// the same thread once the plan is built (the plan keeps strings, never fields), so reading an event allocates nothing.
/// </summary>
internal sealed class EventFields
{
    /// <summary>Instances kept per thread: the event's, and the few documents nested in it read at the same time.</summary>
    private const int PerThread = 4;

    /// <summary>Records whose fields the event's one pass keeps (an SQS batch is 10 by default); later ones are read again when asked for.</summary>
    internal const int RecordsRead = 32;

    /// <summary>Records of one event that tracing looks at, at most: Lambda's largest batch (SQS, Kinesis, DynamoDB Streams).</summary>
    internal const int MaxRecords = 10_000;

    [ThreadStatic]
    private static EventFields?[]? cache;

    private EventField[] fields = [];
    private EventField[] records = [];
    private int[] recordStarts = [];
    private int[] recordLengths = [];
    private int recordFieldCount;
    private EventSchema? recordSchema;
    private JsonReaderOptions options;
    private int reread = -1;

    public ReadOnlyMemory<byte> Json { get; private set; }

    /// <summary>Gets the kind of the document's root value (<see cref="JsonTokenType.None"/> when it was not read).</summary>
    public JsonTokenType RootKind { get; internal set; }

    /// <summary>Gets the number of records found (at most <see cref="MaxRecords"/>): <see cref="Record"/> reads any of them.</summary>
    public int RecordCount { get; internal set; }

    /// <summary>Gets the fields of the document's root.</summary>
    public EventView Root => new(this.Json, this.fields, 0);

    public static EventFields Rent(EventSchema schema, ReadOnlyMemory<byte> json)
    {
        var pool = cache ??= new EventFields?[PerThread];
        EventFields? fields = null;
        for (var i = 0; i < pool.Length; i++)
        {
            if (pool[i] is { } cached)
            {
                fields = cached;
                pool[i] = null;
                break;
            }
        }

        fields ??= new EventFields();
        fields.Reset(schema, json);
        return fields;
    }

    /// <summary>Notes how the document is read (a record read later is read the same way).</summary>
    internal void SetOptions(JsonReaderOptions readerOptions)
    {
        this.options = readerOptions;
    }

    /// <summary>Gives the instance back for reuse (it must not be read afterwards).</summary>
    public void Return()
    {
        this.Json = default;
        var pool = cache ??= new EventFields?[PerThread];
        for (var i = 0; i < pool.Length; i++)
        {
            if (pool[i] is null)
            {
                pool[i] = this;
                return;
            }
        }
    }

    /// <summary>
    /// The fields of record <paramref name="index"/> (below <see cref="RecordCount"/>). The first <see cref="RecordsRead"/>
    /// were read with the event; a later one is read now, into fields that the next such call reuses.
    /// </summary>
    public EventView Record(int index)
    {
        if (index < RecordsRead)
        {
            return new(this.Json, this.records, index * this.recordFieldCount);
        }

        if (this.reread != index)
        {
            var json = this.Json.Slice(this.recordStarts[index], this.recordLengths[index]);
            var target = this.records.AsSpan(RecordsRead * this.recordFieldCount, this.recordFieldCount);
            EventReader.ReadRecord(json.Span, this.recordStarts[index], this.recordSchema!, target, this.options);
            this.reread = index;
        }

        return new(this.Json, this.records, RecordsRead * this.recordFieldCount);
    }

    internal Span<EventField> RootFields => this.fields;

    internal Span<EventField> RecordFields(int index) => this.records.AsSpan(index * this.recordFieldCount, this.recordFieldCount);

    /// <summary>Makes room for the fields of record <paramref name="index"/> (below <see cref="RecordsRead"/>), cleared.</summary>
    internal void EnsureRecord(int index)
    {
        var needed = (index + 1) * this.recordFieldCount;
        if (needed > this.records.Length)
        {
            // One set more than the records read: the set a later record is read into.
            var grown = new EventField[Math.Max(needed, Math.Min(this.records.Length * 2, (RecordsRead + 1) * this.recordFieldCount))];
            this.records.AsSpan(0, index * this.recordFieldCount).CopyTo(grown);
            this.records = grown;
        }

        this.records.AsSpan(index * this.recordFieldCount, this.recordFieldCount).Clear();
    }

    /// <summary>Notes where record <paramref name="index"/> is in the event (its whole text).</summary>
    internal void SetRecordText(int index, int start, int length)
    {
        if (index >= this.recordStarts.Length)
        {
            var size = Math.Min(Math.Max(64, this.recordStarts.Length * 2), MaxRecords);
            Array.Resize(ref this.recordStarts, size);
            Array.Resize(ref this.recordLengths, size);
        }

        this.recordStarts[index] = start;
        this.recordLengths[index] = length;
    }

    /// <summary>Makes room for the set of fields a later record is read into.</summary>
    internal void EnsureRereadRecord()
    {
        var needed = (RecordsRead + 1) * this.recordFieldCount;
        if (needed > this.records.Length)
        {
            var grown = new EventField[needed];
            this.records.AsSpan().CopyTo(grown);
            this.records = grown;
        }
    }

    private void Reset(EventSchema schema, ReadOnlyMemory<byte> json)
    {
        this.Json = json;
        this.RootKind = JsonTokenType.None;
        this.RecordCount = 0;
        this.recordSchema = schema.Records;
        this.reread = -1;
        if (this.fields.Length < schema.FieldCount)
        {
            this.fields = new EventField[schema.FieldCount];
        }
        else
        {
            this.fields.AsSpan().Clear();
        }

        this.recordFieldCount = schema.Records?.FieldCount ?? 0;
        if (this.recordFieldCount > 0 && this.records.Length < this.recordFieldCount)
        {
            // Room for one record to start with; it grows to the records read (and stays, for the next event).
            this.records = new EventField[this.recordFieldCount];
        }
    }
}
