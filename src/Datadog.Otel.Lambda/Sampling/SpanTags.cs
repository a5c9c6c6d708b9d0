// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;

namespace Datadog.Otel.Lambda.Sampling;

/// <summary>Looks up a span's initial tags (<see cref="OpenTelemetry.Trace.SamplingParameters.Tags"/>) without an enumerator allocation for the usual collection types.</summary>
internal static class SpanTags
{
    public static bool TryGet(IEnumerable<KeyValuePair<string, object?>>? tags, string key, out object? value)
    {
        switch (tags)
        {
            case null:
                break;
            case ActivityTagsCollection collection:
                foreach (var tag in collection)
                {
                    if (tag.Key == key)
                    {
                        value = tag.Value;
                        return true;
                    }
                }

                break;
            case IReadOnlyList<KeyValuePair<string, object?>> list:
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i].Key == key)
                    {
                        value = list[i].Value;
                        return true;
                    }
                }

                break;
            default:
                foreach (var tag in tags)
                {
                    if (tag.Key == key)
                    {
                        value = tag.Value;
                        return true;
                    }
                }

                break;
        }

        value = null;
        return false;
    }

    public static string? GetString(IEnumerable<KeyValuePair<string, object?>>? tags, string key) =>
        TryGet(tags, key, out var value) && value is string text && text.Length > 0 ? text : null;
}
