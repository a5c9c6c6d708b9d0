// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Globalization;
using System.Reflection.PortableExecutable;
using System.Text;
using Datadog.Otel.Lambda.ExtensionEmulator;
using Datadog.Otel.Lambda.TestSupport;

// Process start to the first completed invocation (its trace flushed to the extension emulator before the response is
// posted), for examples/AotFunction built five ways (JIT, ReadyToRun, JIT with our ReadyToRun images swapped in, JIT
// from the packed packages, Native AOT) and run three ways: without tracing,
// with this distribution, and with the plain OpenTelemetry SDK + OTLP exporter doing the same work. Each run is a fresh
// process, as a cold start is. The three ways run in turn (none, datadog, otel, none, ...), so a drift of the machine's
// speed moves all three alike, and the difference datadog - otel is also taken run by run (paired).
// Usage: [runs per cell, default 15] [output markdown file] [--builds JIT,ReadyToRun,JIT-R2R-library,JIT-packages,Native-AOT]
// [--trace DIR]
// --trace DIR: after publishing, run each way once more with the runtime's JIT summary (DOTNET_JitStdOutFile,
// DOTNET_JitDisasmSummary), writing DIR/<build>-<way>.txt: every method compiled at run time, with its tier.
var positional = new List<string>();
string[]? onlyBuilds = null;
string? traceDirectory = null;
for (var a = 0; a < args.Length; a++)
{
    switch (args[a])
    {
        case "--builds":
            onlyBuilds = args[++a].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            break;
        case "--trace":
            traceDirectory = Path.GetFullPath(args[++a]);
            break;
        default:
            positional.Add(args[a]);
            break;
    }
}

var runs = positional.Count > 0 ? int.Parse(positional[0], CultureInfo.InvariantCulture) : 15;
var outputFile = positional.Count > 1 ? positional[1] : RepositoryPaths.Combine("artifacts", "coldstart.md");
// "JIT, R2R library": the JIT build with this distribution's assemblies replaced by their ReadyToRun images from the
// ReadyToRun build (run after it): what a JIT function would start with if the package shipped precompiled images.
var builds = new (string Name, string[] Properties)[]
{
    ("JIT", ["-p:PublishAot=false", "--self-contained", "false"]),
    ("ReadyToRun", ["-p:PublishAot=false", "-p:PublishReadyToRun=true", "--self-contained", "false"]),
    ("JIT, R2R library", ["-p:PublishAot=false", "--self-contained", "false"]),
    // "JIT, packages": the JIT build from the packed packages (build/pack.sh) instead of the project references, as a
    // function deploys them: framework-dependent for linux-x64, so it gets the packages' ReadyToRun images.
    ("JIT, packages", ["-p:PublishAot=false", "--self-contained", "false"]),
    ("Native AOT", []),
};
builds = [.. builds.Where(b => onlyBuilds is null || onlyBuilds.Contains(DirectoryName(b.Name), StringComparer.OrdinalIgnoreCase))];
var modes = new[] { "none", "datadog", "otel" };
const string Event = """{"Records":[{"messageId":"m-1","receiptHandle":"r","body":"order 1","attributes":{"SentTimestamp":"1700000000000"},"messageAttributes":{},"eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-1:123456789012:orders","awsRegion":"us-east-1"}]}""";

string? packagesVersion = null;
if (builds.Any(b => b.Name == "JIT, packages"))
{
    packagesVersion = "0.0.0-coldstart." + Guid.NewGuid().ToString("n")[..12];
    var feed = RepositoryPaths.Combine("artifacts", "coldstart", "packages");
    if (Directory.Exists(feed))
    {
        Directory.Delete(feed, recursive: true);
    }

    Console.WriteLine($"packing {packagesVersion} -> {feed}");
    var (packExit, packOut, packErr) = await ProcessRunner.RunAsync("bash", [RepositoryPaths.Combine("build", "pack.sh"), feed], TimeSpan.FromMinutes(10), RepositoryPaths.Root, new Dictionary<string, string> { ["PACKAGE_VERSION"] = packagesVersion });
    if (packExit != 0)
    {
        Console.Error.WriteLine(packOut + packErr);
        return 1;
    }

    builds = [.. builds.Select(b => b.Name == "JIT, packages" ? (b.Name, [.. b.Properties, $"-p:DatadogPackagesVersion={packagesVersion}", $"-p:RestoreAdditionalProjectSources={feed}"]) : b)];
}

