// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.RegularExpressions;
using Datadog.Otel.Lambda.Deployment.Tests.Packaging;
using Datadog.Otel.Lambda.TestSupport;

namespace Datadog.Otel.Lambda.Deployment.Tests.Readme;

/// <summary>
/// The README's quick start done as a reader does it: its installation commands, read from README.md and run one by
/// one in a new function project, then its handler, pasted as it is, built. What differs from a reader's machine,
/// and only that: the package folder is the one this run's build/pack.sh wrote (its path replaces the README's
/// placeholder), Amazon.Lambda.Core, missing from this package registry, is its stand-in (tests/AmazonLambdaStandIns)
/// packed under the real id and version into a second local source, and NuGet's package cache is a folder of the
/// test's own (the machine's cache serves as a read-only fallback) so that the stand-in never lands in the real cache.
/// </summary>
[Collection(PackagesCollection.Name)]
[Trait("Category", "Slow")]
public sealed partial class ReadmeQuickStartTests(PackedPackages packages) : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);

    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("dd-readme-quick-start-");

#if NET10_0_OR_GREATER
    private const string TargetFramework = "net10.0";
#else
    private const string TargetFramework = "net8.0";
#endif

    public void Dispose() => root.Delete(recursive: true);

    [Fact]
    public async Task The_quick_start_installs_with_the_readme_commands_and_its_handler_compiles_as_pasted()
    {
        var blocks = ReadmeBlocks.InSection("Quick start");
        var shell = blocks.Where(b => b.Language == "sh").ToList();
        Assert.Equal(2, shell.Count);

        // The first block packs: the script this run's packages come from (PackedPackages runs it, with a folder and
        // a version of its own), which writes to the clone's artifacts/ folder, the one the second block names.
        var pack = Assert.Single(ReadmeBlocks.Commands(shell[0]));
        Assert.Equal(["./build/pack.sh"], pack);
        Assert.Contains("out=$(realpath -m \"${1:-$repo/artifacts}\")", await File.ReadAllTextAsync(RepositoryPaths.Combine("build", "pack.sh")), StringComparison.Ordinal);

        var environment = await this.PrepareAsync();
        var project = Directory.CreateDirectory(Path.Combine(root.FullName, "MyFunction")).FullName;
        await File.WriteAllTextAsync(Path.Combine(project, "MyFunction.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>{TargetFramework}</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>disable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
            </Project>
            """);

        var install = ReadmeBlocks.Commands(shell[1]);
        Assert.Contains(install, c => c.Contains(ReadmeBlocks.ArtifactsPlaceholder));
        foreach (var readmeCommand in install)
        {
            var command = readmeCommand.Select(a => a == ReadmeBlocks.ArtifactsPlaceholder ? packages.Folder : a).ToArray();
            var (exit, stdout, stderr) = await ProcessRunner.RunAsync(command[0], command[1..], CommandTimeout, project, environment);
            Assert.True(exit == 0, $"README.md line {shell[1].Line}: '{string.Join(' ', readmeCommand)}' failed:\n{stdout}{stderr}");

            if (command is ["dotnet", "new", "nugetconfig", ..])
            {
                // The one step a reader does not take: the stand-in of Amazon.Lambda.Core comes from a source of its own.
                (exit, stdout, stderr) = await ProcessRunner.RunAsync("dotnet", ["nuget", "add", "source", Path.Combine(root.FullName, "standin-feed"), "--name", "amazon-lambda-standins", "--configfile", "nuget.config"], CommandTimeout, project, environment);
                Assert.True(exit == 0, stdout + stderr);
            }
        }

        var code = Assert.Single(blocks, b => b.Language == "csharp");
        Assert.False(code.IsFragment);
        await File.WriteAllTextAsync(Path.Combine(project, "Function.cs"), code.Code);
        var (buildExit, buildOut, buildErr) = await ProcessRunner.RunAsync("dotnet", ["build", "-c", "Release", "-nologo", "--disable-build-servers"], CommandTimeout, project, environment);
        Assert.True(buildExit == 0, $"README.md line {code.Line}: the quick start's handler does not compile in the project the commands made:\n{buildOut}{buildErr}");

        // The packages the commands installed: this run's Datadog.Otel.Lambda, the (stand-in) Core, the HttpClient instrumentation.
        var assets = await File.ReadAllTextAsync(Path.Combine(project, "obj", "project.assets.json"));
        Assert.Contains($"\"Datadog.Otel.Lambda/{packages.Version}\"", assets, StringComparison.Ordinal);
        Assert.Contains("\"Amazon.Lambda.Core/3.2.0\"", assets, StringComparison.Ordinal);
        Assert.Matches("\"OpenTelemetry.Instrumentation.Http/[0-9.]+\"", assets);

        // The source files the quick start says the package adds are the ones it added.
        var added = ContentFile().Matches(assets).Select(m => m.Groups["file"].Value).ToHashSet();
        var named = NamedFile().Matches(string.Join('\n', File.ReadAllLines(RepositoryPaths.Combine("README.md"))
            .SkipWhile(l => l != "## Quick start").TakeWhile(l => !l.StartsWith("2. ", StringComparison.Ordinal))))
            .Select(m => m.Groups["file"].Value).ToHashSet();
        Assert.Equal(4, added.Count);
        Assert.Equal(added.Order(), named.Order());
        Assert.True(File.Exists(Path.Combine(project, "bin", "Release", TargetFramework, "MyFunction.dll")));
    }

    /// <summary>The stand-in feed, the isolated package cache, and nothing from the folders above.</summary>
    private async Task<Dictionary<string, string>> PrepareAsync()
    {
        ScratchFolder.Isolate(root.FullName);
        var userCache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(root.FullName, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <fallbackPackageFolders>
                <add key="machine-cache" value="{userCache}" />
              </fallbackPackageFolders>
            </configuration>
            """);
        var environment = new Dictionary<string, string>
        {
            ["NUGET_PACKAGES"] = Path.Combine(root.FullName, "nuget-packages"),
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
        };

        var standIns = StandInsCopy.CopyTo(root.FullName);
        var (exit, stdout, stderr) = await ProcessRunner.RunAsync(
            "dotnet",
            ["pack", standIns("Amazon.Lambda.Core"), "-c", "Release", "-nologo", "--disable-build-servers", "-p:IsPackable=true", "-p:Version=3.2.0", "-o", Path.Combine(root.FullName, "standin-feed")],
            CommandTimeout,
            root.FullName,
            environment);
        Assert.True(exit == 0, "packing the Amazon.Lambda.Core stand-in failed:\n" + stdout + stderr);
        return environment;
    }

    [GeneratedRegex(@"contentFiles/cs/any/Datadog\.Otel\.Lambda/(?<file>[A-Za-z]+\.cs)")]
    private static partial Regex ContentFile();

    [GeneratedRegex(@"`(?<file>Datadog[A-Za-z]+\.cs)`")]
    private static partial Regex NamedFile();
}
