// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.RegularExpressions;
using System.Xml.Linq;
using Datadog.Otel.Lambda.Deployment.Tests.Packaging;
using Datadog.Otel.Lambda.TestSupport;

namespace Datadog.Otel.Lambda.Deployment.Tests.Readme;

/// <summary>
/// Every C# block of README.md compiles as it is pasted: each in a project of its own, with implicit usings off (so
/// every <c>using</c> it needs is in the block), nullable on and warnings as errors, against this run's packed
/// packages (with their source files) and the stand-in of Amazon.Lambda.Core (tests/AmazonLambdaStandIns), as a
/// function project has it. A block with <c>using Xunit;</c> is a test file and gets a test project's references: xunit,
/// Microsoft.NET.Test.Sdk and the emulator library. Blocks marked <c>csharp fragment</c> are parts of a larger
/// program and are left out.
/// </summary>
[Collection(PackagesCollection.Name)]
[Trait("Category", "Slow")]
public sealed partial class ReadmeCodeBlocksTests(PackedPackages packages) : IDisposable
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(8);

    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("dd-readme-blocks-");

#if NET10_0_OR_GREATER
    private const string TargetFramework = "net10.0";
#else
    private const string TargetFramework = "net8.0";
#endif

    public void Dispose() => root.Delete(recursive: true);

    [Fact]
    public async Task Every_csharp_block_of_the_readme_compiles_as_pasted()
    {
        var blocks = ReadmeBlocks.All.Where(b => b.Language == "csharp" && !b.IsFragment).ToList();

        // The quick start's handler and the emulator's test, at least; a block losing its language would drop out here.
        Assert.True(blocks.Count >= 2, "README.md has fewer complete C# blocks than expected: " + blocks.Count);
        Assert.Contains(blocks, b => b.Code.Contains("DatadogLambda.TraceAsync(Tracing, evt, ctx.ToDatadog()", StringComparison.Ordinal));
        Assert.Contains(blocks, b => b.Code.Contains("using Xunit;", StringComparison.Ordinal));

        ScratchFolder.IsolateWithLocalFeed(root.FullName, packages.Folder);
        var standIns = StandInsCopy.CopyTo(root.FullName);
        foreach (var block in blocks)
        {
            var name = ProjectName(block);
            var folder = Directory.CreateDirectory(Path.Combine(root.FullName, name)).FullName;
            var test = block.Code.Contains("using Xunit;", StringComparison.Ordinal);
            var references = test
                ? $"""
                    <PackageReference Include="Datadog.Otel.Lambda.ExtensionEmulator" Version="{packages.Version}" />
                    <PackageReference Include="Microsoft.NET.Test.Sdk" Version="{CentralVersion("Microsoft.NET.Test.Sdk")}" />
                    <PackageReference Include="xunit" Version="{CentralVersion("xunit")}" />
                  """
                : string.Empty;
            File.WriteAllText(Path.Combine(folder, name + ".csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>{TargetFramework}</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>disable</ImplicitUsings>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                    <NuGetAudit>false</NuGetAudit>
                    <IsPackable>false</IsPackable>
                  </PropertyGroup>
                  <ItemGroup>
                    <ProjectReference Include="{standIns("Amazon.Lambda.Core")}" />
                    <PackageReference Include="Datadog.Otel.Lambda" Version="{packages.Version}" />
                    <PackageReference Include="OpenTelemetry.Instrumentation.Http" Version="{CentralVersion("OpenTelemetry.Instrumentation.Http")}" />
                {references}  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(folder, "Block.cs"), block.Code);
        }

        File.WriteAllText(Path.Combine(root.FullName, "Blocks.slnx"), "<Solution>\n" + string.Concat(blocks.Select(b => $"  <Project Path=\"{ProjectName(b)}/{ProjectName(b)}.csproj\" />\n")) + "</Solution>\n");
        var (exit, stdout, stderr) = await ProcessRunner.RunAsync(
            "dotnet",
            ["build", "Blocks.slnx", "-c", "Release", "-nologo", "--disable-build-servers"],
            BuildTimeout,
            root.FullName,
            new Dictionary<string, string> { ["MSBUILDDISABLENODEREUSE"] = "1", ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0" });

        // Each error names the block's project, ReadmeLineN, so the failure says which block (README.md line N) broke.
        var failed = ErrorLine().Matches(stdout + stderr)
            .Select(m => $"README.md line {m.Groups["line"].Value}: {m.Value}")
            .Distinct()
            .ToList();
        Assert.True(failed.Count == 0 && exit == 0, "README's C# blocks do not all compile:\n" + string.Join('\n', failed) + "\n" + (failed.Count == 0 ? stdout + stderr : string.Empty));
        foreach (var block in blocks)
        {
            Assert.True(File.Exists(Path.Combine(root.FullName, ProjectName(block), "bin", "Release", TargetFramework, ProjectName(block) + ".dll")), $"README.md line {block.Line}: no assembly");
        }
    }

    private static string ProjectName(ReadmeBlocks.Block block) => "ReadmeLine" + block.Line.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string CentralVersion(string id) =>
        XDocument.Load(RepositoryPaths.Combine("Directory.Packages.props")).Descendants("PackageVersion")
            .Single(e => (string?)e.Attribute("Include") == id).Attribute("Version")!.Value;

    [GeneratedRegex(@"^.*ReadmeLine(?<line>\d+)[/\\]Block\.cs\(\d+,\d+\): error .*$", RegexOptions.Multiline)]
    private static partial Regex ErrorLine();
}
