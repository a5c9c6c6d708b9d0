// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda.Differential.Tests.Comparison;
using Datadog.Otel.Lambda.TestSupport;

namespace Datadog.Otel.Lambda.Differential.Tests.AcceptedDifferences;

/// <summary>
/// The accepted differences (<c>AcceptedDifferences/accepted-differences.json</c>), the one source for the comparison and
/// for docs/triggers.md's table. Records which matchers covered a difference, so that stale rows are found.
/// </summary>
internal sealed class AcceptedDifferenceSet
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    private readonly HashSet<DifferenceMatcher> used = [];
    private readonly object sync = new();

    private AcceptedDifferenceSet(IReadOnlyList<AcceptedDifference> rows)
    {
        this.Rows = rows;
    }

    public static string FilePath { get; } = RepositoryPaths.Combine("tests", "Datadog.Otel.Lambda.Differential.Tests", "AcceptedDifferences", "accepted-differences.json");

    public IReadOnlyList<AcceptedDifference> Rows { get; }

    public static AcceptedDifferenceSet Load() => Parse(File.ReadAllText(FilePath));

    public static AcceptedDifferenceSet Parse(string json)
    {
        var rows = JsonSerializer.Deserialize<List<AcceptedDifference>>(json, Json)
            ?? throw new InvalidOperationException("accepted-differences.json is empty");
        var duplicate = rows.GroupBy(r => r.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException("accepted-differences.json: duplicate row id " + duplicate.Key);
        }

        return new AcceptedDifferenceSet(rows);
    }

    /// <summary>Gets a value indicating whether an ignore matcher removes this field from the comparison.</summary>
    public bool IsIgnored(string caseId, string span, string field) =>
        this.Rows.SelectMany(r => r.Match).Any(m => m.Ignore && m.Matches(caseId, span, field));

    /// <summary>Finds the row that accepts a difference (and remembers that its matcher was used), or null.</summary>
    public AcceptedDifference? Accept(Difference difference)
    {
        foreach (var row in this.Rows)
        {
            foreach (var matcher in row.Match)
            {
                if (!matcher.Ignore && matcher.Matches(difference))
                {
                    lock (this.sync)
                    {
                        this.used.Add(matcher);
                    }

                    return row;
                }
            }
        }

        return null;
    }

    /// <summary>The matchers that covered no difference in the run: differences that no longer occur.</summary>
    public IEnumerable<(AcceptedDifference Row, DifferenceMatcher Matcher)> Unused()
    {
        lock (this.sync)
        {
            return this.Rows.SelectMany(r => r.Match.Where(m => !m.Ignore && !this.used.Contains(m)).Select(m => (r, m))).ToList();
        }
    }
}
