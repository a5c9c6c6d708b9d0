// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using System.Text;
using Datadog.Otel.Lambda.ExtensionEmulator;
using Datadog.Otel.Lambda.TestSupport;

namespace Datadog.Otel.Lambda.IntegrationTests.Reliability;

/// <summary>
/// What the tracer keeps across invocations, in resident memory: the same soak (tests/Datadog.Otel.Lambda.MemorySoak)
/// runs in two child processes, with tracing off and on (payload capture on, exporting to the extension emulator over
/// loopback), so that each process's RSS is the soak's own. Each child warms up with small events until the runtime has
/// compiled and recompiled their code, takes its baseline after a full collection, runs the soak (one invocation in ten
/// carries a 6, 7.5 or 9 MB event) and measures again after a full collection: the growth is what stayed. The traced
/// growth may exceed the untraced growth by at most 8 MB.
/// </summary>
/// <remarks>
/// Counts: at least 600 warm-up invocations (then more, until two rounds of 250 ms compile nothing: tiered compilation
/// recompiles hot methods during the first few hundred invocations, about 10 MB of code with tracing on), then 1,000 soak
/// invocations with 100 big events. The pooled buffers that big events used to leave behind fill up within the first few
/// dozen of them (one array per size and thread), so 100 show the steady state; the traced process is flat within a MB
/// whether the soak runs 300, 1,000 or 3,000 invocations, and 1,000 keep the test around ten seconds. Before the buffers
/// were bounded the traced soak kept about 41 MB (the untraced one under 1 MB).
/// </remarks>
[Trait("Category", "Slow")]
[Collection("Tracing")]
public class MemorySoakTests
{
    public const int Invocations = 1_000;
    public const int Warmup = 600;

    /// <summary>The bound of the issue: the traced soak's RSS within 8 MB of the untraced one's.</summary>
    public const long MaxExtraGrowthKb = 8 * 1024;

    private static readonly TimeSpan ChildTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task TracedSoakWithBigEventsKeepsNoMoreThanEightMegabytesMoreThanUntraced()
    {
        await using var emulator = await ExtensionEmulator.ExtensionEmulator.StartAsync(new ExtensionEmulatorOptions { Port = 0 });

        var untraced = await RunAsync(traced: false, emulator.TracesEndpoint);
        Assert.Empty(emulator.Spans);
        var traced = await RunAsync(traced: true, emulator.TracesEndpoint);

        // The traced child really traced: every invocation's aws.lambda span reached the emulator.
        var lambdaSpans = await emulator.WaitForSpansAsync(s => s.Name == "aws.lambda", Invocations + Warmup, TimeSpan.FromSeconds(30));
        Assert.Contains(lambdaSpans, s => s.Meta.Keys.Any(k => k.StartsWith("function.request.", StringComparison.Ordinal)));

        Assert.Equal(Invocations / 10, traced.BigEvents);
        var extra = traced.GrowthKb - untraced.GrowthKb;
        Assert.True(
            extra <= MaxExtraGrowthKb,
            $"the traced soak kept {traced.GrowthKb} kB, the untraced one {untraced.GrowthKb} kB: {extra} kB more than untraced (at most {MaxExtraGrowthKb})\n{traced.Output}");

        ReliabilityFigures.Record("memory.Invocations", Invocations);
        ReliabilityFigures.Record("memory.BigEvents", traced.BigEvents);
        ReliabilityFigures.Record("memory.UntracedBaselineKb", untraced.BaselineKb);
        ReliabilityFigures.Record("memory.TracedBaselineKb", traced.BaselineKb);
        ReliabilityFigures.Record("memory.UntracedGrowthKb", untraced.GrowthKb);
        ReliabilityFigures.Record("memory.TracedGrowthKb", traced.GrowthKb);
        ReliabilityFigures.Record("memory.UntracedPeakKb", untraced.PeakKb);
        ReliabilityFigures.Record("memory.TracedPeakKb", traced.PeakKb);
    }

    private static async Task<Soak> RunAsync(bool traced, Uri endpoint)
    {
        // The child is built next to this project, for the same configuration and framework (net8.0 self-contained,
        // as this project is, so that it runs on the real .NET 8 runtime).
        var directory = AppContext.BaseDirectory.Replace("Datadog.Otel.Lambda.IntegrationTests", "Datadog.Otel.Lambda.MemorySoak", StringComparison.Ordinal);
        var executable = Path.Combine(directory, "Datadog.Otel.Lambda.MemorySoak");
        var (file, arguments) = IsSelfContained(directory)
            ? (executable, new List<string>())
            : (ChildProcess.Dotnet, new List<string> { executable + ".dll" });
        arguments.AddRange([Invocations.ToString(CultureInfo.InvariantCulture), endpoint.ToString(), Warmup.ToString(CultureInfo.InvariantCulture)]);

        var environment = new Dictionary<string, string?>
        {
            ["AWS_LAMBDA_FUNCTION_NAME"] = "soak",
            ["AWS_REGION"] = "us-east-1",
            ["DD_TRACE_ENABLED"] = traced ? "true" : "false",
            ["DD_CAPTURE_LAMBDA_PAYLOAD"] = "true",
            ["DD_LOG_LEVEL"] = "warn",

            // Lambda's runtime settings: the workstation collector, whatever the test host uses.
            ["DOTNET_gcServer"] = "0",
            ["DOTNET_GCgen0size"] = null,
        };
        var output = new StringBuilder();
        using var process = ChildProcess.Start(file, arguments, environment, output);
        await ChildProcess.WaitForExitAsync(process, ChildTimeout, output);
        var text = ChildProcess.Snapshot(output);
        Assert.True(process.ExitCode == 0, $"the soak child (traced: {traced}) failed with {process.ExitCode}:\n{text}");
        return Soak.Parse(text);
    }

    private static bool IsSelfContained(string directory) => File.Exists(Path.Combine(directory, "libcoreclr.so"));

    /// <summary>The child's summary line: sizes in kB.</summary>
    private sealed record Soak(long BaselineKb, long SettledKb, long PeakKb, long BigEvents, string Output)
    {
        public long GrowthKb => this.SettledKb - this.BaselineKb;

        public static Soak Parse(string output)
        {
            var summary = output.Split('\n').LastOrDefault(l => l.StartsWith("summary ", StringComparison.Ordinal))
                ?? throw new InvalidOperationException("no summary line from the soak child:\n" + output);
            var values = summary.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(p => p.Split('='))
                .ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture));
            return new Soak(values["baselineKb"], values["settledKb"], values["peakKb"], values["bigEvents"], output);
        }
    }
}
