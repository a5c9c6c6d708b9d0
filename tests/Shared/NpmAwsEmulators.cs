// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text;

namespace Datadog.Otel.Lambda.TestSupport;

/// <summary>
/// The npm AWS emulators (used by the AWS SDK tests, the differential tests' interop and the local demo): installed by
/// the build of each project that uses them (<c>npm ci</c> from the committed lockfile in
/// tests/Datadog.Otel.Lambda.AwsSdk.Tests/Emulators, build/NpmPackages.targets), never here; started on free loopback
/// ports by small wrappers that print their address, and stopped by process id. fauxqs serves SQS, SNS and S3; dynalite
/// serves DynamoDB; kinesalite serves Kinesis.
/// </summary>
internal sealed class NpmAwsEmulators : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly List<Process> processes = [];

    public static string Folder { get; } = RepositoryPaths.Combine("tests", "Datadog.Otel.Lambda.AwsSdk.Tests", "Emulators");

    public Uri Fauxqs { get; private set; } = null!;

    public Uri Dynalite { get; private set; } = null!;

    public Uri Kinesalite { get; private set; } = null!;

    /// <summary>
    /// Starts fauxqs, dynalite unless <paramref name="dynamoDb"/> is false, and kinesalite when <paramref name="kinesis"/>
    /// is true; fails at once, saying how to install them, when the build has not installed them.
    /// </summary>
    public static async Task<NpmAwsEmulators> StartAsync(bool dynamoDb = true, bool kinesis = false)
    {
        EnsureInstalled();
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

    private static void EnsureInstalled()
    {
        // The build's install target (build/NpmPackages.targets) writes node_modules/.package-lock.json last, and treats
        // the folder as up to date by the same comparison.
        var marker = Path.Combine(Folder, "node_modules", ".package-lock.json");
        var lockFile = Path.Combine(Folder, "package-lock.json");
        if (File.Exists(marker) && File.GetLastWriteTimeUtc(marker) >= File.GetLastWriteTimeUtc(lockFile))
        {
            return;
        }

        throw new InvalidOperationException(
            $"The npm AWS emulators are {(File.Exists(marker) ? "older than their lockfile" : "not installed")} in {Folder}. " +
            "The build of the projects that use them installs them (npm ci from the committed lockfile, through " +
            "build/NpmPackages.targets; Node.js and npm must be on PATH): build again, e.g. " +
            "`dotnet build tests/Datadog.Otel.Lambda.AwsSdk.Tests`, rather than running with --no-build.");
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