await using var extension = await ExtensionEmulator.StartAsync(new ExtensionEmulatorOptions { Port = 0 });
await using var runtimeApi = await RuntimeApiEmulator.StartAsync();
var results = new List<(string Build, string Mode, double MinMs, double MedianMs, double P90Ms, double CpuMs, long PeakRssKb)>();
var paired = new List<(string Build, double MinMs, double MedianMs, double CpuMinMs, double CpuMedianMs)>();
foreach (var (name, properties) in builds)
{
    var directory = RepositoryPaths.Combine("artifacts", "coldstart", DirectoryName(name));
    Console.WriteLine($"publishing {name} -> {directory}");
    var (exit, stdout, stderr) = await ProcessRunner.RunAsync(
        ChildProcess.Dotnet,
        ["publish", "examples/AotFunction/AotFunction.csproj", "-c", "Release", "-r", "linux-x64", "-o", directory, "-nologo", .. properties],
        TimeSpan.FromMinutes(10),
        RepositoryPaths.Root);
    if (exit != 0)
    {
        Console.Error.WriteLine(stdout + stderr);
        return 1;
    }

    if (name == "JIT, R2R library")
    {
        foreach (var image in Directory.GetFiles(RepositoryPaths.Combine("artifacts", "coldstart", DirectoryName("ReadyToRun")), "Datadog.Otel.Lambda*.dll"))
        {
            File.Copy(image, Path.Combine(directory, Path.GetFileName(image)), overwrite: true);
        }
    }

    if (name == "JIT, packages")
    {
        // What the packages gave the function: the ReadyToRun image of each of our assemblies.
        foreach (var assembly in Directory.GetFiles(directory, "Datadog.Otel.Lambda*.dll"))
        {
            using var pe = new PEReader(File.OpenRead(assembly));
            var readyToRun = pe.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0;
            Console.WriteLine($"{Path.GetFileName(assembly)}: {(readyToRun ? "ReadyToRun image" : "IL only")}");
            if (!readyToRun)
            {
                Console.Error.WriteLine("the packages did not give the function their ReadyToRun images");
                return 1;
            }
        }
    }

    if (traceDirectory is not null)
    {
        Directory.CreateDirectory(traceDirectory);
        foreach (var mode in modes)
        {
            var file = Path.Combine(traceDirectory, $"{DirectoryName(name)}-{mode}.txt");
            File.Delete(file);
            await RunOnceAsync(Path.Combine(directory, "bootstrap"), mode, $"{name}-{mode}-trace", new() { ["DOTNET_JitStdOutFile"] = file, ["DOTNET_JitDisasmSummary"] = "1" });
            var methods = File.Exists(file) ? File.ReadLines(file).Count(l => l.Contains("JIT compiled", StringComparison.Ordinal)) : 0;
            Console.WriteLine($"{name,-11} {mode,-8} {methods} methods compiled at run time -> {file}");
        }
    }

    var times = modes.ToDictionary(m => m, _ => new List<double>());
    var cpus = modes.ToDictionary(m => m, _ => new List<double>());
    var rss = modes.ToDictionary(m => m, _ => new List<long>());
    var pairedDatadogMinusOtel = new List<double>();
    var pairedCpu = new List<double>();
    for (var i = -1; i < runs; i++)
    {
        // One warm-up round per build (page cache, emulator connections), not counted; then the modes in turn.
        var round = new Dictionary<string, (double Ms, double CpuMs)>();
        foreach (var mode in modes)
        {
            var (ms, cpu, peak) = await RunOnceAsync(Path.Combine(directory, "bootstrap"), mode, $"{name}-{mode}-{i}", null);
            round[mode] = (ms, cpu);
            if (i >= 0)
            {
                times[mode].Add(ms);
                cpus[mode].Add(cpu);
                rss[mode].Add(peak);
            }
        }

        if (i >= 0)
        {
            pairedDatadogMinusOtel.Add(round["datadog"].Ms - round["otel"].Ms);
            pairedCpu.Add(round["datadog"].CpuMs - round["otel"].CpuMs);
        }
    }

    foreach (var mode in modes)
    {
        times[mode].Sort();
        cpus[mode].Sort();
        rss[mode].Sort();
        var row = (name, mode, times[mode][0], times[mode][times[mode].Count / 2], times[mode][(int)Math.Ceiling(times[mode].Count * 0.9) - 1], cpus[mode][cpus[mode].Count / 2], rss[mode][rss[mode].Count / 2]);
        results.Add(row);
        Console.WriteLine($"{name,-11} {mode,-8} min {row.Item3,7:F1} ms  median {row.Item4,7:F1} ms  p90 {row.Item5,7:F1} ms  CPU {row.Item6,7:F1} ms  peak RSS {row.Item7 / 1024.0,6:F1} MB");
    }

    pairedDatadogMinusOtel.Sort();
    pairedCpu.Sort();
    paired.Add((name, pairedDatadogMinusOtel[0], pairedDatadogMinusOtel[pairedDatadogMinusOtel.Count / 2], pairedCpu[0], pairedCpu[pairedCpu.Count / 2]));
    Console.WriteLine($"{name,-11} datadog - otel, paired: wall min {pairedDatadogMinusOtel[0]:F1} ms  median {pairedDatadogMinusOtel[pairedDatadogMinusOtel.Count / 2]:F1} ms; CPU min {pairedCpu[0]:F1} ms  median {pairedCpu[pairedCpu.Count / 2]:F1} ms");
}

