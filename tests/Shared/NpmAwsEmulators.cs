// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text;

namespace Datadog.Otel.Lambda.TestSupport;

/// <summary>
/// The npm AWS emulators (used by the AWS SDK tests and the local demo): installed with <c>npm ci</c> from the committed
/// lockfile in tests/Datadog.Otel.Lambda.AwsSdk.Tests/Emulators (once per checkout, under a file lock because several
/// processes may start them at once), started on free loopback ports by small wrappers that print their address, and
/// stopped by process id. fauxqs serves SQS, SNS and S3; dynalite serves DynamoDB; kinesalite serves Kinesis.
/// </summary>
internal sealed class NpmAwsEmulators : IAsyncDisposable
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly List<Process> processes = [];

    public static string Folder { get; } = RepositoryPaths.Combine("tests", "Datadog.Otel.Lambda.AwsSdk.Tests", "Emulators");

    public Uri Fauxqs { get; private set; } = null!;

    public Uri Dynalite { get; private set; } = null!;

    public Uri Kinesalite { get; private set; } = null!;

    /// <summary>
    /// Installs (once per checkout) and starts fauxqs, dynalite unless <paramref name="dynamoDb"/> is false, and kinesalite
    /// when <paramref name="kinesis"/> is true.
    /// </summary>
    public static async Task<NpmAwsEmulators> StartAsync(bool dynamoDb = true, bool kinesis = false)
    {
        await EnsureInstalledAsync();
        var emulators = new NpmAwsEmulators();
        try
        {
            var fauxqs = emulators.StartAsync("fauxqs-local.mjs");
            var dynalite = dynamoDb ? emulators.StartAsync("dynalite-local.js") : null;
            var kinesalite = kinesis ? emulators.StartAsync("kinesalite-local.js") : null;
            emulators.Fauxqs = await fauxqs;
            if (dynalite is not null)
            {
                emulators.Dynalite = await dynalite;
            }

            if (kinesalite is not null)
            {
                emulators.Kinesalite = await kinesalite;
            }
        }
        catch
        {
            await emulators.DisposeAsync();
            throw;
        }

        return emulators;
    }

    public ValueTask DisposeAsync()
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

        return ValueTask.CompletedTask;
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

        var (exitCode, stdout, stderr) = await ProcessRunner.RunAsync("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund"], InstallTimeout, Folder);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"npm ci failed in {Folder} (exit {exitCode}):\n{stdout}{stderr}");
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
