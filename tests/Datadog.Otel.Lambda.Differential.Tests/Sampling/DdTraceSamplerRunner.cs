// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Datadog.Otel.Lambda.TestSupport;

namespace Datadog.Otel.Lambda.Differential.Tests.Sampling;

/// <summary>
/// Runs a scenario through dd-trace's own sampler (Sampling/dd-trace-sampler.js, in a child Node.js process, with the
/// npm packages the project build installed) and reads its decisions.
/// </summary>
public static class DdTraceSamplerRunner
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task<IReadOnlyList<ReferenceDecision>> RunAsync(SamplingScenario scenario)
    {
        var script = RepositoryPaths.Combine("tests", "Datadog.Otel.Lambda.Differential.Tests", "Sampling", "dd-trace-sampler.js");
        var input = Path.Combine(Path.GetTempPath(), $"dd-sampler-{Environment.ProcessId}-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(input, ToJson(scenario));
        try
        {
            var (exitCode, stdout, stderr) = await ProcessRunner.RunAsync("node", [script, input], Timeout, Path.GetDirectoryName(script));
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"dd-trace-sampler.js failed for {scenario.Name} (exit {exitCode}): {stderr}");
            }

            var decisions = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Parse).ToList();
            if (decisions.Count != scenario.Decisions.Count)
            {
                throw new InvalidOperationException($"dd-trace-sampler.js printed {decisions.Count} decisions for {scenario.Decisions.Count}: {stderr}");
            }

            return decisions;
        }
        finally
        {
            File.Delete(input);
        }
    }

    private static string ToJson(SamplingScenario scenario)
    {
        var decisions = new JsonArray();
        foreach (var d in scenario.Decisions)
        {
            var node = new JsonObject
            {
                ["traceId"] = d.TraceId.ToString(CultureInfo.InvariantCulture),
                ["spanId"] = d.SpanId.ToString(CultureInfo.InvariantCulture),
                ["atMs"] = d.AtMs,
                ["name"] = d.Name,
            };
            if (d.Service is not null)
            {
                node["service"] = d.Service;
            }

            if (d.Resource is not null)
            {
                node["resource"] = d.Resource;
            }

            if (d.Tags is not null)
            {
                node["tags"] = new JsonObject(d.Tags.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value)));
            }

            if (d.RemoteParentId is { } parent)
            {
                node["remoteParentId"] = parent.ToString(CultureInfo.InvariantCulture);
            }

            decisions.Add(node);
        }

        var root = new JsonObject
        {
            ["env"] = new JsonObject(scenario.Environment.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))),
            ["resourceAsNameVariant"] = scenario.ResourceAsNameVariant,
            ["decisions"] = decisions,
        };
        return root.ToJsonString();
    }

    private static ReferenceDecision Parse(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        var limiters = root.GetProperty("limiters").EnumerateArray().Select(l => new LimiterConsultation(
            l.GetProperty("which").GetString()!,
            l.GetProperty("allowed").GetBoolean(),
            l.GetProperty("limit").GetDouble(),
            l.GetProperty("windowCount").GetDouble(),
            l.GetProperty("bucket").GetDouble())).ToList();
        var counts = root.GetProperty("samplerCounts");
        return new ReferenceDecision(
            Outcome(root),
            root.GetProperty("matchedRule").GetInt32(),
            limiters,
            new LimiterCounts(
                counts.GetProperty("previousAllowed").GetDouble(),
                counts.GetProperty("previousRequested").GetDouble(),
                counts.GetProperty("currentAllowed").GetDouble(),
                counts.GetProperty("currentRequested").GetDouble()),
            root.TryGetProperty("resourceAsName", out var variant) ? Outcome(variant) : null);
    }

    private static SamplingOutcome Outcome(JsonElement element)
    {
        var meta = element.GetProperty("meta").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
        var metrics = element.GetProperty("metrics").EnumerateObject()
            .Where(p => p.Name != SamplingOutcome.PriorityMetric)
            .ToDictionary(p => p.Name, p => p.Value.GetDouble(), StringComparer.Ordinal);
        int? priority = element.TryGetProperty("priority", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetInt32() : null;
        var headers = element.GetProperty("headers").EnumerateObject()
            .ToDictionary(h => h.Name, h => h.Value.ValueKind == JsonValueKind.String ? h.Value.GetString() : null, StringComparer.Ordinal);
        return new SamplingOutcome(priority, meta, metrics, OutgoingHeaders.From(headers));
    }
}
