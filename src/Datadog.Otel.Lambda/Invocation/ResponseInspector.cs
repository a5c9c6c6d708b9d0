// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Datadog.Otel.Lambda.Invocation;

/// <summary>
/// Reads the HTTP status of a handler's response, following Datadog's Node.js library: no response → <c>502</c> (API
/// Gateway answers a null response with 502); a response with a <c>statusCode</c> → that code; any other response →
/// <c>200</c>. Raw responses (streams that can seek, JSON elements, bytes, strings) are read directly; typed responses
/// through the <see cref="IJsonTypeInfoResolver"/> from the options, without serializing them.
/// </summary>
internal static class ResponseInspector
{
    private static readonly ConcurrentDictionary<Type, JsonPropertyInfo?> StatusProperties = new();

    public static string StatusCode<TResult>(TResult result, bool hasResult, IJsonTypeInfoResolver? resolver)
    {
        if (!hasResult || result is null)
        {
            return "502";
        }

        var code = result switch
        {
            JsonElement element => FromElement(element),
            Stream stream => FromStream(stream),
            string text => FromJsonText(text),
            byte[] bytes => FromJsonBytes(bytes),
            ReadOnlyMemory<byte> memory => FromJsonBytes(memory.Span),
            _ => FromTyped(result, resolver),
        };
        return code ?? "200";
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

    private static string? FromStream(Stream stream)
    {
        if (!stream.CanSeek || stream.Length - stream.Position > InvocationEvent.MaxEventBytes)
        {
            return null;
        }

        var start = stream.Position;
        try
        {
            using var document = JsonDocument.Parse(stream);
            return FromElement(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
        finally
        {
            stream.Position = start;
        }
    }

    private static string? FromJsonText(string text)
    {
        if (text.Length == 0 || text[0] != '{')
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return FromElement(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? FromJsonBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty || bytes[0] != (byte)'{')
        {
            return null;
        }

        var reader = new Utf8JsonReader(bytes);
        try
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return FromElement(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? FromTyped<TResult>(TResult result, IJsonTypeInfoResolver? resolver)
    {
        if (resolver is null || result is null)
        {
            return null;
        }

        var property = StatusProperties.GetOrAdd(result.GetType(), static (type, r) => FindStatusProperty(type, r), resolver);
        if (property?.Get is not { } getter)
        {
            return null;
        }

        return getter(result) switch
        {
            int i => i.ToString(CultureInfo.InvariantCulture),
            long l => l.ToString(CultureInfo.InvariantCulture),
            string s => s,
            null => null,
            var other => Convert.ToString(other, CultureInfo.InvariantCulture),
        };
    }

    private static JsonPropertyInfo? FindStatusProperty(Type type, IJsonTypeInfoResolver resolver)
    {
        var info = resolver.GetTypeInfo(type, new JsonSerializerOptions { TypeInfoResolver = resolver });
        if (info is null || info.Kind != JsonTypeInfoKind.Object)
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
