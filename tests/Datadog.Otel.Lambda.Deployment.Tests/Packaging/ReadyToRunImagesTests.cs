// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using Datadog.Otel.Lambda.TestSupport;

namespace Datadog.Otel.Lambda.Deployment.Tests.Packaging;

/// <summary>
/// The ReadyToRun images the library packages ship as RID-specific runtime assets (docs/packages.md), and every way a
/// function consumes them: published for linux-x64, built portable, published ReadyToRun, trimmed and Native AOT. Each
/// test's function references the three packages with an assembly and is built from the packed packages, on the test
/// leg's own target framework.
/// </summary>
[Trait("Category", "Slow")]
[Collection(PackagesCollection.Name)]
public sealed class ReadyToRunImagesTests(PackedPackages packages) : IDisposable
{
#if NET10_0_OR_GREATER
    private const string TargetFramework = "net10.0";
#else
    private const string TargetFramework = "net8.0";
#endif
    private const string FunctionName = "r2r-fn";
    private const string RequestId = "req-r2r-1";
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(6);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(1);

    // The packages whose assembly runs in the function (Datadog.Otel.Lambda.AspNetCoreServer ships source only).
    private static readonly string[] Assemblies = ["Datadog.Otel.Lambda", "Datadog.Otel.Lambda.AwsSdk", "Datadog.Otel.Lambda.Logging"];

    private readonly DirectoryInfo project = Directory.CreateTempSubdirectory("dd-r2r-project-");

    public void Dispose() => project.Delete(recursive: true);

    [Fact]
    public void Each_library_package_ships_ReadyToRun_images_per_RID_next_to_its_IL()
    {
        foreach (var id in Assemblies)
        {
            using var package = ZipFile.OpenRead(packages.Package(id));

            // .NET 8 has no linux-arm64 image: this registry has no .NET 8 linux-arm64 runtime pack to compile against.
            var expected = new[] { "linux-x64/lib/net8.0", "linux-x64/lib/net10.0", "linux-arm64/lib/net10.0" };
            var images = package.Entries.Where(e => e.FullName.StartsWith("runtimes/", StringComparison.Ordinal)).Select(e => e.FullName).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(expected.Select(folder => $"runtimes/{folder}/{id}.dll").Order(StringComparer.Ordinal), images);

            foreach (var framework in new[] { "net8.0", "net10.0" })
            {
                var il = Read(package, $"lib/{framework}/{id}.dll");
                Assert.False(IsReadyToRun(il), $"{id} lib/{framework} is not IL only");
                foreach (var image in images.Where(i => i.Contains($"/lib/{framework}/", StringComparison.Ordinal)))
                {
                    var bytes = Read(package, image);
                    Assert.True(IsReadyToRun(bytes), image + " is not a ReadyToRun image");

                    // The image is the IL build precompiled: the same assembly (identity and module version id).
                    Assert.Equal(Identity(il), Identity(bytes));
                }
            }
        }
    }

    [Fact]
    public async Task A_publish_for_linux_x64_gets_the_ReadyToRun_images_and_the_function_traces()
    {
        WriteFunction();
        var output = await PublishAsync("fd", ["-r", "linux-x64", "--self-contained", "false"]);
        AssertImagesAreThePackagesOnes(output, "linux-x64");

#if NET10_0_OR_GREATER
        await RunAndAssertTraceAsync("dotnet", [Path.Combine(output, "R2rFunction.dll")], output);
#else
        // Only the .NET 10 runtime is installed here: the .NET 8 function runs self-contained on the real .NET 8 runtime,
        // with the same RID-specific assets.
        var selfContained = await PublishAsync("sc", ["-r", "linux-x64", "--self-contained", "true"]);
        AssertImagesAreThePackagesOnes(selfContained, "linux-x64");
        await RunAndAssertTraceAsync(Path.Combine(selfContained, "R2rFunction"), [], selfContained);
#endif
    }

    [Fact]
    public async Task A_portable_build_lists_the_images_as_runtime_targets_and_loads_the_linux_x64_one()
    {
        WriteFunction();
        var (exit, stdout, stderr) = await DotnetAsync(["build", "-c", "Release"]);
        Assert.True(exit == 0, "the portable build failed:\n" + stdout + stderr);
        var output = Path.Combine(project.FullName, "bin", "Release", TargetFramework);

        using var deps = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "R2rFunction.deps.json")));
        var libraries = deps.RootElement.GetProperty("targets").EnumerateObject().Single().Value;
        foreach (var id in Assemblies)
        {
            var library = libraries.GetProperty($"{id}/{packages.Version}");
            Assert.True(library.GetProperty("runtime").TryGetProperty($"lib/{TargetFramework}/{id}.dll", out _), id + ": no IL runtime asset");
            var targets = library.GetProperty("runtimeTargets");
            Assert.Equal("linux-x64", targets.GetProperty($"runtimes/linux-x64/lib/{TargetFramework}/{id}.dll").GetProperty("rid").GetString());
            Assert.True(IsReadyToRun(File.ReadAllBytes(Path.Combine(output, "runtimes", "linux-x64", "lib", TargetFramework, id + ".dll"))));
        }

