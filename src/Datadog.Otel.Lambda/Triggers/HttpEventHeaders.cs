// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda.Internal;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// Header lookups in HTTP events: <c>headers</c> when it has entries, else the first value of each
/// <c>multiValueHeaders</c> entry (API Gateway REST and ALB with multi-value headers). Names match case-insensitively,
/// as HTTP header names do.
/// </summary>
internal static class HttpEventHeaders
{
    public static string? Get(JsonElement root, string name)
    {
        if (root.TryGetObject("headers", out var headers))
        {
            foreach (var header in headers.EnumerateObject())
            {
                if (header.Name.Equals(name, StringComparison.OrdinalIgnoreCase) && header.Value.ValueKind == JsonValueKind.String)
                {
                    return header.Value.GetString();
                }
            }
        }

        if (root.TryGetObject("multiValueHeaders", out var multi))
        {
            foreach (var header in multi.EnumerateObject())
            {
                if (header.Name.Equals(name, StringComparison.OrdinalIgnoreCase) && header.Value.ValueKind == JsonValueKind.Array
                    && header.Value.GetArrayLength() > 0 && header.Value[0].ValueKind == JsonValueKind.String)
                {
                    return header.Value[0].GetString();
                }
            }
        }

        return null;
    }

    /// <summary>The object that carries trace headers: <c>headers</c> if non-empty, else <c>multiValueHeaders</c>.</summary>
    public static bool TryGetCarrier(JsonElement root, out JsonElement carrier)
    {
        if (root.TryGetObject("headers", out carrier) && carrier.EnumerateObject().MoveNext())
        {
            return true;
        }

        return root.TryGetObject("multiValueHeaders", out carrier);
    }
}
