// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Datadog.Otel.Lambda.Diagnostics;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Triggers;

namespace Datadog.Otel.Lambda.Invocation;

/// <summary>
/// A Lambda authorizer passes its trace to the function it authorizes (<c>DD_ENCODE_AUTHORIZER_CONTEXT</c>, default on):
/// when the response is an IAM policy in exactly the shape API Gateway accepts (<see cref="AuthorizerPolicyShape"/>), its
/// <c>context._datadog</c> gets base64 JSON of the authorizer's trace headers, the finish time of its root-most span and
/// the id of the request it authorized. API Gateway hands <c>context</c> to the function in
/// <c>requestContext.authorizer</c>, where <see cref="ApiGatewayAuthorizer"/> reads it. The member is spliced into the
/// response's own text: every other byte, and every value of the handler's, stays as written. A response of any other
/// shape is returned as it is.
/// </summary>
internal static class AuthorizerResponse
{
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
    public static TResult Inject<TResult>(TResult result, string encoded, AuthorizerEventKind kind, IJsonTypeInfoResolver? resolver)
    {
        try
        {
            object? updated = result switch
            {
                JsonElement element => Splice(Encoding.UTF8.GetBytes(element.GetRawText()), encoded, kind) is { } bytes ? JsonDocument.Parse(bytes).RootElement.Clone() : null,
                string text => Splice(Encoding.UTF8.GetBytes(text), encoded, kind) is { } bytes ? Encoding.UTF8.GetString(bytes) : null,
                MemoryStream stream when stream.CanSeek => InjectStream(stream, encoded, kind),
                null => null,
                _ => InjectTyped(result, encoded, kind, resolver),
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

    /// <summary>The response with the member inserted, or null when the response does not have the accepted shape.</summary>
    private static byte[]? Splice(ReadOnlySpan<byte> response, string encoded, AuthorizerEventKind kind)
    {
        if (!AuthorizerPolicyShape.TryFind(response, kind, out var at))
        {
            Diag.Debug("authorizer", "the response is not an IAM policy whose context can take _datadog; returned as it is");
            return null;
        }

        var member = (at.NeedsComma ? "," : string.Empty) + (at.NeedsContext ? "\"context\":{\"_datadog\":\"" + encoded + "\"}" : "\"_datadog\":\"" + encoded + "\"");
        var inserted = Encoding.UTF8.GetBytes(member);
        var spliced = new byte[response.Length + inserted.Length];
        response[..at.Offset].CopyTo(spliced);
        inserted.CopyTo(spliced.AsSpan(at.Offset));
        response[at.Offset..].CopyTo(spliced.AsSpan(at.Offset + inserted.Length));
        return spliced;
    }

    private static MemoryStream? InjectStream(MemoryStream stream, string encoded, AuthorizerEventKind kind)
    {
        var start = (int)stream.Position;
        var bytes = stream.TryGetBuffer(out var buffer)
            ? buffer.AsSpan(start, (int)(stream.Length - start))
            : stream.ToArray().AsSpan(start);
        return Splice(bytes, encoded, kind) is { } spliced ? new MemoryStream(spliced) : null;
    }

    /// <summary>
    /// A typed response (e.g. <c>APIGatewayCustomAuthorizerResponse</c>), through the resolver's metadata: a copy of it
    /// whose <c>Context</c> is a copy of the handler's with <c>_datadog</c> added, or null when it is not a policy. The
    /// handler's own objects are not changed: a response it keeps and returns again (a cached policy) would otherwise
    /// carry the first invocation's context to every later one (a <c>_datadog</c> already there is the handler's and is
    /// kept), and invocations running at once would write into the one dictionary the runtime is serializing. A type
    /// that cannot be copied (no parameterless constructor, a member without a setter) gets <c>_datadog</c> in its own
    /// context instead; returned again, it keeps the first invocation's (docs/triggers.md).
    /// </summary>
    private static object? InjectTyped<TResult>(TResult result, string encoded, AuthorizerEventKind kind, IJsonTypeInfoResolver? resolver)
    {
        if (resolver is null || result is null)
        {
            return null;
        }

        if (ResolverTypeInfo.Get(resolver, result.GetType()) is not { Kind: JsonTypeInfoKind.Object } info)
        {
            return null;
        }

        object? principal = null;
        object? policy = null;
        JsonPropertyInfo? contextProperty = null;
        var copyable = info.CreateObject is not null;
        foreach (var property in info.Properties)
        {
            copyable &= property.Get is null || property.Set is not null;
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

        if (principal is not string { Length: > 0 } || policy is null || contextProperty?.Get is not { } getContext)
        {
            return null;
        }

        var context = getContext(result);
        if (!Accepts(context, kind))
        {
            return null;
        }

        var create = ResolverTypeInfo.Get(resolver, contextProperty.PropertyType)?.CreateObject;
        if (!copyable || contextProperty.Set is not { } setContext || create is null)
        {
            if (context is not null)
            {
                return Add(context, context, encoded) ? result : null;
            }

            if (contextProperty.Set is not { } setOwn || create is null)
            {
                return null;
            }

            var own = create();
            if (!Add(own, null, encoded))
            {
                return null;
            }

            setOwn(result, own);
            return result;
        }

        var copy = info.CreateObject!();
        foreach (var property in info.Properties)
        {
            if (property.Get is { } get && property != contextProperty)
            {
                property.Set!(copy, get(result));
            }
        }

        var newContext = create();
        if (!Add(newContext, context, encoded))
        {
            return null;
        }

        setContext(copy, newContext);
        return copy;
    }

    /// <summary>Whether <paramref name="context"/> (null: none yet) can take <c>_datadog</c>: a map of values API Gateway accepts, without one.</summary>
    private static bool Accepts(object? context, AuthorizerEventKind kind) => context switch
    {
        null => true,
        IDictionary<string, object> objects => !objects.ContainsKey("_datadog") && AcceptedValues(objects.Values, kind),
        IDictionary<string, string> strings => !strings.ContainsKey("_datadog"),
        _ => false,
    };

    /// <summary>Copies <paramref name="from"/>'s entries into <paramref name="into"/> (the same object when it is changed in place) and adds <c>_datadog</c>.</summary>
    private static bool Add(object into, object? from, string encoded)
    {
        switch (into)
        {
            case IDictionary<string, object> objects:
                if (!ReferenceEquals(into, from) && from is IDictionary<string, object> entries)
                {
                    foreach (var entry in entries)
                    {
                        objects[entry.Key] = entry.Value;
                    }
                }

                objects["_datadog"] = encoded;
                return true;
            case IDictionary<string, string> strings:
                if (!ReferenceEquals(into, from) && from is IDictionary<string, string> entries2)
                {
                    foreach (var entry in entries2)
                    {
                        strings[entry.Key] = entry.Value;
                    }
                }

                strings["_datadog"] = encoded;
                return true;
            default:
                return false;
        }
    }

    /// <summary>The values API Gateway accepts in <c>context</c> (see <see cref="AuthorizerEventKind"/>).</summary>
    private static bool AcceptedValues(ICollection<object> values, AuthorizerEventKind kind)
    {
        foreach (var value in values)
        {
            var accepted = value switch
            {
                string or bool or byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal => true,
                JsonElement { ValueKind: JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False } => true,
                null => false,
                _ => kind == AuthorizerEventKind.RouteArn,
            };
            if (!accepted)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Writes the trace headers of a context as JSON string properties.</summary>
internal delegate void TextMapPropagatorInjector(ActivityContext context, Utf8JsonWriter writer);
