// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;

namespace Datadog.Otel.Lambda.Payload;

/// <summary>
/// Payload tags kept aside until the span they belong to is known to be still open: the response is read (which can
/// take long) before the invocation claims its end from the deadline watch, and its tags go on the span only then.
/// </summary>
internal readonly struct BufferedPayloadTags(List<KeyValuePair<string, string>>? tags) : IPayloadTagSink
{
    public void SetTag(string key, string value) => tags?.Add(new(key, value));

    /// <summary>Adds the kept tags to <paramref name="span"/>, in the order they were made.</summary>
    public void WriteTo(Activity span)
    {
        if (tags is null)
        {
            return;
        }

        foreach (var (key, value) in tags)
        {
            // Payload keys are unique within a payload: AddTag appends without searching the span's tags.
            span.AddTag(key, value);
        }
    }
}
