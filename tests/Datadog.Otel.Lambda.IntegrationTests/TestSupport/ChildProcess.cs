// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text;

namespace Datadog.Otel.Lambda.IntegrationTests.TestSupport;

/// <summary>Runs a child process with its output captured, bounded by a timeout (the process tree is killed after it).</summary>
internal static class ChildProcess
{
    /// <summary>Gets the repository root (the folder of Datadog.Otel.Lambda.sln).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Gets the dotnet host running the tests (the SDK's, under <c>dotnet test</c>).</summary>
    public static string Dotnet { get; } = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public static Process Start(string fileName, IEnumerable<string> arguments, IDictionary<string, string?>? environment, StringBuilder output)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var pair in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[pair.Key] = pair.Value;
        }

        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout, IDictionary<string, string?>? environment = null)
    {
        var output = new StringBuilder();
        using var process = Start(fileName, arguments, environment, output);
        await WaitForExitAsync(process, timeout, output);
        return (process.ExitCode, Snapshot(output));
    }

    public static async Task WaitForExitAsync(Process process, TimeSpan timeout, StringBuilder output)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{process.StartInfo.FileName} did not exit within {timeout}:\n{Snapshot(output)}");
        }
    }

    public static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Datadog.Otel.Lambda.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Datadog.Otel.Lambda.sln not found above " + AppContext.BaseDirectory);
    }
}
