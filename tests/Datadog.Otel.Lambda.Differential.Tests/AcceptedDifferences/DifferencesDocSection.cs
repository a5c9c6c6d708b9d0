// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using Datadog.Otel.Lambda.TestSupport;

namespace Datadog.Otel.Lambda.Differential.Tests.AcceptedDifferences;

/// <summary>
/// The section of docs/triggers.md generated from accepted-differences.json: the choices where Datadog's libraries
/// differ (rows of kind <c>library</c>), what the tracer or the OTLP path adds (<c>tracer</c>, <c>otlp</c>,
/// <c>semconv</c>), and known differences being fixed (<c>pending</c>). The section sits between two markers; the test
/// fails when it and the data disagree, and rewrites it when <c>DIFFERENTIAL_WRITE_DOCS=1</c>.
/// </summary>
internal static class DifferencesDocSection
{
    public const string Begin = "<!-- accepted-differences: generated from tests/Datadog.Otel.Lambda.Differential.Tests/AcceptedDifferences/accepted-differences.json; do not edit by hand -->";
    public const string End = "<!-- accepted-differences: end -->";

    public static string DocPath { get; } = RepositoryPaths.Combine("docs", "triggers.md");

    public static string Generate(IReadOnlyList<AcceptedDifference> rows)
    {
        var text = new StringBuilder();
        text.Append(Begin).Append('\n').Append('\n');
        text.Append("| Topic | Python | Node.js | Here | Why |\n|---|---|---|---|---|\n");
        foreach (var row in rows.Where(r => r.Kind == "library"))
        {
            text.Append("| ").Append(Cell(row.Topic)).Append(" | ").Append(Cell(row.Python)).Append(" | ").Append(Cell(row.Node))
                .Append(" | ").Append(Cell(row.Here)).Append(" | ").Append(Cell(row.Why)).Append(" |\n");
        }

        text.Append('\n').Append("Not counted as differences (the differential test accepts them everywhere): what the tracer or the OTLP path adds.\n\n");
        text.Append("| Topic | Node.js (dd-trace) | Here | Why |\n|---|---|---|---|\n");
        foreach (var row in rows.Where(r => r.Kind is "tracer" or "otlp" or "semconv"))
        {
            text.Append("| ").Append(Cell(row.Topic)).Append(" | ").Append(Cell(row.Node)).Append(" | ").Append(Cell(row.Here))
                .Append(" | ").Append(Cell(row.Why)).Append(" |\n");
        }

        var pending = rows.Where(r => r.Kind == "pending").ToList();
        if (pending.Count > 0)
        {
            text.Append('\n').Append("Known differences being fixed:\n\n");
            foreach (var row in pending)
            {
                text.Append("- ").Append(row.Topic).Append(": Node.js ").Append(row.Node).Append("; here ").Append(row.Here).Append(". ").Append(row.Why).Append('\n');
            }
        }

        text.Append('\n').Append(End);
        return text.ToString();
    }

    /// <summary>The generated section as it stands in the document, or null when the markers are missing.</summary>
    public static string? Read(string document)
    {
        var start = document.IndexOf(Begin, StringComparison.Ordinal);
        var end = document.IndexOf(End, StringComparison.Ordinal);
        return start < 0 || end < start ? null : document[start..(end + End.Length)];
    }

    public static string Replace(string document, string section)
    {
        var start = document.IndexOf(Begin, StringComparison.Ordinal);
        var end = document.IndexOf(End, StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            throw new InvalidOperationException("docs/triggers.md has no accepted-differences markers");
        }

        return document[..start] + section + document[(end + End.Length)..];
    }

    private static string Cell(string value) => value.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
