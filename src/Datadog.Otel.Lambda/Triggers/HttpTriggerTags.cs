// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda.Payload;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>Request tags every HTTP trigger puts on <c>aws.lambda</c>.</summary>
internal static class HttpTriggerTags
{
    public static void AddClientTags(TriggerDescription trigger, JsonElement root)
    {
        trigger.Tag("http.useragent", HttpEventHeaders.Get(root, "user-agent"));
        // A referring URL can carry a credential in its query (?access_token=…): its values go, the URL stays.
        trigger.Tag("http.referer", HttpEventHeaders.Get(root, "referer") is { } referer ? SecretText.Plain(referer, RedactionRules.Default, referer.Length) : null);
    }
}
