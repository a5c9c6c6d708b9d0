// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Datadog.Otel.Lambda.Events;
using Datadog.Otel.Lambda.Extraction;
using Datadog.Otel.Lambda.Internal;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// A source's workspace for one event: what it reads (the event's fields, the settings, the function) and what it writes
/// (the trigger's tags, inferred spans, span pointers, the upstream context of its carrier). Buffers that decoded text is
/// read from (message bodies, base64 attributes) and the header maps over them live until <see cref="Clear"/>, when the
/// plan is built. One per thread, reused: nothing in it outlives the plan.
/// </summary>
internal sealed class TriggerContext
{
    /// <summary>Inferred spans of one invocation, at most (SNS → SQS, or authorizer → API Gateway).</summary>
    public const int MaxInferredSpans = 3;

    [ThreadStatic]
    private static TriggerContext? cached;

    private readonly InferredSpanPlan?[] spans = new InferredSpanPlan?[MaxInferredSpans];
    private readonly List<byte[]> rented = [];
    private readonly List<HeaderMap> maps = [];
    // The header maps of the event's object members, by field (a few per invocation), in an array of a struct of this
    // assembly: a list of value tuples is a generic instantiation that ReadyToRun compiles at run time.
    private FieldMapEntry[] fieldMaps = new FieldMapEntry[4];
    private int fieldMapCount;
    private TagBuffer tags;
    private int spanCount;

    private TriggerContext()
    {
    }

    public TriggerRegistry Registry { get; private set; } = null!;

    public EventFields Fields { get; private set; } = null!;

    public LambdaSettings Settings { get; private set; } = null!;

    public FunctionInfo Function { get; private set; } = null!;

    /// <summary>Gets the Lambda invocation's request id (Datadog's <c>request_id</c> on HTTP inferred spans).</summary>
    public string? InvocationRequestId { get; private set; }

    public ContextExtractor Extractor { get; private set; } = null!;

    /// <summary>Gets a value indicating whether the event's carrier is read (false when a custom extractor replaces it).</summary>
    public bool ExtractsFromEvent { get; private set; }

    public EventView Root => this.Fields.Root;

    /// <summary>Gets a value indicating whether the event is an object with a <c>Records</c> array whose first element is an object.</summary>
    public bool HasFirstRecord => this.Fields.RootKind == JsonTokenType.StartObject && this.Root.IsArray(this.Registry.Schema.Records)
        && this.Fields.RecordCount > 0 && this.FirstRecord.IsObject(this.Registry.Schema.RecordSelf);

    public EventView FirstRecord => this.Fields.Record(0);

    /// <summary>Gets the number of elements of the <c>Records</c> array (0 when there is none).</summary>
    public int RecordCount => this.Root.IsArray(this.Registry.Schema.Records) ? this.Root.Count(this.Registry.Schema.Records) : 0;

    public string? EventSourceArn { get; set; }

    /// <summary>Gets or sets API Gateway's request id, echoed in an authorizer's response.</summary>
    public string? ApiRequestId { get; set; }

    /// <summary>Gets or sets the trace context the event's carrier holds.</summary>
    public UpstreamContext? Upstream { get; set; }

    /// <summary>Gets the span pointers of the records (S3 objects, DynamoDB items), linked from the root-most span.</summary>
    public List<ActivityLink>? SpanPointers { get; set; }

    public int InferredSpanCount => this.spanCount;

    public static TriggerContext Rent(TriggerRegistry registry, EventFields fields, LambdaSettings settings, FunctionInfo function, string? invocationRequestId, ContextExtractor extractor, bool extractsFromEvent)
    {
        var context = cached ?? new TriggerContext();
        cached = null;
        context.Registry = registry;
        context.Fields = fields;
        context.Settings = settings;
        context.Function = function;
        context.InvocationRequestId = invocationRequestId;
        context.Extractor = extractor;
        context.ExtractsFromEvent = extractsFromEvent;
        return context;
    }

    /// <summary>A tag of the trigger on <c>aws.lambda</c>; a null value is none.</summary>
    public void Tag(string key, object? value) => this.tags.Add(key, value);

    /// <summary>Adds an inferred span after the ones already there (outermost first).</summary>
    public void AddSpan(InferredSpanPlan span)
    {
        if (this.spanCount < this.spans.Length)
        {
            this.spans[this.spanCount++] = span;
        }
    }