#if NET10_0_OR_GREATER
        // The host resolves the runtime targets for this machine's RID: the assemblies load from runtimes/linux-x64.
        var (runExit, runOut, runErr) = await ProcessRunner.RunAsync("dotnet", [Path.Combine(output, "R2rFunction.dll"), "--where"], RunTimeout, project.FullName);
        Assert.True(runExit == 0, "the portable build failed to run:\n" + runOut + runErr);
        foreach (var id in Assemblies)
        {
            Assert.Contains($"loaded {id} from {Path.Combine(output, "runtimes", "linux-x64", "lib", TargetFramework, id + ".dll")}", runOut, StringComparison.Ordinal);
        }
#endif
    }

    [Fact]
    public async Task PublishReadyToRun_of_a_function_consuming_the_packages_succeeds_without_warnings()
    {
        WriteFunction();
        var output = await PublishAsync("r2r", ["-r", "linux-x64", "--self-contained", "false", "-p:PublishReadyToRun=true"]);

        // Our assemblies are already ReadyToRun images: the SDK publishes them as they are.
        AssertImagesAreThePackagesOnes(output, "linux-x64");

        // The function's own assembly is precompiled too: ReadyToRun ran over the whole application.
        Assert.True(IsReadyToRun(File.ReadAllBytes(Path.Combine(output, "R2rFunction.dll"))));
    }

    [Fact]
    public async Task PublishTrimmed_of_a_function_consuming_the_packages_succeeds_without_warnings()
    {
        WriteFunction();
        var output = await PublishAsync("trimmed", ["-r", "linux-x64", "--self-contained", "true", "-p:PublishTrimmed=true"]);
        foreach (var id in Assemblies)
        {
            // ILLink read the image's IL and metadata and wrote the trimmed assembly as IL (the precompiled code is dropped).
            var trimmed = Path.Combine(output, id + ".dll");
            Assert.True(File.Exists(trimmed), id + " was trimmed away or not published");
            Assert.False(IsReadyToRun(File.ReadAllBytes(trimmed)), id + " kept its precompiled code through trimming");
        }
    }

#if NET10_0_OR_GREATER
    [Fact]
    public async Task PublishAot_of_a_function_consuming_the_packages_succeeds_without_warnings_and_traces()
    {
        // One Native AOT publish in the suite from the packages (the slowest build): on the .NET 10 leg only.
        WriteFunction();
        var output = await PublishAsync("aot", ["-r", "linux-x64", "-p:PublishAot=true"]);
        await RunAndAssertTraceAsync(Path.Combine(output, "R2rFunction"), [], output);
    }
