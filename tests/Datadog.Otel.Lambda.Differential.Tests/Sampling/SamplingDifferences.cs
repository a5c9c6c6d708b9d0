// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using System.Text.Json;
using Datadog.Otel.Lambda.TestSupport;

namespace Datadog.Otel.Lambda.Differential.Tests.Sampling;

/// <summary>
/// The accepted differences between dd-trace-js's sampler and ours, as data (Sampling/sampling-differences.json): each
/// a rule where Datadog's Node.js and Python tracers differ and we follow Python (or, where noted, not), with why.
/// docs/configuration.md shows the same rows, rendered by <see cref="RenderTable"/>.
/// </summary>
public static class SamplingDifferences
{
    public const string DocBegin = "<!-- sampling-differences:begin (rendered from tests/Datadog.Otel.Lambda.Differential.Tests/Sampling/sampling-differences.json) -->";
    public const string DocEnd = "<!-- sampling-differences:end -->";

    public static IReadOnlyList<Row> Rows { get; } = Load();

    public static string RenderTable()
    {
        var text = new StringBuilder();
        text.Append("| Rule | dd-trace-js 5.132 | ddtrace (Python) 4.x | This library |\n");
        text.Append("|---|---|---|---|\n");
        foreach (var row in Rows)
        {
            text.Append($"| {row.Rule} | {row.NodeJs} | {row.Python} | {row.Ours}. {row.Why} |\n");
        }

        return text.ToString();
    }

    private static List<Row> Load()
    {
        var path = RepositoryPaths.Combine("tests", "Datadog.Otel.Lambda.Differential.Tests", "Sampling", "sampling-differences.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.EnumerateArray().Select(r => new Row(
            r.GetProperty("id").GetString()!,
            r.GetProperty("rule").GetString()!,
            r.GetProperty("nodejs").GetString()!,
            r.GetProperty("python").GetString()!,
            r.GetProperty("ours").GetString()!,
            r.GetProperty("why").GetString()!,
            r.GetProperty("observed").GetBoolean())).ToList();
    }

    /// <summary>One accepted difference. <see cref="Observed"/>: the comparison produces it (false: a configuration it does not run).</summary>
    public sealed record Row(string Id, string Rule, string NodeJs, string Python, string Ours, string Why, bool Observed);
}
