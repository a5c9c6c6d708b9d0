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
/// program: each is compiled inside the setting it belongs in (a method body, a class, the packages it needs), chosen
/// by a marker it contains; a fragment that matches no setting fails the test until one is added here.
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
            var test = block.Code.Contains("using Xunit;", StringComparison.Ordinal);
            string[] references = test
                ? ["Datadog.Otel.Lambda", "OpenTelemetry.Instrumentation.Http", "Datadog.Otel.Lambda.ExtensionEmulator", "Microsoft.NET.Test.Sdk", "xunit"]
                : ["Datadog.Otel.Lambda", "OpenTelemetry.Instrumentation.Http"];
            this.WriteProject(block, "Microsoft.NET.Sdk", [standIns("Amazon.Lambda.Core")], references, block.Code, library: false);
        }

        await BuildAsync(blocks, "Blocks.slnx");
    }

    [Fact]
    public async Task Every_csharp_fragment_of_the_readme_compiles_in_its_setting()
    {
        var fragments = ReadmeBlocks.All.Where(b => b.Language == "csharp" && b.IsFragment).ToList();

        // Own spans, ASP.NET Core (minimal API and class-based), the AWS SDK, manual propagation, at least.
        Assert.True(fragments.Count >= 5, "README.md has fewer C# fragments than expected: " + fragments.Count);
        var unplaced = fragments.Where(f => FragmentSetting.For(f) is null).Select(f => $"README.md line {f.Line}").ToList();
        Assert.True(unplaced.Count == 0, "no setting in ReadmeCodeBlocksTests.FragmentSetting matches these fragments: " + string.Join(", ", unplaced));

        ScratchFolder.IsolateWithLocalFeed(root.FullName, packages.Folder);
        var standIns = StandInsCopy.CopyTo(root.FullName);
        foreach (var fragment in fragments)
        {
            var setting = FragmentSetting.For(fragment)!;
            this.WriteProject(fragment, setting.Sdk, setting.StandIns.Select(standIns).ToArray(), setting.Packages, setting.Wrap(fragment.Code), library: true);
        }

        await BuildAsync(fragments, "Fragments.slnx");
    }

    private void WriteProject(ReadmeBlocks.Block block, string sdk, string[] standInProjects, string[] packageIds, string code, bool library)
    {
        var name = ProjectName(block);
        var folder = Directory.CreateDirectory(Path.Combine(root.FullName, name)).FullName;
        var references = string.Concat(standInProjects.Select(p => $"    <ProjectReference Include=\"{p}\" />\n"))
            + string.Concat(packageIds.Select(id => $"    <PackageReference Include=\"{id}\" Version=\"{(id.StartsWith("Datadog.", StringComparison.Ordinal) ? packages.Version : CentralVersion(id))}\" />\n"));

        // A fragment's setting has no entry point, which Microsoft.NET.Sdk.Web would want. AWSSDK.Core 4.1 brings
        // System.IO.Hashing 11, which warns on net8.0 whatever else the project has.
        var output = library ? "<OutputType>Library</OutputType>" : string.Empty;
        File.WriteAllText(Path.Combine(folder, name + ".csproj"), $"""
            <Project Sdk="{sdk}">
              <PropertyGroup>
                <TargetFramework>{TargetFramework}</TargetFramework>
                {output}
                <Nullable>enable</Nullable>
                <ImplicitUsings>disable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <SuppressTfmSupportBuildWarnings>true</SuppressTfmSupportBuildWarnings>
                <NuGetAudit>false</NuGetAudit>
                <IsPackable>false</IsPackable>
              </PropertyGroup>
              <ItemGroup>
            {references}  </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Block.cs"), code);
    }

    private async Task BuildAsync(IReadOnlyList<ReadmeBlocks.Block> blocks, string solution)
    {
        File.WriteAllText(Path.Combine(root.FullName, solution), "<Solution>\n" + string.Concat(blocks.Select(b => $"  <Project Path=\"{ProjectName(b)}/{ProjectName(b)}.csproj\" />\n")) + "</Solution>\n");
        var (exit, stdout, stderr) = await ProcessRunner.RunAsync(
            "dotnet",
            ["build", solution, "-c", "Release", "-nologo", "--disable-build-servers"],
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

    /// <summary>The version Directory.Packages.props pins <paramref name="id"/> at, with a <c>$(Property)</c> it names resolved.</summary>
    private static string CentralVersion(string id)
    {
        var props = XDocument.Load(RepositoryPaths.Combine("Directory.Packages.props"));
        var version = props.Descendants("PackageVersion").Single(e => (string?)e.Attribute("Include") == id).Attribute("Version")!.Value;
        return PropertyReference().Replace(version, m => props.Descendants(m.Groups["name"].Value).Single().Value);
    }

    [GeneratedRegex(@"^.*ReadmeLine(?<line>\d+)[/\\]Block\.cs\(\d+,\d+\): error .*$", RegexOptions.Multiline)]
    private static partial Regex ErrorLine();

    [GeneratedRegex(@"\$\((?<name>\w+)\)")]
    private static partial Regex PropertyReference();
}
