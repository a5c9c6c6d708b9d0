// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Datadog.Otel.Lambda.Diagnostics;
using Datadog.Otel.Lambda.Payload;
using Datadog.Otel.Lambda.Triggers;

namespace Datadog.Otel.Lambda.Invocation;

/// <summary>
/// Reads what tracing needs from a handler's response without changing it. The HTTP status follows Datadog's libraries:
/// no response → <c>502</c> (API Gateway answers a null response with 502); an object with a <c>statusCode</c> (typed, a
/// <see cref="JsonElement"/>, or the serialized response as a seekable stream, a <c>byte[]</c> or a
/// <c>ReadOnlyMemory&lt;byte&gt;</c>) → that code; anything else → <c>200</c>, including a string whatever it holds (the
/// Lambda serializers send it as a JSON string, and Python reads no status from a <c>str</c>). Bytes are the serialized
/// response: the wrapper's own content files hand it over that way (older ASP.NET Core packages as a <c>byte[]</c>, which
/// a newer core must keep reading). Raw responses are read directly; typed ones through the
/// options' <see cref="IJsonTypeInfoResolver"/>, else the typed event's — the status through the property getter; the
/// payload (when captured) and a durable execution's status by serializing once.
/// </summary>
internal static class ResponseInspector
{
    /// <summary>Characters of a response string that is not JSON kept for capture (more than the tag can hold).</summary>
    private const int TextPrefixChars = 16 * 1024;

    private static readonly JsonDocumentOptions ResponseOptions = new() { MaxDepth = PayloadTagValues.MaxEventDepth };
    private static readonly ConcurrentDictionary<Type, byte> UnreadTypes = new();

    /// <summary>Returns the status code when <paramref name="needStatus"/>, and tags the payload when <paramref name="capture"/> is given.</summary>
    public static string? Inspect<TResult>(TResult result, bool hasResult, bool needStatus, LambdaPayloadCaptureSettings? capture, Activity span, IJsonTypeInfoResolver? resolver) =>
        Inspect(result, hasResult, needStatus, needExecutionStatus: false, capture, new ActivityPayloadTagSink(span), resolver, out _);

    /// <summary>
    /// As the other overload; when <paramref name="needExecutionStatus"/>, also the durable execution's status: the
    /// response's <c>Status</c> member (that exact name) when it is <c>SUCCEEDED</c>, <c>FAILED</c> or <c>PENDING</c>
    /// (<see cref="DurableExecutionSource.ExecutionStatus(ReadOnlySpan{char})"/>), read in the same pass as the HTTP status.
    /// </summary>
    public static string? Inspect<TResult, TSink>(TResult result, bool hasResult, bool needStatus, bool needExecutionStatus, LambdaPayloadCaptureSettings? capture, TSink sink, IJsonTypeInfoResolver? resolver, out string? executionStatus)
        where TSink : IPayloadTagSink
    {
        executionStatus = null;
        if (!hasResult || result is null)
        {
            if (capture is not null)
            {
                // Python tags the missing response too (tag_object with None).
                LambdaPayloadTagger.TagNull(LambdaPayloadTagger.ResponsePrefix, capture, sink);
            }

            return needStatus ? "502" : null;
        }

        // A typed response only needs serializing for payload capture or a durable status; its HTTP status comes from the
        // property getter. A durable status is read from the serialized response, as the durable service reads it: the
        // SDK's status is an enum whose converter writes SUCCEEDED for Succeeded.
        if (capture is null && !needExecutionStatus && result is not (JsonElement or Stream or string or byte[] or ReadOnlyMemory<byte>))
        {
            return needStatus ? FromTypedProperty(result, resolver) ?? "200" : null;
        }

        // The Lambda serializers write a string as a JSON string: API Gateway never reads a status code in it, and the
        // libraries read one only from an object. It is still expanded for capture.
        if (capture is null && result is string)
        {
            return needStatus ? "200" : null;
        }

        JsonDocument? owned = null;
        try
        {
            if (!TryGetJson(result, resolver, capture is not null, out var element, out owned, out var rootDepth))
            {
                return needStatus ? "200" : null;
            }

            if (capture is not null)
            {
                LambdaPayloadTagger.Tag(LambdaPayloadTagger.ResponsePrefix, element, capture, sink, depth: rootDepth);
            }

            // Python reads a durable status only from a dict, as the HTTP status: not from a string.
            var raw = result is string;
            if (needExecutionStatus && !raw)
            {
                executionStatus = ExecutionStatusFromElement(element);
            }

            if (!needStatus)
            {
                return null;
            }

            return raw ? "200" : FromElement(element) ?? "200";
        }
        finally
        {
            owned?.Dispose();
        }
    }

