// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>Request tags every HTTP trigger puts on <c>aws.lambda</c>.</summary>
internal static class HttpTriggerTags
{
    public static void AddClientTags(TriggerDescription trigger, JsonElement root)
    {
        trigger.Tag("http.useragent", HttpEventHeaders.Get(root, "user-agent"));
        trigger.Tag("http.referer", HttpEventHeaders.Get(root, "referer"));
    }
}
