// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Collections.Concurrent;
using Datadog.Otel.Lambda.TestSupport;
using Xunit.Abstractions;

namespace Datadog.Otel.Lambda.Differential.Tests.Sampling;

/// <summary>
/// The sampler against dd-trace's own (dd-trace-js 5.132, its PrioritySampler configured from the same environment):
/// the same fixed trace ids under the same configuration and clock, compared decision by decision in priority,
/// sampling tags (meta and metrics as Datadog receives them) and outgoing headers. Every difference must be one of the
/// accepted differences in sampling-differences.json (where Datadog's Python tracer, which we follow, differs from
/// dd-trace-js), shown by the facts dd-trace reports for that decision; anything else fails and names the scenario,
/// decision, trace id and field.
/// </summary>
[Trait("Category", "Slow")]
public class SamplerDifferentialTests(ITestOutputHelper output)
{
    private static readonly ConcurrentDictionary<string, Task<Comparison>> Runs = new(StringComparer.Ordinal);

    public static IEnumerable<object[]> Scenarios => SamplingScenarios.Names;

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task SameDecisionsAsDdTrace_ExceptAcceptedDifferences(string scenario)
    {
        var comparison = await RunAsync(scenario);
        output.WriteLine($"{scenario}: {comparison.Reference.Count} decisions, dd-trace kept {comparison.Reference.Count(r => r.Outcome.Priority > 0)}, ours {comparison.Ours.Count(o => o.Priority > 0)}");
        foreach (var group in comparison.Findings.GroupBy(f => f.Row ?? "UNACCEPTED"))
        {
            output.WriteLine($"  {group.Key}: {group.Count()} fields in {group.Select(f => f.Index).Distinct().Count()} decisions, e.g. {group.First()}");
        }

        var unexplained = comparison.Findings.Where(f => f.Row is null || !SamplingDifferences.Rows.Any(r => r.Id == f.Row)).ToList();
        Assert.True(unexplained.Count == 0, $"{unexplained.Count} unaccepted differences:\n" + string.Join('\n', unexplained.Take(40)));

        // The comparison saw real decisions: both sides decided every trace, and not all the same way everywhere.
        Assert.All(comparison.Reference, r => Assert.NotNull(r.Outcome.Priority));
        Assert.Equal(comparison.Reference.Count, comparison.Ours.Count);
    }

    [Fact]
    public async Task EveryAcceptedDifferenceIsSeenWhereTheDataSaysSo()
    {
        var comparisons = await Task.WhenAll(SamplingScenarios.All.Select(s => RunAsync(s.Name)));
        var seen = comparisons.SelectMany(c => c.Findings).Select(f => f.Row).OfType<string>().ToHashSet(StringComparer.Ordinal);

        // A row the comparison never needs is stale (or its scenario is missing); a row marked unobserved must stay so.
        Assert.Equal(
            SamplingDifferences.Rows.Where(r => r.Observed).Select(r => r.Id).Order(StringComparer.Ordinal),
            seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TheScenariosExerciseWhatTheyAreFor()
    {
        var sampleRate = await RunAsync("sample-rate-0.5");
        var priorities = sampleRate.Reference.Select(r => r.Outcome.Priority).Distinct().Order().ToList();
        Assert.Equal([-1, 2], priorities.Select(p => p!.Value));

        var knuth = await RunAsync("knuth-boundaries");
        var threshold = SamplingScenarios.Threshold(0.5);
        var atThreshold = SamplingScenarios.Get("knuth-boundaries").Decisions.ToList().FindIndex(d => d.TraceId == SamplingScenarios.IdWithHash(threshold));
        Assert.Equal(2, knuth.Reference[atThreshold].Outcome.Priority);
        Assert.Equal(-1, knuth.Reference[atThreshold + 1].Outcome.Priority);

        var burst = await RunAsync("limit-bursts-rules");
        Assert.Equal(10, burst.Reference.Take(30).Count(r => r.Outcome.Priority == 2));
        Assert.Equal(10, burst.Ours.Take(30).Count(o => o.Priority == 2));

        // Spread over one second: dd-trace-js keeps the limit, Python's bucket (ours) the limit plus its refill.
        var spread = await RunAsync("limit-spread-over-a-second");
        Assert.Equal(100, spread.Reference.Count(r => r.Outcome.Priority == 2));
        Assert.InRange(spread.Ours.Count(o => o.Priority == 2), 180, 200);
    }

    [Fact]
    public async Task APlantedDifferenceIsNotAccepted()
    {
        var scenario = SamplingScenarios.Get("sample-rate-0.5");
        var comparison = await RunAsync(scenario.Name);
        var kept = comparison.Ours.ToList().FindIndex(o => o.Priority == 2);
        var dropped = comparison.Ours.ToList().FindIndex(o => o.Priority == -1);

        // A wrong priority, a wrong rate tag and an extra tag, each on one decision.
        var planted = comparison.Ours.ToList();
        planted[kept] = planted[kept] with { Priority = 1 };
        planted[dropped] = planted[dropped] with { Meta = new Dictionary<string, string>(planted[dropped].Meta) { ["_dd.p.ksr"] = "0.25" } };
        planted[dropped + 1] = planted[dropped + 1] with { Metrics = new Dictionary<string, double>(planted[dropped + 1].Metrics) { ["_dd.agent_psr"] = 1 } };

        var findings = SamplingComparer.Compare(scenario, comparison.Reference, planted).Where(f => f.Row is null).ToList();

        Assert.Contains(findings, f => f.Index == kept && f.Field == "priority");
        Assert.Contains(findings, f => f.Index == dropped && f.Field == "meta:_dd.p.ksr");
        Assert.Contains(findings, f => f.Index == dropped + 1 && f.Field == "metrics:_dd.agent_psr");
    }

    [Fact]
    public void DocsShowTheAcceptedDifferencesFromTheData()
    {
        var doc = File.ReadAllText(RepositoryPaths.Combine("docs", "configuration.md")).ReplaceLineEndings("\n");
        var begin = doc.IndexOf(SamplingDifferences.DocBegin, StringComparison.Ordinal);
        var end = doc.IndexOf(SamplingDifferences.DocEnd, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, "docs/configuration.md lacks the sampling differences markers");

        var table = doc[(begin + SamplingDifferences.DocBegin.Length)..end].Trim('\n') + "\n";
        Assert.Equal(SamplingDifferences.RenderTable(), table);
    }

    private static Task<Comparison> RunAsync(string name) => Runs.GetOrAdd(name, static async n =>
    {
        var scenario = SamplingScenarios.Get(n);
        var reference = await DdTraceSamplerRunner.RunAsync(scenario);
        var ours = OurSamplerRunner.Run(scenario);
        return new Comparison(reference, ours, SamplingComparer.Compare(scenario, reference, ours));
    });

    private sealed record Comparison(IReadOnlyList<ReferenceDecision> Reference, IReadOnlyList<SamplingOutcome> Ours, List<SamplingFinding> Findings);
}
