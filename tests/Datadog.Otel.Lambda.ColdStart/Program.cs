// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Globalization;
using System.Text;
using Datadog.Otel.Lambda.ExtensionEmulator;
using Datadog.Otel.Lambda.TestSupport;

// Process start to the first completed invocation (its trace flushed to the extension emulator before the response is
// posted), for examples/AotFunction built three ways (JIT, ReadyToRun, Native AOT) and run three ways: without tracing,
// with this distribution, and with the plain OpenTelemetry SDK + OTLP exporter doing the same work. Each run is a fresh
// process, as a cold start is. Usage: [runs per cell, default 15] [output markdown file]
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 15;
var outputFile = args.Length > 1 ? args[1] : RepositoryPaths.Combine("artifacts", "coldstart.md");
var builds = new (string Name, string[] Properties)[]
{
    ("JIT", ["-p:PublishAot=false", "--self-contained", "false"]),
    ("ReadyToRun", ["-p:PublishAot=false", "-p:PublishReadyToRun=true", "--self-contained", "false"]),
    ("Native AOT", []),
};
var modes = new[] { "none", "datadog", "otel" };
const string Event = """{"Records":[{"messageId":"m-1","receiptHandle":"r","body":"order 1","attributes":{"SentTimestamp":"1700000000000"},"messageAttributes":{},"eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-1:123456789012:orders","awsRegion":"us-east-1"}]}""";

await using var extension = await ExtensionEmulator.StartAsync(new ExtensionEmulatorOptions { Port = 0 });
await using var runtimeApi = await RuntimeApiEmulator.StartAsync();
var results = new List<(string Build, string Mode, double MedianMs, double P90Ms, long PeakRssKb)>();
foreach (var (name, properties) in builds)
{
    var directory = Path.Combine(Path.GetTempPath(), "ddotel-coldstart", name.Replace(' ', '-'));
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

    foreach (var mode in modes)
    {
        var times = new List<double>();
        var rss = new List<long>();
        for (var i = -1; i < runs; i++)
        {
            // One warm-up run per cell (page cache, emulator connections), not counted.
            var (ms, peak) = await RunOnceAsync(Path.Combine(directory, "bootstrap"), mode, $"{name}-{mode}-{i}");
            if (i >= 0)
            {
                times.Add(ms);
                rss.Add(peak);
            }
        }

        times.Sort();
        rss.Sort();
        var row = (name, mode, times[times.Count / 2], times[(int)Math.Ceiling(times.Count * 0.9) - 1], rss[rss.Count / 2]);
        results.Add(row);
        Console.WriteLine($"{name,-11} {mode,-8} median {row.Item3,7:F1} ms  p90 {row.Item4,7:F1} ms  peak RSS {row.Item5 / 1024.0,6:F1} MB");
    }
}

var table = new StringBuilder();
table.AppendLine("| Build | Tracing | Cold start, median (ms) | p90 (ms) | Added vs none (ms) | Peak RSS (MB) | Added RSS (MB) |");
table.AppendLine("|---|---|---:|---:|---:|---:|---:|");
foreach (var row in results)
{
    var none = results.First(r => r.Build == row.Build && r.Mode == "none");
    table.AppendLine(CultureInfo.InvariantCulture, $"| {row.Build} | {row.Mode} | {row.MedianMs:F1} | {row.P90Ms:F1} | {(row.Mode == "none" ? "—" : (row.MedianMs - none.MedianMs).ToString("F1", CultureInfo.InvariantCulture))} | {row.PeakRssKb / 1024.0:F1} | {(row.Mode == "none" ? "—" : ((row.PeakRssKb - none.PeakRssKb) / 1024.0).ToString("F1", CultureInfo.InvariantCulture))} |");
}

Directory.CreateDirectory(Path.GetDirectoryName(outputFile)!);
await File.WriteAllTextAsync(outputFile, table.ToString());
Console.WriteLine();
Console.WriteLine(table);
Console.WriteLine($"{runs} runs per cell; written to {outputFile}");
return 0;

async Task<(double Ms, long PeakRssKb)> RunOnceAsync(string executable, string mode, string requestId)
{
    var output = new StringBuilder();
    var invocation = runtimeApi.InvokeAsync(Event, requestId, "arn:aws:lambda:us-east-1:123456789012:function:coldstart", TimeSpan.FromSeconds(30));
    var clock = Stopwatch.StartNew();
    using var process = ChildProcess.Start(
        executable,
        [],
        new Dictionary<string, string?>
        {
            ["AWS_LAMBDA_RUNTIME_API"] = runtimeApi.Address,
            ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = extension.TracesEndpoint.ToString(),
            ["AWS_LAMBDA_FUNCTION_NAME"] = "coldstart",
            ["AWS_REGION"] = "us-east-1",
            ["COLDSTART_TRACING"] = mode,
            ["EXIT_AFTER_INVOCATIONS"] = "1",
        },
        output);
    var result = await invocation.WaitAsync(TimeSpan.FromSeconds(30));
    var elapsed = clock.Elapsed.TotalMilliseconds;
    await ChildProcess.WaitForExitAsync(process, TimeSpan.FromSeconds(30), output);
    if (result.IsError)
    {
        throw new InvalidOperationException(result.Body + ChildProcess.Snapshot(output));
    }

    var peak = ChildProcess.Snapshot(output).Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("PEAK_RSS_KB ", StringComparison.Ordinal));
    return (elapsed, peak is null ? 0 : long.Parse(peak["PEAK_RSS_KB ".Length..], CultureInfo.InvariantCulture));
}