#endif

    private static bool IsReadyToRun(byte[] assembly)
    {
        using var pe = new PEReader(new MemoryStream(assembly));
        return pe.PEHeaders.CorHeader is { } cor && cor.ManagedNativeHeaderDirectory.Size > 0;
    }

    private static (string Name, Guid Mvid) Identity(byte[] assembly)
    {
        using var pe = new PEReader(new MemoryStream(assembly));
        var reader = pe.GetMetadataReader();
        return (reader.GetAssemblyDefinition().GetAssemblyName().FullName, reader.GetGuid(reader.GetModuleDefinition().Mvid));
    }

    private static byte[] Read(ZipArchive package, string entry)
    {
        using var stream = package.GetEntry(entry)?.Open() ?? throw new InvalidOperationException("no " + entry);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private void AssertImagesAreThePackagesOnes(string output, string runtime)
    {
        foreach (var id in Assemblies)
        {
            using var package = ZipFile.OpenRead(packages.Package(id));
            var published = File.ReadAllBytes(Path.Combine(output, id + ".dll"));
            Assert.True(IsReadyToRun(published), id + " was published as IL");
            Assert.Equal(Read(package, $"runtimes/{runtime}/lib/{TargetFramework}/{id}.dll"), published);
        }
    }

    private async Task<string> PublishAsync(string name, string[] arguments)
    {
        var output = Path.Combine(project.FullName, "publish", name);
        var (exit, stdout, stderr) = await DotnetAsync(["publish", "-c", "Release", "-o", output, .. arguments]);
        Assert.True(exit == 0, $"publish {string.Join(' ', arguments)} failed:\n" + stdout + stderr);

        // Warnings are errors in this project (ILLink's and ILCompiler's too); none may be reported either.
        Assert.False(stdout.Contains(": warning ", StringComparison.Ordinal) || stderr.Contains(": warning ", StringComparison.Ordinal), "publish reported warnings:\n" + stdout + stderr);
        return output;
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> DotnetAsync(string[] arguments) =>
        ProcessRunner.RunAsync(
            "dotnet",
            [.. arguments, "-nologo", "-tl:off", "--disable-build-servers"],
            BuildTimeout,
            project.FullName,
            new Dictionary<string, string> { ["MSBUILDDISABLENODEREUSE"] = "1", ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0" });

    private async Task RunAndAssertTraceAsync(string executable, string[] arguments, string output)
    {
        await using var emulator = await ExtensionEmulator.ExtensionEmulator.StartAsync(new() { Port = 0 });
        var environment = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = emulator.TracesEndpoint.AbsoluteUri,
            ["AWS_LAMBDA_FUNCTION_NAME"] = FunctionName,
            ["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST",
            ["AWS_REGION"] = "us-east-1",
        };
        var eventFile = RepositoryPaths.Combine("tests", "Datadog.Otel.Lambda.Tests", "TestData", "events", "api-gateway-rest.json");
        var (exit, stdout, stderr) = await ProcessRunner.RunAsync(executable, [.. arguments, eventFile], RunTimeout, output, environment);
        Assert.True(exit == 0, "the function failed:\n" + stdout + stderr);
        Assert.Contains($"handled {RequestId}", stdout, StringComparison.Ordinal);

        var trace = await emulator.WaitForTraceAsync(t => t.Spans.Any(s => s.Name == "aws.lambda"), TimeSpan.FromSeconds(10));
        Assert.Equal(1234567890123456789UL, trace.TraceId);
        var invocation = trace.Spans.Single(s => s.Name == "aws.lambda");
        Assert.Equal(RequestId, invocation.GetMeta("request_id"));
        Assert.Equal("aws.apigateway", trace.GetParent(invocation)?.Name);
    }

    private void WriteFunction()
    {
        ScratchFolder.IsolateWithLocalFeed(project.FullName, packages.Folder);
        File.WriteAllText(Path.Combine(project.FullName, "R2rFunction.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>{TargetFramework}</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <IlcTreatWarningsAsErrors>true</IlcTreatWarningsAsErrors>
                <InvariantGlobalization>true</InvariantGlobalization>
                <NuGetAudit>false</NuGetAudit>
                <!-- AWSSDK.Core's System.IO.Hashing warns on net8.0, where it runs (as in the AwsSdk package itself). -->
                <SuppressTfmSupportBuildWarnings>true</SuppressTfmSupportBuildWarnings>
                <DefaultItemExcludes>$(DefaultItemExcludes);standins/**;publish/**</DefaultItemExcludes>
                <DefineConstants Condition="'$(PublishAot)' == 'true'">$(DefineConstants);NATIVE_AOT</DefineConstants>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Datadog.Otel.Lambda" Version="{packages.Version}" />
                <PackageReference Include="Datadog.Otel.Lambda.AwsSdk" Version="{packages.Version}" />
                <PackageReference Include="Datadog.Otel.Lambda.Logging" Version="{packages.Version}" />
                <!-- Amazon.Lambda.Core is not in this package registry: its stand-in, copied into this folder. -->
                <ProjectReference Include="{StandInsCopy.CopyTo(project.FullName)("Amazon.Lambda.Core")}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(project.FullName, "Program.cs"), $$"""
            using System.Diagnostics;
            using Amazon.Lambda.Core;
            using Datadog.Otel.Lambda;
            using Datadog.Otel.Lambda.AwsSdk;
            using Datadog.Otel.Lambda.Logging;
            using Microsoft.Extensions.Logging;
            using OpenTelemetry;
            using OpenTelemetry.Trace;

            if (args[0] == "--where")
            {
                #if !NATIVE_AOT
                foreach (var assembly in new[] { typeof(DatadogLambda).Assembly, typeof(DatadogAwsSdkInstrumentation).Assembly, typeof(DatadogLambdaLogFormat).Assembly })
                {
                    Console.WriteLine($"loaded {assembly.GetName().Name} from {assembly.Location}");
                }
                #endif
                return;
            }

            using var loggers = LoggerFactory.Create(logging => logging.AddDatadogLambdaConsole());
            using var tracing = Sdk.CreateTracerProviderBuilder().AddDatadogLambda().AddDatadogAwsSdkInstrumentation().Build()!;
            await using var evt = File.OpenRead(args[0]);
            var result = await DatadogLambda.TraceAsync(tracing, evt, new Context().ToDatadog(), async (stream, ctx) =>
            {
                await Task.Yield();
                loggers.CreateLogger("fn").LogInformation("handling {RequestId}", ctx.AwsRequestId);
                return $"handled {ctx.AwsRequestId} in trace {Activity.Current?.TraceId}";
            });
            Console.WriteLine(result);

            internal sealed class Context : ILambdaContext
            {
                public string AwsRequestId => "{{RequestId}}";
                public IClientContext ClientContext => null!;
                public string FunctionName => "{{FunctionName}}";
                public string FunctionVersion => "$LATEST";
                public ICognitoIdentity Identity => null!;
                public ILambdaLogger Logger => null!;
                public string InvokedFunctionArn => "arn:aws:lambda:us-east-1:123456789012:function:{{FunctionName}}";
                public string LogGroupName => "/aws/lambda/{{FunctionName}}";
                public string LogStreamName => "stream";
                public int MemoryLimitInMB => 512;
                public TimeSpan RemainingTime => TimeSpan.FromSeconds(30);
            }
            """);
    }
}
