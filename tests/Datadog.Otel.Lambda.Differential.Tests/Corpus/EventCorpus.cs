// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Datadog.Otel.Lambda.TestSupport;

namespace Datadog.Otel.Lambda.Differential.Tests.Corpus;

/// <summary>
/// Loads the corpus (<c>Corpus/cases/*.json</c>) and resolves each case for the run. Cases are authored with placeholders
/// so that every time in an event is relative to the run's present (the library ignores event times more than 366 days
/// old, and a fixed date would age out):
/// <list type="bullet">
/// <item><c>{{epochMs:-2500}}</c>, <c>{{epochMsText:…}}</c>, <c>{{epochSeconds:…}}</c>, <c>{{epochNs:…}}</c>,
/// <c>{{iso:…}}</c> (milliseconds), <c>{{isoSeconds:…}}</c>, <c>{{clf:…}}</c> (API Gateway's <c>requestTime</c>),
/// <c>{{hexSeconds:…}}</c> (an X-Ray Root's time): the run's
/// present plus the offset in milliseconds; <c>{{epochSecondsHalf:…}}</c>: the whole second at or before that time plus
/// half a second (a fraction that a reader cutting to whole seconds always loses, whatever the present's milliseconds).
/// A string that is only an <c>epochMs</c>, <c>epochSeconds</c>, <c>epochSecondsHalf</c> or <c>epochNs</c> placeholder
/// becomes a JSON number.</item>
/// <item><c>{"$json": value}</c>: the value's JSON text, as a string (an SQS body that is an SNS or EventBridge envelope);
/// <c>{"$base64json": value}</c>: its base64 (binary message attributes, Kinesis data, an authorizer's context);
/// <c>{"$gzipBase64json": value}</c>: base64 of its gzip (CloudWatch Logs).</item>
/// </list>
/// </summary>
internal static partial class EventCorpus
{
    public static string Folder { get; } = RepositoryPaths.Combine("tests", "Datadog.Otel.Lambda.Differential.Tests", "Corpus", "cases");

    public static IReadOnlyList<CorpusCase> Load(DateTimeOffset present)
    {
        var cases = new List<CorpusCase>();
        foreach (var file in Directory.GetFiles(Folder, "*.json").Order(StringComparer.Ordinal))
        {
            var id = Path.GetFileNameWithoutExtension(file);
            try
            {
                cases.Add(Resolve(id, JsonNode.Parse(File.ReadAllText(file))!.AsObject(), present));
            }
            catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
            {
                throw new InvalidOperationException($"corpus case {id}: {ex.Message}", ex);
            }
        }

        return cases;
    }

    internal static CorpusCase Resolve(string id, JsonObject raw, DateTimeOffset present)
    {
        // Event times must lie before the run's present: the comparison tells event-derived times from run times by that.
        if (Placeholder().Matches(raw.ToJsonString()).FirstOrDefault(m => long.Parse(m.Groups["offset"].Value, CultureInfo.InvariantCulture) >= 0) is { } late)
        {
            throw new FormatException("event times must be before the run's present: " + late.Value);
        }

        var resolved = Substitute(raw, present)!.AsObject();
        return new CorpusCase
        {
            Id = id,
            Description = resolved["description"]!.GetValue<string>(),
            Trigger = resolved["trigger"]!.GetValue<string>(),
            Carrier = resolved["carrier"]!.GetValue<string>(),
            EventJson = resolved["event"]!.ToJsonString(),
            Result = resolved["result"]!.AsObject(),
            Environment = resolved["environment"]?.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()) ?? new Dictionary<string, string>(),
            XRayTraceHeader = resolved["xrayTraceHeader"]?.GetValue<string>(),
            ClientContextCustom = resolved["clientContextCustom"]?.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()),
            NewTrace = resolved["newTrace"]?.GetValue<bool>() ?? false,
        };
    }

    internal static JsonNode? Substitute(JsonNode? node, DateTimeOffset present)
    {
        switch (node)
        {
            case JsonObject obj when obj.Count == 1 && obj.First() is { Key: "$json" or "$base64json" or "$gzipBase64json" } wrapper:
                var text = Substitute(wrapper.Value, present)?.ToJsonString() ?? "null";
                return wrapper.Key switch
                {
                    "$json" => JsonValue.Create(text),
                    "$base64json" => JsonValue.Create(Convert.ToBase64String(Encoding.UTF8.GetBytes(text))),
                    _ => JsonValue.Create(Convert.ToBase64String(Gzip(Encoding.UTF8.GetBytes(text)))),
                };
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    copy[key] = Substitute(value, present);
                }

                return copy;
            case JsonArray array:
                return new JsonArray(array.Select(item => Substitute(item, present)).ToArray());
            case JsonValue value when value.TryGetValue<string>(out var s):
                return SubstituteText(s, present);
            default:
                return node?.DeepClone();
        }
    }

    private static JsonNode SubstituteText(string text, DateTimeOffset present)
    {
        var whole = Placeholder().Match(text);
        if (whole.Success && whole.Length == text.Length && whole.Groups["kind"].Value is "epochMs" or "epochSeconds" or "epochSecondsHalf" or "epochNs")
        {
            return JsonNode.Parse(Format(whole, present))!;
        }

        return JsonValue.Create(Placeholder().Replace(text, m => Format(m, present)));
    }

    private static string Format(Match placeholder, DateTimeOffset present)
    {
        var at = present.AddMilliseconds(long.Parse(placeholder.Groups["offset"].Value, CultureInfo.InvariantCulture));
        var ms = at.ToUnixTimeMilliseconds();
        return placeholder.Groups["kind"].Value switch
        {
            "epochMs" or "epochMsText" => ms.ToString(CultureInfo.InvariantCulture),
            "epochSeconds" => (ms / 1000m).ToString("0.###", CultureInfo.InvariantCulture),
            "epochSecondsHalf" => (Math.Floor(ms / 1000m) + 0.5m).ToString("0.0", CultureInfo.InvariantCulture),
            "epochNs" => (ms * 1_000_000).ToString(CultureInfo.InvariantCulture),
            "iso" => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            "isoSeconds" => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            "hexSeconds" => at.ToUnixTimeSeconds().ToString("x8", CultureInfo.InvariantCulture),
            "clf" => at.UtcDateTime.ToString("dd'/'MMM'/'yyyy':'HH':'mm':'ss '+0000'", CultureInfo.InvariantCulture),
            var other => throw new FormatException("unknown placeholder " + other),
        };
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    [GeneratedRegex(@"\{\{(?<kind>[a-zA-Z]+):(?<offset>[+-]?\d+)\}\}")]
    private static partial Regex Placeholder();
}
