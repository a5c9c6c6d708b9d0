// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.TestSupport;

namespace Datadog.Otel.Lambda.Deployment.Tests.Packaging;

/// <summary>
/// The packages as build/pack.sh makes them, packed once per test run into a temporary folder with a version of
/// their own, so that restoring them can never pick up an older build from the NuGet cache.
/// </summary>
public sealed class PackedPackages : IDisposable
{
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(5);

    public PackedPackages()
    {
        Version = "0.0.0-packtest." + Guid.NewGuid().ToString("n")[..12];
        Folder = Directory.CreateTempSubdirectory("dd-packages-").FullName;
        var (exitCode, stdout, stderr) = ProcessRunner.RunAsync(
            "bash",
            [RepositoryPaths.Combine("build", "pack.sh"), Folder],
            PackTimeout,
            environment: new Dictionary<string, string>
            {
                ["PACKAGE_VERSION"] = Version,

                // No MSBuild worker nodes left running after the test on a machine that is building other things.
                ["MSBUILDDISABLENODEREUSE"] = "1",
                ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
            }).GetAwaiter().GetResult();
        PackOutput = stdout + stderr;
        Assert.True(exitCode == 0, "build/pack.sh failed:\n" + PackOutput);
    }

    public string Version { get; }

    public string Folder { get; }

    public string PackOutput { get; }

    /// <summary>Gets the package ids: one per project under src/.</summary>
    public static IReadOnlyList<string> ExpectedIds { get; } =
        Directory.GetDirectories(RepositoryPaths.Combine("src"))
            .Where(dir => File.Exists(Path.Combine(dir, Path.GetFileName(dir) + ".csproj")))
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)
            .ToList()!;

    public string Package(string id) => Path.Combine(Folder, $"{id}.{Version}.nupkg");

    public string Symbols(string id) => Path.Combine(Folder, $"{id}.{Version}.snupkg");

    public void Dispose()
    {
        Directory.Delete(Folder, recursive: true);

        // Restoring the fresh project copied these versions into the NuGet cache; they are of no use to anyone.
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in ExpectedIds)
        {
            var cached = Path.Combine(cache, id.ToLowerInvariant(), Version);
            if (Directory.Exists(cached))
            {
                Directory.Delete(cached, recursive: true);
            }
        }
    }
}
