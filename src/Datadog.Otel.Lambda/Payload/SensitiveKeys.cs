// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Payload;

/// <summary>
/// Keys whose whole value is replaced by <c>redacted</c>, whatever the value is (objects and arrays too), compared
/// case-insensitively: Datadog's four (<c>authorization</c>, <c>x-authorization</c>, <c>password</c>, <c>token</c>)
/// and the design's additions for HTTP credentials (<c>cookie</c>, <c>set-cookie</c>, <c>x-api-key</c>,
/// <c>x-amz-security-token</c>), plus <c>cookies</c>: payload format 2.0 (HTTP APIs, function URLs) moves the Cookie
/// header into that top-level array, so without it the session cookies of every HTTP API request were captured.
/// </summary>
internal static class SensitiveKeys
{
    public static bool IsSensitive(ReadOnlySpan<char> key) => key.Length switch
    {
        5 => key.Equals("token", StringComparison.OrdinalIgnoreCase),
        6 => key.Equals("cookie", StringComparison.OrdinalIgnoreCase),
        7 => key.Equals("cookies", StringComparison.OrdinalIgnoreCase),
        8 => key.Equals("password", StringComparison.OrdinalIgnoreCase),
        9 => key.Equals("x-api-key", StringComparison.OrdinalIgnoreCase),
        10 => key.Equals("set-cookie", StringComparison.OrdinalIgnoreCase),
        13 => key.Equals("authorization", StringComparison.OrdinalIgnoreCase),
        15 => key.Equals("x-authorization", StringComparison.OrdinalIgnoreCase),
        20 => key.Equals("x-amz-security-token", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    /// <summary>
    /// Lambda payload capture checks the last dot-separated segment of the key (so <c>a.token</c> is sensitive, as in
    /// both libraries, whose keys are not escaped).
    /// </summary>
    public static bool IsSensitiveLastSegment(ReadOnlySpan<char> name)
    {
        var dot = name.LastIndexOf('.');
        return IsSensitive(dot < 0 ? name : name[(dot + 1)..]);
    }
}
