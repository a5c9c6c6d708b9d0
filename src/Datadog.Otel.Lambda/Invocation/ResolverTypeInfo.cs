// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Datadog.Otel.Lambda.Invocation;

/// <summary>
/// The serializer metadata a resolver gives for a response type, made once: a resolver asked directly builds a new
/// <see cref="JsonTypeInfo"/> (with its property infos) at every call, where read-only options over it cache what they
/// resolved (a benchmark showed 45 KB per API Gateway invocation with options left writable).
/// One options object per resolver, kept only while the resolver lives: a process that makes resolvers per provider or
/// per call does not accumulate their options.
/// </summary>
internal static class ResolverTypeInfo
{
    private static readonly ConditionalWeakTable<IJsonTypeInfoResolver, JsonSerializerOptions> OptionsByResolver = new();
    private static readonly ConditionalWeakTable<IJsonTypeInfoResolver, JsonSerializerOptions>.CreateValueCallback Create = ReadOnlyOptions;

    /// <summary>The metadata of <paramref name="type"/>, or null when <paramref name="resolver"/> does not declare it.</summary>
    public static JsonTypeInfo? Get(IJsonTypeInfoResolver resolver, Type type)
    {
        var options = OptionsByResolver.GetValue(resolver, Create);
        return options.TryGetTypeInfo(type, out var info) ? info : null;
    }

    // Options that can still change answer every lookup with new metadata; only read-only ones cache it.
    private static JsonSerializerOptions ReadOnlyOptions(IJsonTypeInfoResolver resolver)
    {
        var options = new JsonSerializerOptions { TypeInfoResolver = resolver };
        options.MakeReadOnly();
        return options;
    }
}
