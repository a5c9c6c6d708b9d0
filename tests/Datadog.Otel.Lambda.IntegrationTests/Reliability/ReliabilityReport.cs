// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Datadog.Otel.Lambda.TestSupport;

namespace Datadog.Otel.Lambda.IntegrationTests.Reliability;

/// <summary>
/// Renders the figures table of docs/reliability.md from what the reliability tests of this run recorded
/// (<see cref="ReliabilityFigures.Record"/>), when the test process exits: every run of the README's test command writes
/// <c>artifacts/reliability-&lt;runtime&gt;.md</c>. build/reliability-report.sh copies it into the doc.
/// </summary>
internal static class ReliabilityReport
{
    private static readonly string[] Faults = ["Closed", "Status500", "Status503", "Slow", "Hanging", "Reset", "Garbage"];

    private static readonly string[] Hostile =
        ["MutatedCorpusCases", "HeaderCases", "MessageAttributeCases", "AuthorizerCases", "StepFunctionsCases", "XRayCases", "PayloadCaptureCases", "ByteOrderMarkCases", "PlantedSecretCases", "SecretPayloadCases", "AuthorizerResultCases", "ExceptionGraphCases", "WrapperCases"];

    [ModuleInitializer]
    internal static void Register()
    {
        // Figures of an earlier run must not survive into this one.
        try
        {
            if (System.IO.Directory.Exists(ReliabilityFigures.Directory))
            {
                System.IO.Directory.Delete(ReliabilityFigures.Directory, recursive: true);
            }
        }
        catch (IOException)
        {
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => Write();
    }

    internal static string Render(Func<string, long?> figure)
    {
        string Fig(string name) => figure(name) is { } value ? value.ToString("N0", CultureInfo.InvariantCulture) : "not run";
        string Sum(IEnumerable<string> names) => names.Sum(n => figure(n) ?? 0).ToString("N0", CultureInfo.InvariantCulture);

        var faults = Faults.Select(f => "faults." + f).ToArray();
        var table = new StringBuilder();
        table.AppendLine("| Figure | Value | Test |");
        table.AppendLine("|---|---|---|");
        void Row(string what, string value, string test) => table.Append("| ").Append(what).Append(" | ").Append(value).Append(" | ").Append(test).AppendLine(" |");
        Row("Hostile inputs tried (all properties)", Sum(Hostile.Select(h => "hostile." + h)), "`HostileInputProperties`, `WrapperHostileInputTests`");
        Row("… mutated events of every trigger", Fig("hostile.MutatedCorpusCases"), "`MutatedEventsOfEveryTrigger`");
        Row("… trace headers of every style", Fig("hostile.HeaderCases"), "`TraceHeadersOfEveryStyle`");
        Row("… message attributes and `_datadog` payloads", Fig("hostile.MessageAttributeCases"), "`MessageAttributesAndDatadogPayloads`");
        Row("… authorizer contexts", Fig("hostile.AuthorizerCases"), "`AuthorizerContexts`");
        Row("… Step Functions contexts", Fig("hostile.StepFunctionsCases"), "`StepFunctionsContexts`");
        Row("… X-Ray headers", Fig("hostile.XRayCases"), "`XRayHeaders`");
        Row("… payload capture inputs", Fig("hostile.PayloadCaptureCases"), "`PayloadCaptureInput`");
        Row("… events behind a byte-order mark", Fig("hostile.ByteOrderMarkCases"), "`EventsBehindAByteOrderMark`");
        Row("… secrets planted under sensitive names (parser layer)", Fig("hostile.PlantedSecretCases"), "`SecretsPlantedUnderSensitiveNames`");
        Row("… payload trees with secrets under sensitive names", Fig("hostile.SecretPayloadCases"), "`SecretsInHostilePayloadTrees`");
        Row("… authorizer results of every shape", Fig("hostile.AuthorizerResultCases"), "`AuthorizerResultsOfEveryShape`");
        Row("… exception graphs (chains, aggregates, hostile overrides)", Fig("hostile.ExceptionGraphCases"), "`ExceptionGraphs`");
        Row("… whole-wrapper invocations with hostile events", Fig("hostile.WrapperCases"), "`HandlerSeesItsEventAndReturnsItsResultWhateverTheEvent`");
        Row("Extension fault kinds survived (closed, 500, 503, slow, hanging, reset, garbage)", $"{faults.Count(f => figure(f) is not null)} of {faults.Length}", "`EveryFaultOfTheEndpoint…`");
        Row("Invocations under those faults", Sum(faults), "`EveryFaultOfTheEndpoint…`");
        Row("Invocations against a dead endpoint", Fig("faults.DeadEndpointInvocations"), "`TenThousandInvocationsAgainstADeadEndpoint…`");
        Row("… managed memory growth over the last 8,000 (bytes)", Fig("faults.DeadEndpointMemoryGrowthBytes"), "same");
        Row("… thread growth over the last 8,000", Fig("faults.DeadEndpointThreadGrowth"), "same");
        Row("Concurrent invocations in one process (on demand)", Fig("load.ConcurrentInvocations"), "`ConcurrentInvocationsProduceDistinctCorrectTracesWithOneColdStart`");
        Row("Concurrent invocations in one process (Managed Instances)", Fig("load.ConcurrentInvocations.ManagedInstances"), "same");
        Row("Invocations past their deadline with an exported `Impending Timeout` span", Fig("timeouts.ImpendingTimeoutExported"), "`ImpendingTimeoutSpanReachesTheExtensionBeforeTheDeadline`");
        Row("Memory soak: invocations after the warm-up (one in ten with a 6, 7.5 or 9 MB event)", Fig("memory.Invocations"), "`TracedSoakWithBigEventsKeepsNoMoreThanEightMegabytesMoreThanUntraced`");
        Row("… resident memory kept over the soak, tracing off (kB)", Fig("memory.UntracedGrowthKb"), "same");
        Row("… resident memory kept over the soak, tracing on (kB; at most 8,192 more than off)", Fig("memory.TracedGrowthKb"), "same");
        Row("… resident memory at the baseline, tracing off / on (kB)", $"{Fig("memory.UntracedBaselineKb")} / {Fig("memory.TracedBaselineKb")}", "same");
        Row("… peak resident memory during the soak, tracing off / on (kB)", $"{Fig("memory.UntracedPeakKb")} / {Fig("memory.TracedPeakKb")}", "same");
        Row("Secrets planted", Fig("security.SecretsPlanted"), "`NoPlantedSecretReachesTheExtension`");
        Row("Secrets found exported", Fig("security.SecretsFoundExported"), "same");
        Row("Sensitive names tried (built-in list and AWS's field names)", Fig("security.PlantedNames"), "`NoSecretPlantedUnderASensitiveNameLeavesTheFunction`");
        Row("… secrets planted under them, at random places of random event shapes", Fig("security.PlantedSecrets"), "same");
        Row("… found in exported bytes or diagnostics", Fig("security.PlantedSecretsFound"), "same");
        return table.ToString();
    }

    private static void Write()
    {
        try
        {
            if (!System.IO.Directory.Exists(ReliabilityFigures.Directory))
            {
                return;
            }

            var runtime = "net" + Environment.Version.ToString(2);
            var table = Render(name =>
            {
                var path = Path.Combine(ReliabilityFigures.Directory, name + ".txt");
                return File.Exists(path) && long.TryParse(File.ReadAllText(path), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
            });
            var artifacts = RepositoryPaths.Combine("artifacts");
            System.IO.Directory.CreateDirectory(artifacts);
            File.WriteAllText(
                Path.Combine(artifacts, $"reliability-{runtime}.md"),
                $"_Figures of the test run of {DateTime.UtcNow:yyyy-MM-dd} on .NET {Environment.Version} (written when the test process exited)._\n\n{table}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            Console.Error.WriteLine("reliability report not written: " + ex.Message);
        }
    }
}
