// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using System.Text.Json.Nodes;

namespace Datadog.Otel.Lambda.AspNetCoreServer.Tests.TestSupport;

/// <summary>API Gateway events as Lambda delivers them to an ASP.NET Core function, with the request time set to now.</summary>
internal static class LambdaEvents
{
    public const string RestApiId = "70ixmpl4fl";
    public const string HttpApiId = "x02yirxc7a";

    public static MemoryStream RestApi(string method, string path, string resource, IDictionary<string, string>? headers = null, string? body = null)
    {
        var headerNode = Headers(headers);
        var multi = new JsonObject();
        foreach (var (name, value) in headerNode)
        {
            multi[name] = new JsonArray(value!.GetValue<string>());
        }

        var node = new JsonObject
        {
            ["resource"] = resource,
            ["path"] = path,
            ["httpMethod"] = method,
            ["headers"] = headerNode,
            ["multiValueHeaders"] = multi,
            ["requestContext"] = new JsonObject
            {
                ["accountId"] = "123456789012",
                ["resourceId"] = "abc123",
                ["stage"] = "prod",
                ["requestId"] = Guid.NewGuid().ToString(),
                ["requestTimeEpoch"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 5,
                ["path"] = "/prod" + path,
                ["resourcePath"] = resource,
                ["httpMethod"] = method,
                ["apiId"] = RestApiId,
                ["protocol"] = "HTTP/1.1",
                ["domainName"] = RestApiId + ".execute-api.us-east-1.amazonaws.com",
                ["identity"] = new JsonObject { ["sourceIp"] = "203.0.113.5", ["userAgent"] = "curl/8.4.0" },
            },
            ["body"] = body,
            ["isBase64Encoded"] = false,
        };
        return ToStream(node);
    }

    public static MemoryStream HttpApi(string method, string path, string route, IDictionary<string, string>? headers = null)
    {
        var node = new JsonObject
        {
            ["version"] = "2.0",
            ["routeKey"] = method + " " + route,
            ["rawPath"] = path,
            ["rawQueryString"] = string.Empty,
            ["headers"] = Headers(headers),
            ["requestContext"] = new JsonObject
            {
                ["accountId"] = "123456789012",
                ["apiId"] = HttpApiId,
                ["domainName"] = HttpApiId + ".execute-api.us-east-1.amazonaws.com",
                ["domainPrefix"] = HttpApiId,
                ["http"] = new JsonObject
                {
                    ["method"] = method,
                    ["path"] = path,
                    ["protocol"] = "HTTP/1.1",
                    ["sourceIp"] = "198.51.100.7",
                    ["userAgent"] = "curl/8.4.0",
                },
                ["requestId"] = Guid.NewGuid().ToString(),
                ["routeKey"] = method + " " + route,
                ["stage"] = "$default",
                ["timeEpoch"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 5,
            },
            ["isBase64Encoded"] = false,
        };
        return ToStream(node);
    }

    public static MemoryStream FunctionUrl(string method, string path)
    {
        const string UrlId = "a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6";
        var node = new JsonObject
        {
            ["version"] = "2.0",
            ["routeKey"] = "$default",
            ["rawPath"] = path,
            ["rawQueryString"] = string.Empty,
            ["headers"] = Headers(null),
            ["requestContext"] = new JsonObject
            {
                ["accountId"] = "anonymous",
                ["apiId"] = UrlId,
                ["domainName"] = UrlId + ".lambda-url.us-east-1.on.aws",
                ["domainPrefix"] = UrlId,
                ["http"] = new JsonObject
                {
                    ["method"] = method,
                    ["path"] = path,
                    ["protocol"] = "HTTP/1.1",
                    ["sourceIp"] = "198.51.100.7",
                    ["userAgent"] = "curl/8.4.0",
                },
                ["requestId"] = Guid.NewGuid().ToString(),
                ["routeKey"] = "$default",
                ["stage"] = "$default",
                ["timeEpoch"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 5,
            },
            ["isBase64Encoded"] = false,
        };
        return ToStream(node);
    }

    private static JsonObject Headers(IDictionary<string, string>? headers)
    {
        var node = new JsonObject { ["accept"] = "application/json", ["user-agent"] = "curl/8.4.0" };
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            node[name] = value;
        }

        return node;
    }

    private static MemoryStream ToStream(JsonNode node) => new(Encoding.UTF8.GetBytes(node.ToJsonString()));
}
