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
/// Reads what tracing needs from a handler's response without changing it. The HTTP status follows Datadog's Node.js
/// library: no response → <c>502</c> (API Gateway answers a null response with 502); a response with a
/// <c>statusCode</c> → that code; any other response → <c>200</c>. Raw responses (seekable streams, JSON elements, bytes,
/// strings) are read directly; typed ones through the options' <see cref="IJsonTypeInfoResolver"/>, else the typed event's
/// — the status through the property getter, the payload (only when captured) by serializing once.
/// </summary>
internal static class ResponseInspector
{
    /// <summary>Characters of a response string that is not JSON kept for capture (more than the tag can hold).</summary>
    private const int TextPrefixChars = 16 * 1024;

    private static readonly JsonDocumentOptions ResponseOptions = new() { MaxDepth = PayloadTagValues.MaxEventDepth };
    private static readonly ConcurrentDictionary<Type, byte> UnreadTypes = new();

    /// <summary>Returns the status code when <paramref name="needStatus"/>, and tags the payload when <paramref name="capture"/> is given.</summary>
    public static string? Inspect<TResult>(TResult result, bool hasResult, bool needStatus, LambdaPayloadCaptureSettings? capture, Activity span, IJsonTypeInfoResolver? resolver) =>
        Inspect(result, hasResult, needStatus, needExecutionStatus: false, capture, span, resolver, out _);

    /// <summary>
    /// As the other overload; when <paramref name="needExecutionStatus"/>, also the durable execution's status: the
    /// response's <c>Status</c> member (that exact name) when it is <c>SUCCEEDED</c>, <c>FAILED</c> or <c>PENDING</c>
    /// (<see cref="DurableExecutionSource.ExecutionStatus(ReadOnlySpan{char})"/>), read in the same pass as the HTTP status.
    /// </summary>
    public static string? Inspect<TResult>(TResult result, bool hasResult, bool needStatus, bool needExecutionStatus, LambdaPayloadCaptureSettings? capture, Activity span, IJsonTypeInfoResolver? resolver, out string? executionStatus)
    {
        executionStatus = null;
        if (!hasResult || result is null)
        {
            return needStatus ? "502" : null;
        }

        // A typed response only needs serializing for payload capture; its status comes from the property getter.
        if (capture is null && result is not (JsonElement or Stream or string or byte[] or ReadOnlyMemory<byte>))
        {
            if (needExecutionStatus)
            {
                executionStatus = ExecutionStatusFromTyped(result, resolver);
            }

            return needStatus ? FromTypedProperty(result, resolver) ?? "200" : null;
        }

        JsonDocument? owned = null;
        try
        {
            if (!TryGetJson(result, resolver, out var element, out owned))
            {
                return needStatus ? "200" : null;
            }

            if (capture is not null)
            {
                LambdaPayloadTagger.Tag(LambdaPayloadTagger.ResponsePrefix, element, capture, new ActivityPayloadTagSink(span));
            }

            if (needExecutionStatus)
            {
                executionStatus = ExecutionStatusFromElement(element);
            }

            return needStatus ? FromElement(element) ?? "200" : null;
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
    /// The durable execution status of a typed response: its property serialized as <c>Status</c>, a string or an enum
    /// (the durable SDKs' status type) named as the status.
    /// </summary>
    private static string? ExecutionStatusFromTyped<TResult>(TResult result, IJsonTypeInfoResolver? resolver)
    {
        if (result is null || resolver is null || ResolverTypeInfo.Get(resolver, result.GetType()) is not { Kind: JsonTypeInfoKind.Object } info)
        {
            return null;
        }

        foreach (var property in info.Properties)
        {
            if (string.Equals(property.Name, "Status", StringComparison.Ordinal) && property.Get is { } getter)
            {
                return getter(result) switch
                {
                    string s => DurableExecutionSource.ExecutionStatus(s),
                    Enum e => DurableExecutionSource.ExecutionStatus(e.ToString()),
                    _ => null,
                };
            }
        }

        return null;
    }

    private static bool TryGetJson<TResult>(TResult result, IJsonTypeInfoResolver? resolver, out JsonElement element, out JsonDocument? owned)
    {
        owned = null;
        element = default;
        switch (result)
        {
            case JsonElement json:
                element = json;
                return true;
            case Stream stream:
                owned = ParseStream(stream);
                break;
            case string text:
                owned = ParseText(text);
                break;
            case byte[] bytes:
                owned = ParseBytes(bytes);
                break;
            case ReadOnlyMemory<byte> memory:
                owned = ParseBytes(memory);
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
    private static JsonDocument? ParseStream(Stream stream)
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
                return ParseBytes(visible.AsMemory((int)start, length));
            }

            // The document keeps pointing at the bytes: a plain array, not a pooled one.
            var bytes = GC.AllocateUninitializedArray<byte>(length);
            stream.ReadExactly(bytes);
            return ParseBytes(bytes);
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

    /// <summary>A JSON text is parsed; any other string is captured as one string value.</summary>
    private static JsonDocument? ParseText(string text)
    {
        var trimmed = text.AsSpan().TrimStart();
        if (!trimmed.IsEmpty && (trimmed[0] == '{' || trimmed[0] == '[') && ParseBytes(Encoding.UTF8.GetBytes(text)) is { } json)
        {
            return json;
        }

        // Only the start of the text can be exported (values are cut to 5,000 characters).
        var buffer = new ArrayBufferWriter<byte>(Math.Min(text.Length, TextPrefixChars) + 16);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStringValue(text.Length <= TextPrefixChars ? text : text[..TextPrefixChars]);
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
