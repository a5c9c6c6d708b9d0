// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Datadog.Otel.Lambda.Differential.Tests.AcceptedDifferences;
using Datadog.Otel.Lambda.Differential.Tests.Comparison;
using Datadog.Otel.Lambda.Differential.Tests.Corpus;
using Datadog.Otel.Lambda.Differential.Tests.Library;
using Datadog.Otel.Lambda.Differential.Tests.Reference;
using Datadog.Otel.Lambda.Differential.Tests.XRay;
using Datadog.Otel.Lambda.ExtensionEmulator;

namespace Datadog.Otel.Lambda.Differential.Tests;

/// <summary>
/// One full run of the corpus through both sides, shared by the tests that check it: the Node.js reference (child
/// processes, a few at a time) and this library (one case at a time, in process) run concurrently; then the X-Ray
/// stand-ins are drained and every case is compared.
/// </summary>
public sealed partial class DifferentialRun : IAsyncLifetime
{
    /// <summary>Gets the run's present: every event time in the corpus is relative to it.</summary>
    internal DateTimeOffset Present { get; } = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    internal IReadOnlyList<CorpusCase> Cases { get; private set; } = [];

    internal AcceptedDifferenceSet Accepted { get; } = AcceptedDifferenceSet.Load();

    internal List<CaseComparison> Comparisons { get; } = [];

    /// <summary>Gets cases that could not be run or compared at all, with the reason.</summary>
    internal List<string> Failures { get; } = [];

    /// <summary>Gets the agents' requests other than readable traces.</summary>
    internal IReadOnlyList<string> AgentRequests { get; private set; } = [];

    internal Dictionary<string, (IReadOnlyList<XRayDatagram> Node, IReadOnlyList<XRayDatagram> Ours)> XRayByCase { get; } = [];

    internal IReadOnlyList<string> UnreadableDatagrams { get; private set; } = [];

    internal TimeSpan Duration { get; private set; }

    /// <summary>Gets the path of the report listing every difference, accepted or not, by case.</summary>
    internal string ReportPath { get; } = Path.Combine(AppContext.BaseDirectory, "differential-report.txt");

    public async Task InitializeAsync()
    {
        var stopwatch = Stopwatch.StartNew();
        this.Cases = EventCorpus.Load(this.Present);
        var workFolder = Directory.CreateTempSubdirectory("differential-").FullName;
        var extension = new ExtensionEmulatorOptions { Port = 0 };
        await using var emulator = await ExtensionEmulator.ExtensionEmulator.StartAsync(extension);
        using var nodeDaemon = new XRayDaemonStandIn();
        using var ourDaemon = new XRayDaemonStandIn();
        try
        {
            var reference = new NodeReference(extension, workFolder);
            var library = new LibraryUnderTest(emulator);

            // The Node.js processes start at once (NodeReference lets a few run at a time); this library's runs go one
            // after the other meanwhile.
            var nodeRuns = this.Cases.ToDictionary(c => c.Id, c => Task.Run(() => reference.RunAsync(c, nodeDaemon.Address)));
            var ourRuns = new Dictionary<string, Task<SideRun>>();
            foreach (var corpusCase in this.Cases)
            {
                var run = library.RunAsync(corpusCase, ourDaemon.Address);
                await Settled(run);
                ourRuns[corpusCase.Id] = run;
            }

            await Task.WhenAll(nodeRuns.Values.Select(Settled));
            await nodeDaemon.DrainAsync(TimeSpan.FromSeconds(10));
            await ourDaemon.DrainAsync(TimeSpan.FromSeconds(10));
            this.AgentRequests = reference.UnexpectedAgentRequests;
            this.UnreadableDatagrams = [.. nodeDaemon.Unreadable, .. ourDaemon.Unreadable];

            foreach (var corpusCase in this.Cases)
            {
                this.CompareCase(corpusCase, nodeRuns[corpusCase.Id], ourRuns[corpusCase.Id], nodeDaemon, ourDaemon);
            }
        }
        finally
        {
            Directory.Delete(workFolder, recursive: true);
        }

        this.Duration = stopwatch.Elapsed;
        await File.WriteAllTextAsync(this.ReportPath, this.Report());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Every difference by case, accepted ones with the row that accepts them.</summary>
    internal string Report()
    {
        var text = new StringBuilder();
        text.AppendLine($"Differential run: {this.Cases.Count} cases in {this.Duration.TotalSeconds:F1} s, Node.js processes {NodeReference.Concurrency} at a time.");
        foreach (var failure in this.Failures)
        {
            text.AppendLine("FAILED " + failure);
        }

        foreach (var comparison in this.Comparisons)
        {
            text.AppendLine().AppendLine("## " + comparison.CaseId);
            foreach (var difference in comparison.Unaccepted)
            {
                text.AppendLine("  NOT ACCEPTED " + difference);
            }

            foreach (var (difference, row) in comparison.Accepted)
            {
                text.AppendLine($"  accepted [{row.Id}] {difference}");
            }
        }

        return text.ToString();
    }

    private void CompareCase(CorpusCase corpusCase, Task<SideRun> nodeRun, Task<SideRun> ourRun, XRayDaemonStandIn nodeDaemon, XRayDaemonStandIn ourDaemon)
    {
        if (nodeRun.Exception is { } nodeFailure)
        {
            this.Failures.Add($"{corpusCase.Id}: the Node.js reference failed: {nodeFailure.InnerException?.Message}");
            return;
        }

        if (ourRun.Exception is { } ourFailure)
        {
            this.Failures.Add($"{corpusCase.Id}: this library's run failed: {ourFailure.InnerException}");
            return;
        }

        var root = corpusCase.XRayTraceHeader is { } header ? XRayRoot().Match(header).Groups["root"].Value : null;
        IReadOnlyList<XRayDatagram> nodeXRay = root is null ? [] : nodeDaemon.Datagrams.Where(d => d.TraceId == root).ToList();
        IReadOnlyList<XRayDatagram> ourXRay = root is null ? [] : ourDaemon.Datagrams.Where(d => d.TraceId == root).ToList();
        this.XRayByCase[corpusCase.Id] = (nodeXRay, ourXRay);
        try
        {
            var node = TraceNormalizer.Normalize(corpusCase, nodeRun.Result, nodeXRay, this.Present);
            var ours = TraceNormalizer.Normalize(corpusCase, ourRun.Result, ourXRay, this.Present);
            this.Comparisons.Add(TraceDiffer.Compare(corpusCase.Id, node, ours, this.Accepted));
        }
        catch (InvalidOperationException ex)
        {
            this.Failures.Add($"{corpusCase.Id}: could not compare: {ex.Message}");
        }
    }

    /// <summary>Completes when the run completes, whether it succeeded or failed (failures are reported per case).</summary>
    private static Task Settled(Task run) => run.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);

    [GeneratedRegex("Root=(?<root>[^;]+)")]
    private static partial Regex XRayRoot();
}
