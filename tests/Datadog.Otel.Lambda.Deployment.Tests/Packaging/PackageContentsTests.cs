// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using Datadog.Otel.Lambda.TestSupport;

namespace Datadog.Otel.Lambda.Deployment.Tests.Packaging;

/// <summary>What build/pack.sh puts in each package: README, license, XML docs, symbols, deterministic builds.</summary>
[Trait("Category", "Slow")]
[Collection(PackagesCollection.Name)]
public sealed class PackageContentsTests(PackedPackages packages)
{
    // Portable PDB custom debug information kinds (System.Reflection.Metadata documents them; the SDK has no constants).
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");
    private static readonly Guid EmbeddedSourceKind = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");

    public static TheoryData<string> PackageIds() => new(PackedPackages.ExpectedIds);

    [Fact]
    public void The_source_packages_ship_their_files_for_every_combination_of_Amazon_Lambda_packages()
    {
        using (var core = ZipFile.OpenRead(packages.Package("Datadog.Otel.Lambda")))
        {
            foreach (var file in new[] { "DatadogLambdaContextExtensions.cs", "DatadogLambdaLoggerExtensions.cs", "DatadogSnapStartHooks.cs", "DatadogLambdaHandler.cs" })
            {
                Assert.NotNull(core.GetEntry("contentFiles/cs/any/Datadog.Otel.Lambda/" + file));
            }

            // The redirect's build file (instrumentation defines, no redirect under PublishAot), for direct and transitive
            // references (Datadog.Otel.Lambda.AwsSdk brings the package's content files along).
            Assert.NotNull(core.GetEntry("build/Datadog.Otel.Lambda.targets"));
            Assert.NotNull(core.GetEntry("buildTransitive/Datadog.Otel.Lambda.targets"));
        }

        // The minimal-API file and the build file that compiles it only next to Amazon.Lambda.AspNetCoreServer.Hosting,
        // for direct and transitive references.
        using var aspNetCore = ZipFile.OpenRead(packages.Package("Datadog.Otel.Lambda.AspNetCoreServer"));
        Assert.NotNull(aspNetCore.GetEntry("contentFiles/cs/any/Datadog.Otel.Lambda/DatadogAspNetCoreLambda.cs"));
        Assert.NotNull(aspNetCore.GetEntry("contentFiles/cs/any/Datadog.Otel.Lambda/DatadogAspNetCoreLambdaHosting.cs"));
        Assert.NotNull(aspNetCore.GetEntry("build/Datadog.Otel.Lambda.AspNetCoreServer.targets"));
        Assert.NotNull(aspNetCore.GetEntry("buildTransitive/Datadog.Otel.Lambda.AspNetCoreServer.targets"));
        var contentFiles = Nuspec(aspNetCore, "Datadog.Otel.Lambda.AspNetCoreServer").Descendants().Where(e => e.Name.LocalName == "files" && e.Parent?.Name.LocalName == "contentFiles").ToList();
        Assert.Contains(contentFiles, e => (string?)e.Attribute("buildAction") == "Compile" && ((string?)e.Attribute("include"))?.EndsWith("DatadogAspNetCoreLambdaHosting.cs", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void The_exec_wrapper_layer_holds_the_wrapper_at_its_root_ready_to_run()
    {
        // Lambda extracts a layer into /opt: this is /opt/datadog-otel-dotnet, AWS_LAMBDA_EXEC_WRAPPER's value.
        var path = Path.Combine(packages.Folder, "datadog-otel-dotnet-layer.zip");
        using var layer = ZipFile.OpenRead(path);
        var entry = Assert.Single(layer.Entries);
        Assert.Equal("datadog-otel-dotnet", entry.FullName);

        // The runtime's bootstrap refuses a wrapper that is not executable (exit 126): the zip keeps the Unix mode.
        Assert.Equal(Convert.ToInt32("755", 8), (entry.ExternalAttributes >> 16) & Convert.ToInt32("777", 8));
        using var reader = new StreamReader(entry.Open());
        Assert.Equal(File.ReadAllText(RepositoryPaths.Combine("src", "Datadog.Otel.Lambda", "ExecWrapper", "datadog-otel-dotnet")), reader.ReadToEnd());
    }

    [Theory]
    [MemberData(nameof(PackageIds))]
    public void Each_project_under_src_is_packed_with_its_readme_license_and_description(string id)
    {
        using var package = ZipFile.OpenRead(packages.Package(id));
        var nuspec = Nuspec(package, id);
        Assert.Equal(id, Metadata(nuspec, "id"));
        Assert.Equal(packages.Version, Metadata(nuspec, "version"));
        Assert.Equal("README.md", Metadata(nuspec, "readme"));
        Assert.Equal("Apache-2.0", Metadata(nuspec, "license"));
        Assert.False(string.IsNullOrWhiteSpace(Metadata(nuspec, "description")));

        using var readme = new StreamReader(package.GetEntry("README.md")!.Open());
        var text = readme.ReadToEnd();
        Assert.StartsWith("# " + id, text, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(RepositoryPaths.Combine("src", id, "README.md")), text);
    }

    [Theory]
    [MemberData(nameof(PackageIds))]
    public void Libraries_ship_xml_docs_and_deterministic_assemblies_whose_symbols_carry_the_sources(string id)
    {
        using var package = ZipFile.OpenRead(packages.Package(id));
        // The IL builds (lib/, tools/); the ReadyToRun images under runtimes/ are those builds precompiled (ReadyToRunImagesTests).
        var assemblies = package.Entries.Where(e => e.FullName.EndsWith(".dll", StringComparison.Ordinal) && e.FullName.Contains("/" + id + ".dll", StringComparison.Ordinal) && !e.FullName.StartsWith("runtimes/", StringComparison.Ordinal)).ToList();
        if (assemblies.Count == 0)
        {
            // A source-only package: its code is compiled in the user's project.
            Assert.Contains(package.Entries, e => e.FullName.StartsWith("contentFiles/cs/any/", StringComparison.Ordinal) && e.FullName.EndsWith(".cs", StringComparison.Ordinal));
            return;
        }

        using var symbols = ZipFile.OpenRead(packages.Symbols(id));
        foreach (var assembly in assemblies)
        {
            var folder = assembly.FullName[..assembly.FullName.LastIndexOf('/')];
            if (folder.StartsWith("lib/", StringComparison.Ordinal))
            {
                Assert.NotNull(package.GetEntry($"{folder}/{id}.xml"));
            }

            using (var pe = new PEReader(new MemoryStream(ReadAll(assembly))))
            {
                // Deterministic compilation stamps a Reproducible entry in the debug directory.
                Assert.Contains(pe.ReadDebugDirectory(), entry => entry.Type == DebugDirectoryEntryType.Reproducible);
            }

            var pdbEntry = symbols.GetEntry($"{folder}/{id}.pdb");
            Assert.True(pdbEntry is not null, $"{id}: no symbols for {folder}");
            using var pdb = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(ReadAll(pdbEntry)));
            var reader = pdb.GetMetadataReader();
            var documents = reader.Documents.Select(h => reader.GetDocument(h)).ToList();
            Assert.NotEmpty(documents);

            // ContinuousIntegrationBuild maps the build machine's paths to /_/, so builds are identical anywhere.
            Assert.All(documents, d => Assert.StartsWith("/_/", reader.GetString(d.Name), StringComparison.Ordinal));

            // A debugger finds every source: through SourceLink (a git remote exists) or embedded in the PDB.
            var kinds = reader.CustomDebugInformation.Select(h => reader.GetGuid(reader.GetCustomDebugInformation(h).Kind)).ToList();
            if (!kinds.Contains(SourceLinkKind))
            {
                Assert.Contains("no SourceLink", packages.PackOutput, StringComparison.Ordinal);
                var embedded = reader.CustomDebugInformation
                    .Select(h => reader.GetCustomDebugInformation(h))
                    .Where(c => reader.GetGuid(c.Kind) == EmbeddedSourceKind && c.Parent.Kind == HandleKind.Document)
                    .Count();
                Assert.Equal(documents.Count, embedded);
            }
        }
    }

    [Theory]
    [MemberData(nameof(PackageIds))]
    public void Each_library_tracks_its_public_api(string id)
    {
        using var package = ZipFile.OpenRead(packages.Package(id));
        if (!package.Entries.Any(e => e.FullName.EndsWith("/" + id + ".dll", StringComparison.Ordinal)))
        {
            // A source-only package has no compiled public API; its source file is what it ships.
            Assert.Contains(package.Entries, e => e.FullName.StartsWith("contentFiles/cs/any/", StringComparison.Ordinal));
            return;
        }

        // The analyzer fails the (warnings-as-errors) pack when the baseline and the code disagree.
        var unshipped = RepositoryPaths.Combine("src", id, ".publicApi", "PublicAPI.Unshipped.txt");
        Assert.True(File.Exists(unshipped), id + ": no public API baseline");
        if (IsTool(Nuspec(package, id)))
        {
            // A tool is a command, not an API: its baseline holds nothing public.
            Assert.Equal(["#nullable enable"], File.ReadLines(unshipped).Where(line => line.Length > 0));
            return;
        }

        Assert.Contains(File.ReadLines(unshipped), line => line.StartsWith(id, StringComparison.Ordinal) || line.StartsWith("static " + id, StringComparison.Ordinal));
    }

    [Fact]
    public void The_emulator_is_a_library_for_test_projects_and_a_separate_dotnet_tool()
    {
        // The library: referenceable (no DotnetTool package type, which NuGet refuses as a PackageReference: NU1212),
        // with the ASP.NET Core shared framework it listens with flowing to the test project.
        const string Library = "Datadog.Otel.Lambda.ExtensionEmulator";
        using (var package = ZipFile.OpenRead(packages.Package(Library)))
        {
            var nuspec = Nuspec(package, Library);
            Assert.False(IsTool(nuspec));
            Assert.Contains(package.Entries, e => e.FullName == $"lib/net8.0/{Library}.dll");
            Assert.Contains(package.Entries, e => e.FullName == $"lib/net10.0/{Library}.dll");
            Assert.Contains(nuspec.Descendants(), e => e.Name.LocalName == "frameworkReference" && (string?)e.Attribute("name") == "Microsoft.AspNetCore.App");
        }

        // The tool: the dd-lambda-emulator command, with the library beside it.
        const string Tool = "Datadog.Otel.Lambda.ExtensionEmulator.Tool";
        using (var package = ZipFile.OpenRead(packages.Package(Tool)))
        {
            Assert.True(IsTool(Nuspec(package, Tool)));
            foreach (var framework in new[] { "net8.0", "net10.0" })
            {
                using var settings = package.GetEntry($"tools/{framework}/any/DotnetToolSettings.xml")!.Open();
                var command = XElement.Load(settings).Descendants().Single(e => e.Name.LocalName == "Command");
                Assert.Equal("dd-lambda-emulator", (string?)command.Attribute("Name"));
                Assert.Equal(Tool + ".dll", (string?)command.Attribute("EntryPoint"));
                Assert.NotNull(package.GetEntry($"tools/{framework}/any/{Library}.dll"));
            }
        }
    }

    private static XElement Nuspec(ZipArchive package, string id)
    {
        using var stream = package.GetEntry(id + ".nuspec")!.Open();
        return XElement.Load(stream);
    }

    private static bool IsTool(XElement nuspec) =>
        nuspec.Descendants().Any(e => e.Name.LocalName == "packageType" && (string?)e.Attribute("name") == "DotnetTool");

    private static string? Metadata(XElement nuspec, string name) =>
        nuspec.Elements().First(e => e.Name.LocalName == "metadata").Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    private static byte[] ReadAll(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