    internal static string? FromElement(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (!property.NameEquals("statusCode"))
            {
                continue;
            }

            return property.Value.ValueKind switch
            {
                JsonValueKind.Number when property.Value.TryGetInt64(out var number) => number.ToString(CultureInfo.InvariantCulture),
                JsonValueKind.String => property.Value.GetString(),
                _ => null,
            };
        }

        return null;
    }

    /// <summary>The durable execution status of a JSON response: its last <c>Status</c> member, as a parsed object keeps it.</summary>
    internal static string? ExecutionStatusFromElement(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        string? status = null;
        foreach (var property in element.EnumerateObject())
        {
            if (property.NameEquals("Status"u8))
            {
                status = DurableExecutionSource.ExecutionStatus(property.Value);
            }
        }

        return status;
    }

    /// <summary>
    /// The response as JSON. <paramref name="rootDepth"/> is the depth of its root for capture: 1 for JSON read from a
    /// string (Python's <c>tag_object</c> spends a level on the <c>str</c> before parsing it, as for a JSON string inside
    /// the payload); 0 for a stream or bytes, which hold the serialized response. Bytes that are not JSON become a string
    /// value only for <paramref name="capture"/>: the status alone needs no copy of them.
    /// </summary>
    private static bool TryGetJson<TResult>(TResult result, IJsonTypeInfoResolver? resolver, bool capture, out JsonElement element, out JsonDocument? owned, out int rootDepth)
    {
        owned = null;
        element = default;
        rootDepth = 0;
        switch (result)
        {
            case JsonElement json:
                element = json;
                return true;
            case Stream stream:
                owned = ParseStream(stream, capture);
                break;
            case string text:
                owned = ParseText(text, out rootDepth);
                break;
            case byte[] bytes:
                owned = ParseBytesOrText(bytes, capture, out rootDepth);
                break;
            case ReadOnlyMemory<byte> memory:
                owned = ParseBytesOrText(memory, capture, out rootDepth);
                break;
            default:
                if (resolver is not null && ResolverTypeInfo.Get(resolver, result!.GetType()) is { } typeInfo)
                {
                    owned = ParseTyped(result, typeInfo);
                }

                break;
        }

        if (owned is null)
        {
            return false;
        }

        element = owned.RootElement;
        return true;
    }

    /// <summary>
    /// A seekable stream's bytes from its position (rewound after), parsed as events are: a byte-order mark skipped,
    /// nesting to 256, invalid text repaired, a digest beyond the bounds of one parse (<see cref="Internal.SafeJson"/>).
    /// </summary>
    private static JsonDocument? ParseStream(Stream stream, bool capture)
    {
        if (!stream.CanSeek || stream.Length - stream.Position > InvocationEvent.MaxEventBytes)
        {
            return null;
        }

        var start = stream.Position;
        var length = (int)(stream.Length - start);
        try
        {
            if (stream is MemoryStream memory && memory.TryGetBuffer(out var visible))
            {
                return ParseBytesOrText(visible.AsMemory((int)start, length), capture, out _);
            }

            // The document keeps pointing at the bytes: a plain array, not a pooled one.
            var bytes = GC.AllocateUninitializedArray<byte>(length);
            stream.ReadExactly(bytes);
            return ParseBytesOrText(bytes, capture, out _);
        }
        catch (EndOfStreamException)
        {
            return null;
        }
        finally
        {
            stream.Position = start;
        }
    }

    /// <summary>
    /// A JSON text is parsed (its root one level deep, see <see cref="TryGetJson"/>); any other string is captured as
    /// one string value at the root, which spends that level itself when it is visited.
    /// </summary>
    private static JsonDocument? ParseText(string text, out int rootDepth)
    {
        var trimmed = text.AsSpan().TrimStart();
        if (!trimmed.IsEmpty && (trimmed[0] == '{' || trimmed[0] == '[') && ParseBytes(Encoding.UTF8.GetBytes(text)) is { } json)
        {
            rootDepth = 1;
            return json;
        }

        rootDepth = 0;
        return StringDocument(text);
    }

    /// <summary>
    /// JSON bytes are parsed, as the serialized response (their root at depth 0, as a stream's); other bytes are captured
    /// as their UTF-8 text, as a string that is not JSON.
    /// </summary>
    private static JsonDocument? ParseBytesOrText(ReadOnlyMemory<byte> bytes, bool capture, out int rootDepth)
    {
        rootDepth = 0;
        if (ParseBytes(bytes) is { } json)
        {
            return json;
        }

        if (!capture)
        {
            return null;
        }

        var text = Internal.Utf8Bom.Skip(bytes).Span;

        // At most four bytes a character: this is more than the tag can hold.
        return text.IsEmpty ? null : StringDocument(Encoding.UTF8.GetString(text[..Math.Min(text.Length, 4 * TextPrefixChars)]));
    }

    private static JsonDocument StringDocument(string text)
    {
        // Only the start of the text can be exported (values are cut to 5,000 characters), and never half a surrogate pair.
        if (text.Length > TextPrefixChars)
        {
            text = text[..(char.IsHighSurrogate(text[TextPrefixChars - 1]) ? TextPrefixChars - 1 : TextPrefixChars)];
        }

        var buffer = new ArrayBufferWriter<byte>(text.Length + 16);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStringValue(text);
        }

        return JsonDocument.Parse(buffer.WrittenMemory);
    }

    private static JsonDocument? ParseBytes(ReadOnlyMemory<byte> bytes)
    {
        bytes = Internal.Utf8Bom.Skip(bytes);
        try
        {
            return bytes.IsEmpty ? null : Internal.SafeJson.ParseOrDigest(bytes, ResponseOptions, "response");
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// A typed response serialized once for capture, into a stream: the serializer then works in small pooled chunks,
    /// where serializing to a document or to bytes grows a pooled buffer to the whole response (and the pool keeps it).
    /// </summary>
    private static JsonDocument? ParseTyped<TResult>(TResult result, JsonTypeInfo typeInfo)
    {
        using var stream = new MemoryStream();
        JsonSerializer.Serialize(stream, result, typeInfo);
        return ParseBytes(stream.GetBuffer().AsMemory(0, (int)stream.Length));
    }

    private static string? FromTypedProperty<TResult>(TResult result, IJsonTypeInfoResolver? resolver)
    {
        if (result is null)
        {
            return null;
        }

        var info = resolver is null ? null : ResolverTypeInfo.Get(resolver, result.GetType());
        if (info is null)
        {
            // Once per type: an HTTP function whose typed 500 shows as 200 should be told why.
            if (UnreadTypes.TryAdd(result.GetType(), 0))
            {
                Diag.Warn("response", $"the status code of a {result.GetType().Name} response is not read (the span says 200): set DatadogLambdaOptions.JsonTypeInfoResolver to a JsonSerializerContext that declares it");
            }

            return null;
        }

        if (FindStatusProperty(info)?.Get is not { } getter)
        {
            return null;
        }

        return getter(result) switch
        {
            int i => i.ToString(CultureInfo.InvariantCulture),
            long l => l.ToString(CultureInfo.InvariantCulture),
            string s => s,
            null => null,

            // An enum (HttpStatusCode) is written as its number by the serializers Lambda uses, not its name.
            Enum e => Convert.ToInt64(e, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
            var other => Convert.ToString(other, CultureInfo.InvariantCulture),
        };
    }

    private static JsonPropertyInfo? FindStatusProperty(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return null;
        }

        foreach (var property in info.Properties)
        {
            if (string.Equals(property.Name, "statusCode", StringComparison.OrdinalIgnoreCase))
            {
                return property;
            }
        }

        return null;
    }
}
