// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Datadog.Otel.Lambda.Diagnostics;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Triggers;

namespace Datadog.Otel.Lambda.Invocation;

/// <summary>
/// A Lambda authorizer passes its trace to the function it authorizes (<c>DD_ENCODE_AUTHORIZER_CONTEXT</c>, default on):
/// when the response is an IAM policy (a truthy <c>principalId</c> and <c>policyDocument</c>), its <c>context._datadog</c>
/// gets base64 JSON of the authorizer's trace headers, the finish time of its root-most span and the id of the request
/// it authorized. API Gateway hands <c>context</c> to the function in <c>requestContext.authorizer</c>, where
/// <see cref="ApiGatewayAuthorizer"/> reads it. Other <c>context</c> keys are kept; a response that is not a policy is
/// returned as it is.
/// </summary>
internal static class AuthorizerResponse
{
    /// <summary>Authorizer events: <c>TOKEN</c> or <c>REQUEST</c> with the ARN of the method or route being authorized.</summary>
    public static bool IsAuthorizerEvent(JsonElement root) =>
        (root.StringEquals("type", "TOKEN") || root.StringEquals("type", "REQUEST")) && (root.Has("methodArn") || root.Has("routeArn"));

    /// <summary>The value of <c>context._datadog</c> for a span that has ended.</summary>
    public static string Encode(Activity span, TextMapPropagatorInjector inject, string? requestId)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            inject(span.Context, writer);
            var finish = span.StartTimeUtc + span.Duration;
            writer.WriteNumber("x-datadog-parent-span-finish-time", (long)(finish - DateTime.UnixEpoch).Ticks * 100);
            if (requestId is not null)
            {
                writer.WriteString("x-datadog-authorizing-requestid", requestId);
            }

            writer.WriteEndObject();
        }

        return Convert.ToBase64String(buffer.WrittenSpan);
    }

    /// <summary>Returns the response with <c>context._datadog</c> set, or the response itself when it is not a policy. Never throws.</summary>
    public static TResult Inject<TResult>(TResult result, string encoded, IJsonTypeInfoResolver? resolver)
    {
        try
        {
            object? updated = result switch
            {
                JsonElement element => InjectJson(element.GetRawText(), encoded) is { } text ? JsonDocument.Parse(text).RootElement.Clone() : null,
                string text => InjectJson(text, encoded),
                MemoryStream stream when stream.CanSeek => InjectStream(stream, encoded),
                null => null,
                _ => InjectTyped(result, encoded, resolver) ? result : null,
            };
            return updated is TResult typed ? typed : result;
        }
#pragma warning disable CA1031 // The response goes back unchanged when tracing cannot add to it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Diag.TracingFailed("authorizer response", ex);
            return result;
        }
    }

    private static string? InjectJson(string json, string encoded)
    {
        if (JsonNode.Parse(json) is not JsonObject response || !IsPolicy(response))
        {
            return null;
        }

        if (response["context"] is not JsonObject context)
        {
            context = new JsonObject();
            response["context"] = context;
        }

        context["_datadog"] = encoded;
        return response.ToJsonString();
    }

    private static MemoryStream? InjectStream(MemoryStream stream, string encoded)
    {
        var start = stream.Position;
        var text = Encoding.UTF8.GetString(stream.GetBuffer(), (int)start, (int)(stream.Length - start));
        return InjectJson(text, encoded) is { } updated ? new MemoryStream(Encoding.UTF8.GetBytes(updated)) : null;
    }

    private static bool IsPolicy(JsonObject response) =>
        IsTruthy(response["principalId"]) && IsTruthy(response["policyDocument"]);

    private static bool IsTruthy(JsonNode? node) => node switch
    {
        null => false,
        JsonValue value when value.TryGetValue<string>(out var s) => s.Length > 0,
        JsonValue value when value.TryGetValue<bool>(out var b) => b,
        JsonObject obj => obj.Count > 0,
        JsonArray array => array.Count > 0,
        _ => true,
    };

    /// <summary>A typed response (e.g. <c>APIGatewayCustomAuthorizerResponse</c>): its <c>Context</c> dictionary, through the resolver's metadata.</summary>
    private static bool InjectTyped<TResult>(TResult result, string encoded, IJsonTypeInfoResolver? resolver)
    {
        if (resolver is null || result is null)
        {
            return false;
        }

        var type = result.GetType();
        var options = new JsonSerializerOptions { TypeInfoResolver = resolver };
        if (resolver.GetTypeInfo(type, options) is not { Kind: JsonTypeInfoKind.Object } info)
        {
            return false;
        }

        object? principal = null;
        object? policy = null;
        JsonPropertyInfo? contextProperty = null;
        foreach (var property in info.Properties)
        {
            if (string.Equals(property.Name, "principalId", StringComparison.OrdinalIgnoreCase))
            {
                principal = property.Get?.Invoke(result);
            }
            else if (string.Equals(property.Name, "policyDocument", StringComparison.OrdinalIgnoreCase))
            {
                policy = property.Get?.Invoke(result);
            }
            else if (string.Equals(property.Name, "context", StringComparison.OrdinalIgnoreCase))
            {
                contextProperty = property;
            }
        }

        if (principal is not string { Length: > 0 } || policy is null || contextProperty is null)
        {
            return false;
        }

        var context = contextProperty.Get?.Invoke(result);
        if (context is null && contextProperty.Set is { } set && resolver.GetTypeInfo(contextProperty.PropertyType, options)?.CreateObject is { } create)
        {
            context = create();
            set(result, context);
        }

        switch (context)
        {
            case IDictionary<string, object> objects:
                objects["_datadog"] = encoded;
                return true;
            case IDictionary<string, string> strings:
                strings["_datadog"] = encoded;
                return true;
            default:
                return false;
        }
    }
}

/// <summary>Writes the trace headers of a context as JSON string properties.</summary>
internal delegate void TextMapPropagatorInjector(ActivityContext context, Utf8JsonWriter writer);
