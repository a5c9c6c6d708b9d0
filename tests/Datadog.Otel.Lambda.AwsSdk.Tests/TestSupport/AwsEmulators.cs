// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text;
using Datadog.Otel.Lambda.IntegrationTests.TestSupport;

namespace Datadog.Otel.Lambda.AwsSdk.Tests.TestSupport;

/// <summary>
/// The npm AWS emulators, shared by every test of the "AwsSdk" collection: installed with <c>npm ci</c> from the
/// committed lockfile (once per checkout, under a file lock because both target frameworks run at once), started on
/// free loopback ports by small wrappers that print their address, and stopped by process id.
/// fauxqs serves SQS, SNS and S3; dynalite serves DynamoDB.
/// </summary>
public sealed class AwsEmulators : IAsyncLifetime
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly List<Process> processes = [];

    public static string Folder { get; } = Path.Combine(ChildProcess.RepositoryRoot, "tests", "Datadog.Otel.Lambda.AwsSdk.Tests", "Emulators");

    public Uri Fauxqs { get; private set; } = null!;

    public Uri Dynalite { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await EnsureInstalledAsync();
        var fauxqs = this.StartAsync("fauxqs-local.mjs");
        var dynalite = this.StartAsync("dynalite-local.js");
        this.Fauxqs = await fauxqs;
        this.Dynalite = await dynalite;
    }

    public Task DisposeAsync()
    {
        foreach (var process in this.processes)
        {
            try
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            process.Dispose();
        }

        return Task.CompletedTask;
    }

    private static async Task EnsureInstalledAsync()
    {
        var marker = Path.Combine(Folder, "node_modules", ".package-lock.json");
        var lockFile = Path.Combine(Folder, "package-lock.json");
        using var gate = await AcquireAsync(Path.Combine(Folder, ".install.lock"));
        if (File.Exists(marker) && File.GetLastWriteTimeUtc(marker) >= File.GetLastWriteTimeUtc(lockFile))
        {
            return;
        }

        var (exitCode, output) = await RunNpmCiAsync();
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"npm ci failed in {Folder} (exit {exitCode}):\n{output}");
        }
    }

    private static async Task<(int ExitCode, string Output)> RunNpmCiAsync()
    {
        var output = new StringBuilder();
        var info = new ProcessStartInfo("npm") { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "ci", "--ignore-scripts", "--no-audit", "--no-fund" })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(InstallTimeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out");
        }

        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }

    /// <summary>An exclusive lock across processes (the net8.0 and net10.0 test hosts), waited for with a bound.</summary>
    private static async Task<FileStream> AcquireAsync(string path)
    {
        var deadline = DateTime.UtcNow + InstallTimeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    private async Task<Uri> StartAsync(string script)
    {
        var info = new ProcessStartInfo("node") { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        var process = new Process { StartInfo = info };
        var address = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.StartsWith("listening ", StringComparison.Ordinal))
            {
                address.TrySetResult(new Uri(line["listening ".Length..].Trim()));
            }
        };
        process.ErrorDataReceived += (_, e) => { lock (errors) { errors.AppendLine(e.Data); } };
        process.Exited += (_, _) => address.TrySetException(new InvalidOperationException($"{script} exited: {errors}"));
        process.EnableRaisingEvents = true;
        process.Start();
        this.processes.Add(process);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return await address.Task.WaitAsync(StartTimeout);
    }
}

[CollectionDefinition(Name)]
public sealed class AwsSdkCollection : ICollectionFixture<AwsEmulators>
{
    /// <summary>One collection for every test that builds a tracer provider: the AWS SDK hooks are process-wide.</summary>
    public const string Name = "AwsSdk";
}
