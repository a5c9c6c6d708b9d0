// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.TestSupport;

namespace Datadog.Otel.Lambda.Deployment.Tests.Packaging;

/// <summary>
/// A user's first steps: a new console project installs Datadog.Otel.Lambda from a local package folder (next to the
/// usual package source), compiles the source files the package adds, wraps a handler and sends its trace to a
/// loopback extension emulator.
/// </summary>
[Trait("Category", "Slow")]
[Collection(PackagesCollection.Name)]
public sealed class FreshProjectTests(PackedPackages packages) : IDisposable
{
    private const string FunctionName = "packed-fn";
    private const string RequestId = "req-packed-1";
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(1);

    private readonly DirectoryInfo project = Directory.CreateTempSubdirectory("dd-fresh-project-");

    public void Dispose() => project.Delete(recursive: true);

    [Fact]
    public async Task A_new_project_installs_the_package_from_a_local_folder_and_runs_a_wrapped_handler()
    {
#if NET10_0_OR_GREATER
        const string TargetFramework = "net10.0";
        const string Runtime = "";
#else
        // The test leg's runtime: .NET 8 runs here only self-contained (as the net8.0 test leg itself does).
        const string TargetFramework = "net8.0";
        const string Runtime = "<RuntimeIdentifier>linux-x64</RuntimeIdentifier><SelfContained>true</SelfContained>";
#endif
        WriteProject(TargetFramework, Runtime);

        var (buildExit, buildOut, buildErr) = await ProcessRunner.RunAsync("dotnet", ["build", "-c", "Release", "-nologo", "--disable-build-servers"], BuildTimeout, project.FullName);
        Assert.True(buildExit == 0, "the fresh project did not build:\n" + buildOut + buildErr);

        // The package's own files are what was compiled: its content files and its assembly, at the packed version.
        var assets = await File.ReadAllTextAsync(Path.Combine(project.FullName, "obj", "project.assets.json"));
        Assert.Contains($"\"Datadog.Otel.Lambda/{packages.Version}\"", assets, StringComparison.Ordinal);
        Assert.Contains("contentFiles/cs/any/Datadog.Otel.Lambda/DatadogLambdaContextExtensions.cs", assets, StringComparison.Ordinal);

        await using var emulator = await ExtensionEmulator.ExtensionEmulator.StartAsync(new() { Port = 0 });
        var output = Path.Combine(project.FullName, "bin", "Release", TargetFramework);
        var environment = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = emulator.TracesEndpoint.AbsoluteUri,
            ["AWS_LAMBDA_FUNCTION_NAME"] = FunctionName,
            ["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST",
            ["AWS_REGION"] = "us-east-1",
        };
        var eventFile = RepositoryPaths.Combine("tests", "Datadog.Otel.Lambda.Tests", "TestData", "events", "api-gateway-rest.json");
        var (runExit, runOut, runErr) = Runtime.Length == 0
            ? await ProcessRunner.RunAsync("dotnet", [Path.Combine(output, "FreshFunction.dll"), eventFile], RunTimeout, project.FullName, environment)
            : await ProcessRunner.RunAsync(Path.Combine(output, "linux-x64", "FreshFunction"), [eventFile], RunTimeout, project.FullName, environment);
        Assert.True(runExit == 0, "the fresh project failed:\n" + runOut + runErr);

        // The handler's result passed through the wrapper, which ran it in the trace of the upstream x-datadog headers.
        Assert.Contains($"handled {RequestId} in trace 0000000000000000{1234567890123456789UL:x16}", runOut, StringComparison.Ordinal);

        // The wrapper flushed before returning: the trace is already at the emulator, continuing the upstream headers.
        var trace = await emulator.WaitForTraceAsync(t => t.Spans.Any(s => s.Name == "aws.lambda"), TimeSpan.FromSeconds(10));
        Assert.Equal(1234567890123456789UL, trace.TraceId);
        var invocation = trace.Spans.Single(s => s.Name == "aws.lambda");
        Assert.Equal(FunctionName, invocation.Resource);
        Assert.Equal(RequestId, invocation.GetMeta("request_id"));
        Assert.Equal("aws.apigateway", trace.GetParent(invocation)?.Name);
    }

    private void WriteProject(string targetFramework, string runtime)
    {
        ScratchFolder.IsolateWithLocalFeed(project.FullName, packages.Folder);
        File.WriteAllText(Path.Combine(project.FullName, "FreshFunction.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>{targetFramework}</TargetFramework>
                {runtime}
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <NuGetAudit>false</NuGetAudit>
                <DefaultItemExcludes>$(DefaultItemExcludes);standins/**</DefaultItemExcludes>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Datadog.Otel.Lambda" Version="{packages.Version}" />
                <!--
                  Amazon.Lambda.Core is not in this package registry: the project references its stand-in (the one the
                  unit tests compile the content files against), copied into this folder. Everything else is the real package.
                -->
                <ProjectReference Include="{StandInsCopy.CopyTo(project.FullName)("Amazon.Lambda.Core")}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(project.FullName, "Program.cs"), $$"""
            using System.Diagnostics;
            using Amazon.Lambda.Core;
            using Datadog.Otel.Lambda;
            using OpenTelemetry;
            using OpenTelemetry.Trace;

            using var tracing = Sdk.CreateTracerProviderBuilder().AddDatadogLambda().Build()!;
            await using var evt = File.OpenRead(args[0]);
            var result = await DatadogLambda.TraceAsync(tracing, evt, new Context().ToDatadog(), async (stream, ctx) =>
            {
                await Task.Yield();
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
