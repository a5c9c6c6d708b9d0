// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json.Serialization;

namespace Datadog.Otel.Lambda.Tests.TestSupport;

public sealed class Order
{
    public int Id { get; set; }

    public string? Item { get; set; }
}

public sealed class HttpResponse
{
    public int StatusCode { get; set; }

    public string? Body { get; set; }
}

public sealed class AuthorizerPolicy
{
    public string? PrincipalId { get; set; }

    public Dictionary<string, string>? PolicyDocument { get; set; }

    public Dictionary<string, object>? Context { get; set; }
}

/// <summary>A policy the resolver cannot copy: a member without a setter.</summary>
public sealed class FixedAuthorizerPolicy
{
    public string? PrincipalId { get; set; }

    public Dictionary<string, string> PolicyDocument { get; } = new() { ["Version"] = "2012-10-17" };

    public Dictionary<string, object>? Context { get; set; }
}

public sealed class EnumStatusResponse
{
    public System.Net.HttpStatusCode StatusCode { get; set; }
}

/// <summary>A response type only <see cref="TestJsonContext"/> declares, read by one test first through a resolver that does not.</summary>
public sealed class ResolverScopedResponse
{
    public int StatusCode { get; set; }
}

[JsonSerializable(typeof(Order))]
[JsonSerializable(typeof(EnumStatusResponse))]
[JsonSerializable(typeof(ResolverScopedResponse))]
[JsonSerializable(typeof(AuthorizerPolicy))]
[JsonSerializable(typeof(FixedAuthorizerPolicy))]
[JsonSerializable(typeof(HttpResponse))]
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
internal sealed partial class TestJsonContext : JsonSerializerContext
{
}
