// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.TestSupport;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Tests.TestSupport;

/// <summary>
/// Debian's chromium, run headless to load a page, run its script and print the resulting DOM. Installed by the build of
/// this project (build/install-chromium.sh, the InstallChromium target), never by a test.
/// </summary>
internal static class HeadlessChromium
{
    private static readonly TimeSpan RenderTimeout = TimeSpan.FromSeconds(60);
    private static readonly Lazy<string> LazyExecutable = new(Locate, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Gets the chromium executable (on PATH; the build installed it).</summary>
    public static string Executable => LazyExecutable.Value;

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
                Executable,
                [
                    "--headless",
                    "--no-sandbox", // root in containers and CI cannot use chromium's user-namespace sandbox
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
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

    private static string Locate() =>
        FindOnPath() ?? throw new InvalidOperationException(
            "chromium is not on PATH: the build of this test project installs it (build/install-chromium.sh, as root); run `dotnet build` or that script first");

    private static string? FindOnPath() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "chromium"))
            .FirstOrDefault(File.Exists);
}