    /// <summary>The trigger's tags on <c>aws.lambda</c>, in order.</summary>
    public KeyValuePair<string, object?>[] TakeTags() => this.tags.ToArray();

    /// <summary>The inferred spans, outermost first.</summary>
    public InferredSpanPlan[] TakeSpans()
    {
        if (this.spanCount == 0)
        {
            return [];
        }

        var result = new InferredSpanPlan[this.spanCount];
        for (var i = 0; i < this.spanCount; i++)
        {
            result[i] = this.spans[i]!;
        }

        return result;
    }

    /// <summary>A buffer for decoded text, kept until the plan is built (header maps read from it).</summary>
    public byte[] RentBuffer(int length)
    {
        var buffer = BoundedBuffers.Rent(length);
        this.rented.Add(buffer);
        return buffer;
    }

    /// <summary>A header map over <paramref name="json"/>, disposed when the plan is built; null when it is not a JSON object.</summary>
    public HeaderMap? Map(ReadOnlyMemory<byte> json, JsonReaderOptions options)
    {
        var map = HeaderMap.Create(json, options);
        if (map is not null)
        {
            this.maps.Add(map);
        }

        return map;
    }

    /// <summary>
    /// The header map of the event's object member <paramref name="field"/>, made once per invocation; null when the
    /// member is not an object.
    /// </summary>
    public HeaderMap? FieldMap(int field)
    {
        for (var i = 0; i < this.fieldMapCount; i++)
        {
            if (this.fieldMaps[i].Field == field)
            {
                return this.fieldMaps[i].Map;
            }
        }

        var created = this.Root.IsObject(field) ? this.Map(this.Root.RawMemory(field), EventReader.EventOptions) : null;
        if (this.fieldMapCount == this.fieldMaps.Length)
        {
            var grown = new FieldMapEntry[this.fieldMaps.Length * 2];
            Array.Copy(this.fieldMaps, grown, this.fieldMapCount);
            this.fieldMaps = grown;
        }

        this.fieldMaps[this.fieldMapCount++] = new FieldMapEntry(field, created);
        return created;
    }

    /// <summary>Marks the maps and buffers made so far (<see cref="ReleaseSince"/>).</summary>
    public (int Maps, int Buffers, int FieldMaps) Mark() => (this.maps.Count, this.rented.Count, this.fieldMapCount);

    /// <summary>
    /// Gives back the maps and buffers made after <paramref name="mark"/>, when nothing kept refers to them: a batch
    /// record's carrier is read, extracted and done with, so the pooled maps serve the next record instead of a new
    /// map (and its entry table) per record.
    /// </summary>
    public void ReleaseSince((int Maps, int Buffers, int FieldMaps) mark)
    {
        if (this.fieldMapCount != mark.FieldMaps)
        {
            // A map cached for the whole invocation was made meanwhile: keep everything until Clear.
            return;
        }

        for (var i = this.maps.Count - 1; i >= mark.Maps; i--)
        {
            this.maps[i].Dispose();
        }

        this.maps.RemoveRange(mark.Maps, this.maps.Count - mark.Maps);
        for (var i = this.rented.Count - 1; i >= mark.Buffers; i--)
        {
            BoundedBuffers.Return(this.rented[i]);
        }

        this.rented.RemoveRange(mark.Buffers, this.rented.Count - mark.Buffers);
    }

    /// <summary>Gives back every buffer and map and forgets the invocation.</summary>
    public void Clear()
    {
        foreach (var map in this.maps)
        {
            map.Dispose();
        }

        this.maps.Clear();
        Array.Clear(this.fieldMaps, 0, this.fieldMapCount);
        this.fieldMapCount = 0;
        foreach (var buffer in this.rented)
        {
            BoundedBuffers.Return(buffer);
        }

        this.rented.Clear();
        this.tags.Release();
        Array.Clear(this.spans);
        this.spanCount = 0;
        this.EventSourceArn = null;
        this.ApiRequestId = null;
        this.Upstream = null;
        this.SpanPointers = null;
        this.Fields = null!;
        this.Settings = null!;
        this.Function = null!;
        this.Extractor = null!;
        cached = this;
    }

    private readonly struct FieldMapEntry(int field, HeaderMap? map)
    {
        public int Field { get; } = field;

        public HeaderMap? Map { get; } = map;
    }
}
