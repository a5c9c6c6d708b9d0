// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Tests.TestSupport;

/// <summary>
/// Debian's chromium, run headless to load a page, run its script and print the resulting DOM. Installed on first
/// use by build/install-chromium.sh, so a clean clone's <c>dotnet test</c> needs nothing done by hand.
/// </summary>
internal static class HeadlessChromium
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan RenderTimeout = TimeSpan.FromSeconds(60);
    private static readonly Lazy<string> Executable = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Loads a local HTML file and returns the DOM after its scripts ran.</summary>
    public static async Task<string> DumpDomAsync(string htmlFile)
    {
        var profile = Directory.CreateTempSubdirectory("chromium-profile-");
        try
        {
            var (exitCode, stdout, stderr) = await RunAsync(
                Executable.Value,
                [
                    "--headless",
                    "--no-sandbox", // root in containers and CI cannot use chromium's user-namespace sandbox
                    "--disable-gpu",
                    "--no-first-run",
                    "--user-data-dir=" + profile.FullName, // parallel test runs must not share a profile lock
                    "--dump-dom",
                    new Uri(htmlFile).AbsoluteUri,
                ],
                RenderTimeout);
            Assert.True(exitCode == 0 && stdout.Length > 0, $"chromium exited {exitCode}: {stderr}");
            return stdout;
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    private static string Install()
    {
        if (FindOnPath() is { } existing)
        {
            return existing;
        }

        var script = Path.Combine(RepositoryRoot(), "build", "install-chromium.sh");
        var (exitCode, stdout, stderr) = RunAsync("bash", [script], InstallTimeout).GetAwaiter().GetResult();
        Assert.True(exitCode == 0, $"build/install-chromium.sh exited {exitCode}:\n{stdout}\n{stderr}");
        return FindOnPath() ?? throw new InvalidOperationException("chromium is not on PATH after build/install-chromium.sh");
    }

    private static string? FindOnPath() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "chromium"))
            .FirstOrDefault(File.Exists);

    private static string RepositoryRoot()
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

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string fileName, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + fileName);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} did not finish within {timeout}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
