// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda.Payload;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// Request tags every HTTP trigger puts on <c>aws.lambda</c>: <c>http.referer</c> (any case, as Datadog's Python library
/// reads it). The user agent goes on <c>aws.lambda</c> for ALB events only (Python); API Gateway's is on its inferred span.
/// </summary>
internal static class HttpTriggerTags
{
    public static void AddClientTags(TriggerDescription trigger, JsonElement root)
    {
        // A referring URL can carry a credential in its query (?access_token=…): its values go, the URL stays.
        trigger.Tag("http.referer", HttpEventHeaders.Get(root, "referer") is { } referer ? SecretText.Plain(referer, RedactionRules.Default, referer.Length) : null);
    }
}
