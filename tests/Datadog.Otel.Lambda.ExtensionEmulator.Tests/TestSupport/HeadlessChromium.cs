// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.TestSupport;

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
    public static async Task<string> DumpDomAsync(string htmlFile) => await RunAsync(htmlFile, "--dump-dom");

    /// <summary>Loads a local HTML file in a 1300x1000 window and saves what is drawn as a PNG file.</summary>
    public static async Task ScreenshotAsync(string htmlFile, string pngFile)
    {
        await RunAsync(htmlFile, "--screenshot=" + pngFile, "--window-size=1300,1000", "--hide-scrollbars");
        Assert.True(File.Exists(pngFile), "chromium wrote no screenshot");
    }

    private static async Task<string> RunAsync(string htmlFile, params string[] mode)
    {
        var profile = Directory.CreateTempSubdirectory("chromium-profile-");
        try
        {
            var (exitCode, stdout, stderr) = await ProcessRunner.RunAsync(
                Executable.Value,
                [
                    "--headless",
                    "--no-sandbox", // root in containers and CI cannot use chromium's user-namespace sandbox
                    "--disable-gpu",
                    "--no-first-run",
                    "--user-data-dir=" + profile.FullName, // parallel test runs must not share a profile lock
                    .. mode,
                    new Uri(htmlFile).AbsoluteUri,
                ],
                RenderTimeout);
            Assert.True(exitCode == 0, $"chromium exited {exitCode}: {stderr}");
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

        var script = RepositoryPaths.Combine("build", "install-chromium.sh");
        var (exitCode, stdout, stderr) = ProcessRunner.RunAsync("bash", [script], InstallTimeout).GetAwaiter().GetResult();
        Assert.True(exitCode == 0, $"build/install-chromium.sh exited {exitCode}:\n{stdout}\n{stderr}");
        return FindOnPath() ?? throw new InvalidOperationException("chromium is not on PATH after build/install-chromium.sh");
    }

    private static string? FindOnPath() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "chromium"))
            .FirstOrDefault(File.Exists);
}