var table = new StringBuilder();
table.AppendLine("| Build | Tracing | Cold start, min (ms) | median (ms) | p90 (ms) | Added vs none, median (ms) | CPU, median (ms) | Peak RSS (MB) | Added RSS (MB) |");
table.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
foreach (var row in results)
{
    var none = results.First(r => r.Build == row.Build && r.Mode == "none");
    table.AppendLine(CultureInfo.InvariantCulture, $"| {row.Build} | {row.Mode} | {row.MinMs:F1} | {row.MedianMs:F1} | {row.P90Ms:F1} | {(row.Mode == "none" ? "—" : (row.MedianMs - none.MedianMs).ToString("F1", CultureInfo.InvariantCulture))} | {row.CpuMs:F1} | {row.PeakRssKb / 1024.0:F1} | {(row.Mode == "none" ? "—" : ((row.PeakRssKb - none.PeakRssKb) / 1024.0).ToString("F1", CultureInfo.InvariantCulture))} |");
}

table.AppendLine();
table.AppendLine("| Build | datadog - otel, paired run by run: wall min (ms) | wall median (ms) | CPU min (ms) | CPU median (ms) |");
table.AppendLine("|---|---:|---:|---:|---:|");
foreach (var (build, min, median, cpuMin, cpuMedian) in paired)
{
    table.AppendLine(CultureInfo.InvariantCulture, $"| {build} | {min:F1} | {median:F1} | {cpuMin:F1} | {cpuMedian:F1} |");
}

if (packagesVersion is not null)
{
    // The packed version was restored into the NuGet cache for this run only.
    var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
    foreach (var id in new[] { "datadog.otel.lambda", "datadog.otel.lambda.logging", "datadog.otel.lambda.awssdk" })
    {
        var cached = Path.Combine(cache, id, packagesVersion);
        if (Directory.Exists(cached))
        {
            Directory.Delete(cached, recursive: true);
        }
    }
}

Directory.CreateDirectory(Path.GetDirectoryName(outputFile)!);
await File.WriteAllTextAsync(outputFile, table.ToString());
Console.WriteLine();
Console.WriteLine(table);
Console.WriteLine($"{runs} runs per cell; written to {outputFile}");
return 0;

async Task<(double Ms, double CpuMs, long PeakRssKb)> RunOnceAsync(string executable, string mode, string requestId, Dictionary<string, string?>? extra)
{
    var output = new StringBuilder();
    var invocation = runtimeApi.InvokeAsync(Event, requestId, "arn:aws:lambda:us-east-1:123456789012:function:coldstart", TimeSpan.FromSeconds(30));
    var environment = new Dictionary<string, string?>
    {
        ["AWS_LAMBDA_RUNTIME_API"] = runtimeApi.Address,
        ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = extension.TracesEndpoint.ToString(),
        ["AWS_LAMBDA_FUNCTION_NAME"] = "coldstart",
        ["AWS_REGION"] = "us-east-1",
        ["COLDSTART_TRACING"] = mode,
        ["EXIT_AFTER_INVOCATIONS"] = "1",
    };
    foreach (var pair in extra ?? [])
    {
        environment[pair.Key] = pair.Value;
    }

    var clock = Stopwatch.StartNew();
    using var process = ChildProcess.Start(executable, [], environment, output);
    var result = await invocation.WaitAsync(TimeSpan.FromSeconds(30));
    var elapsed = clock.Elapsed.TotalMilliseconds;
    await ChildProcess.WaitForExitAsync(process, TimeSpan.FromSeconds(30), output);
    if (result.IsError)
    {
        throw new InvalidOperationException(result.Body + ChildProcess.Snapshot(output));
    }

    var lines = ChildProcess.Snapshot(output).Split('\n').Select(l => l.Trim()).ToArray();
    var peak = lines.FirstOrDefault(l => l.StartsWith("PEAK_RSS_KB ", StringComparison.Ordinal));
    var cpu = lines.FirstOrDefault(l => l.StartsWith("CPU_MS ", StringComparison.Ordinal));
    return (elapsed, cpu is null ? 0 : double.Parse(cpu["CPU_MS ".Length..], CultureInfo.InvariantCulture), peak is null ? 0 : long.Parse(peak["PEAK_RSS_KB ".Length..], CultureInfo.InvariantCulture));
}

static string DirectoryName(string build) => build.Replace(", ", "-", StringComparison.Ordinal).Replace(' ', '-');
