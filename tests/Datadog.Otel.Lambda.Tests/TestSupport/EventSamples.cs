// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Datadog.Otel.Lambda.Tests.TestSupport;

/// <summary>
/// The sample events in TestData/events, written for this project in the shapes AWS documents. Their timestamps are
/// around <see cref="Anchor"/>; <see cref="LoadShifted"/> moves every known timestamp field by the same amount so that
/// the event looks as if it was sent just before "now", keeping the gaps between timestamps.
/// </summary>
internal static class EventSamples
{
    /// <summary>The instant the sample timestamps are written around (2026-11-25T10:00:00Z).</summary>
    public static readonly DateTimeOffset Anchor = DateTimeOffset.FromUnixTimeMilliseconds(1795600800000);

    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "TestData", "events", name);

    public static string Load(string name) => File.ReadAllText(Path(name));

    public static MemoryStream Stream(string json) => new(Encoding.UTF8.GetBytes(json));

    /// <summary>Loads an event and shifts its timestamps so that <see cref="Anchor"/> maps to <paramref name="anchor"/>.</summary>
    public static string LoadShifted(string name, DateTimeOffset anchor)
    {
        var node = JsonNode.Parse(Load(name))!;
        Shift(node, anchor - Anchor);
        return node.ToJsonString();
    }

    /// <summary>Where a sample timestamp ends up after <see cref="LoadShifted"/>.</summary>
    public static DateTimeOffset Shifted(DateTimeOffset sampleTime, DateTimeOffset anchor) => sampleTime + (anchor - Anchor);

    private static void Shift(JsonNode? node, TimeSpan delta)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var property in obj.ToList())
                {
                    if (TryShift(property.Key, property.Value, delta) is { } replaced)
                    {
                        obj[property.Key] = replaced;
                    }
                    else if (property.Key == "body" && property.Value is JsonValue body && body.TryGetValue<string>(out var text) && text.StartsWith('{'))
                    {
                        var inner = JsonNode.Parse(text)!;
                        Shift(inner, delta);
                        obj[property.Key] = inner.ToJsonString();
                    }
                    else
                    {
                        Shift(property.Value, delta);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Shift(item, delta);
                }

                break;
        }
    }

    private static JsonNode? TryShift(string key, JsonNode? value, TimeSpan delta)
    {
        if (value is not JsonValue scalar)
        {
            return null;
        }

        switch (key)
        {
            case "SentTimestamp" or "ApproximateFirstReceiveTimestamp" when scalar.TryGetValue<string>(out var ms):
                return JsonValue.Create((long.Parse(ms, CultureInfo.InvariantCulture) + (long)delta.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
            case "requestTimeEpoch" or "timeEpoch" or "connectedAt" when scalar.TryGetValue<long>(out var epochMs):
                return JsonValue.Create(epochMs + (long)delta.TotalMilliseconds);
            case "approximateArrivalTimestamp" when scalar.TryGetValue<double>(out var seconds):
                return JsonValue.Create(Math.Round(seconds + delta.TotalSeconds, 3));
            case "ApproximateCreationDateTime" when scalar.TryGetValue<long>(out var wholeSeconds):
                return JsonValue.Create(wholeSeconds + (long)delta.TotalSeconds);
            case "Timestamp" or "eventTime" or "time" when scalar.TryGetValue<string>(out var iso)
                && DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant):
                var format = iso.Contains('.', StringComparison.Ordinal) ? "yyyy-MM-ddTHH:mm:ss.fffZ" : "yyyy-MM-ddTHH:mm:ssZ";
                return JsonValue.Create((instant + delta).UtcDateTime.ToString(format, CultureInfo.InvariantCulture));
            default:
                return null;
        }
    }
}
