// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text.Json;
using Datadog.Otel.Lambda.Internal;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// Everything tracing reads from an event: its source, the tags it puts on <c>aws.lambda</c> and its inferred spans.
/// Owns the documents of JSON embedded in the event (message bodies) until disposed at the end of the invocation's start.
/// </summary>
internal sealed class TriggerDescription : IDisposable
{
    /// <summary>Embedded JSON larger than this is not parsed (SQS and EventBridge payloads are at most 1 MB).</summary>
    private const int MaxEmbeddedJsonChars = 1 << 20;

    private List<JsonDocument>? owned;
    private int firstBodyState;
    private JsonElement firstBody;

    public static readonly TriggerDescription None = new(TriggerKind.Unknown, default);

    public TriggerDescription(TriggerKind kind, JsonElement root)
    {
        this.Kind = kind;
        this.Root = root;
    }

    public TriggerKind Kind { get; }

    /// <summary>Gets the event (valid only while the invocation's event buffer is alive, i.e. during the start of the invocation).</summary>
    public JsonElement Root { get; }

    public string? EventSourceArn { get; set; }

    /// <summary>Gets the tags the trigger adds to <c>aws.lambda</c> (HTTP tags, trigger tags).</summary>
    public List<KeyValuePair<string, object?>> LambdaTags { get; } = new();

    /// <summary>Gets the inferred spans, outermost first (e.g. <c>aws.sns</c> then <c>aws.sqs</c>).</summary>
    public List<InferredSpanSpec> InferredSpans { get; } = new();

    /// <summary>Gets the trace headers a Lambda authorizer injected for this request (decoded), when they apply.</summary>
    public JsonElement? AuthorizerHeaders { get; set; }

    /// <summary>Gets the span pointers of the records (S3 objects, DynamoDB items), linked from the root-most span.</summary>
    public List<ActivityLink>? SpanPointers { get; set; }

    /// <summary>Gets the API Gateway request id, echoed in authorizer responses.</summary>
    public string? RequestId { get; set; }

    /// <summary>
    /// Gets the Lambda invocation's request id: Datadog's libraries tag it as <c>request_id</c> on the HTTP inferred spans
    /// (not API Gateway's own <see cref="RequestId"/>).
    /// </summary>
    public string? InvocationRequestId { get; init; }

    /// <summary>Parses a string member that holds a JSON object (an SQS body, a <c>_datadog</c> attribute). Never throws.</summary>
    public bool TryParseEmbeddedObject(JsonElement stringElement, out JsonElement value)
    {
        value = default;
        if (stringElement.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        var text = stringElement.GetString();
        return text is not null && this.TryParseObject(text, out value);
    }

    /// <summary>
    /// The JSON object in an SQS record's body when it can be an SNS or EventBridge envelope (the only bodies tracing
    /// reads). The first record's body is parsed once for both the inferred spans and the context extraction.
    /// </summary>
    public bool TryParseRecordBody(JsonElement record, bool firstRecord, out JsonElement body)
    {
        if (firstRecord && this.firstBodyState != 0)
        {
            body = this.firstBody;
            return this.firstBodyState == 1;
        }

        body = default;
        var parsed = record.TryGet("body", out var raw) && raw.ValueKind == JsonValueKind.String && MayBeEnvelope(raw)
            && this.TryParseEmbeddedObject(raw, out body);
        if (firstRecord)
        {
            this.firstBody = body;
            this.firstBodyState = parsed ? 1 : 2;
        }

        return parsed;
    }

    /// <summary>The first record's body, see <see cref="TryParseRecordBody"/>.</summary>
    public bool TryParseFirstRecordBody(JsonElement record, out JsonElement body) => this.TryParseRecordBody(record, firstRecord: true, out body);

    /// <summary>Parses JSON text that should be an object. Never throws.</summary>
    public bool TryParseObject(string text, out JsonElement value)
    {
        value = default;
        var start = 0;
        while (start < text.Length && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        if (start >= text.Length || text[start] != '{' || text.Length > MaxEmbeddedJsonChars)
        {
            return false;
        }

        try
        {
            var document = Internal.SafeJson.Parse(text);
            (this.owned ??= new List<JsonDocument>()).Add(document);
            value = document.RootElement;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Parses UTF-8 bytes that should hold a JSON object (decoded base64 attributes and records). Never throws.</summary>
    public bool TryParseObject(ReadOnlyMemory<byte> utf8, out JsonElement value)
    {
        value = default;
        var span = utf8.Span;
        var start = 0;
        while (start < span.Length && (span[start] == (byte)' ' || span[start] == (byte)'\n' || span[start] == (byte)'\r' || span[start] == (byte)'\t'))
        {
            start++;
        }

        if (start >= span.Length || span[start] != (byte)'{' || span.Length > MaxEmbeddedJsonChars)
        {
            return false;
        }

        try
        {
            var document = Internal.SafeJson.Parse(utf8);
            (this.owned ??= new List<JsonDocument>()).Add(document);
            value = document.RootElement;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // Application bodies are the common case: they are recognized without parsing (without a copy on .NET 9+). Member
    // names written with \u escapes are not recognized; no AWS service writes them that way.
    private static bool MayBeEnvelope(JsonElement stringElement)
    {
#if NET9_0_OR_GREATER
        var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(stringElement);
        return raw.IndexOf("TopicArn"u8) >= 0 || raw.IndexOf("detail-type"u8) >= 0;
#else
        var text = stringElement.GetString();
        return text is not null && (text.Contains("TopicArn", StringComparison.Ordinal) || text.Contains("detail-type", StringComparison.Ordinal));
#endif
    }

    public void Dispose()
    {
        if (this.owned is null)
        {
            return;
        }

        foreach (var document in this.owned)
        {
            document.Dispose();
        }

        this.owned = null;
    }

    public void Tag(string key, object? value)
    {
        if (value is not null)
        {
            this.LambdaTags.Add(new(key, value));
        }
    }
}
