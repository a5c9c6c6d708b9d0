// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda.Payload;

namespace Datadog.Otel.Lambda.Tests.Payload;

/// <summary>Records every tag in order (a class, so the generic taggers see the same instance).</summary>
internal sealed class RecordingTagSink : IPayloadTagSink
{
    public List<KeyValuePair<string, string>> Calls { get; } = [];

    /// <summary>The tags as a span keeps them: the last value written for a key wins.</summary>
    public Dictionary<string, string> Tags
    {
        get
        {
            var tags = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in Calls)
            {
                tags[key] = value;
            }

            return tags;
        }
    }

    public void SetTag(string key, string value) => Calls.Add(new(key, value));

    public static JsonDocument Parse(string json, int maxDepth = 64) => JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = maxDepth });
}

/// <summary>A sink that fails, to show the taggers contain it.</summary>
internal sealed class ThrowingTagSink : IPayloadTagSink
{
    public int Calls { get; private set; }

    public void SetTag(string key, string value)
    {
        Calls++;
        throw new InvalidOperationException("sink failed");
    }
}
