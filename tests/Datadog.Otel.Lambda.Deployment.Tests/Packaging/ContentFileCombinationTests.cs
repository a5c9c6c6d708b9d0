// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using System.Text.RegularExpressions;
using Datadog.Otel.Lambda.TestSupport;

namespace Datadog.Otel.Lambda.Deployment.Tests.Packaging;

/// <summary>
/// Slow-ish (one dotnet build of six small projects, about a minute): the source files the packages add to a user's
/// project compile in every combination of Amazon.Lambda packages a user can have, under the strictest settings a user
/// may run: warnings as errors, every compiler warning (WarningLevel 9999), every .NET code analysis rule as a warning
/// (AnalysisLevel latest-all, CA2252 among them), nullable reference types, and the trim and Native AOT analyzers for
/// the executable-style functions. The projects install the packed packages, as users do (the files come through
/// NuGet's contentFiles, the ASP.NET Core package's build file through build/), and reference the stand-ins of the
/// Amazon.Lambda packages (tests/AmazonLambdaStandIns). The user code in each project is the README's, with the
/// analyzers off for it: only the package's files are held to the strict settings.
/// </summary>
[Trait("Category", "Slow")]
[Collection(PackagesCollection.Name)]
public sealed partial class ContentFileCombinationTests(PackedPackages packages) : IDisposable
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);

    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("dd-content-files-");

#if NET10_0_OR_GREATER
    private const string TargetFramework = "net10.0";
#else
    private const string TargetFramework = "net8.0";
#endif

    public void Dispose() => this.root.Delete(recursive: true);

    [Fact]
    public async Task Every_content_file_compiles_with_every_combination_of_Amazon_Lambda_packages_under_strict_analysis()
    {
        var combinations = new[]
        {
            // Amazon.Lambda.Core alone (a class-library function on the managed runtime).
            new Combination("CoreOnly", "Microsoft.NET.Sdk", ["Amazon.Lambda.Core"], ["Datadog.Otel.Lambda"], Aot: false, Defines: null, Code: QuickStart),

            // Amazon.Lambda.Core older than 2.8 (here 2.3.0, the oldest the files support) with the documented define.
            new Combination("LegacyCore", "Microsoft.NET.Sdk", ["Amazon.Lambda.Core.Legacy"], ["Datadog.Otel.Lambda"], Aot: false, Defines: "DATADOG_LAMBDA_LEGACY_CORE", Code: QuickStart),

            // An executable-style or Native AOT function: RuntimeSupport brings SnapshotRestore.Registry along. The
            // manual SnapStart registration line of DatadogSnapStartHooks.cs's own comment is compiled here too.
            new Combination("RuntimeSupport", "Microsoft.NET.Sdk", ["Amazon.Lambda.RuntimeSupport"], ["Datadog.Otel.Lambda"], Aot: true, Defines: null, Code: Executable(ManualSnapStartLine())),

            // A class-based ASP.NET Core function: AspNetCoreServer without Hosting and without RuntimeSupport.
            new Combination("AspNetCoreServer", "Microsoft.NET.Sdk.Web", ["Amazon.Lambda.AspNetCoreServer"], ["Datadog.Otel.Lambda", "Datadog.Otel.Lambda.AspNetCoreServer"], Aot: false, Defines: null, Code: ClassBased),

            // A minimal API: Hosting brings AspNetCoreServer, RuntimeSupport and the rest.
            new Combination("AspNetCoreServerHosting", "Microsoft.NET.Sdk.Web", ["Amazon.Lambda.AspNetCoreServer.Hosting"], ["Datadog.Otel.Lambda", "Datadog.Otel.Lambda.AspNetCoreServer"], Aot: false, Defines: null, Code: MinimalApi),

            // A class-library function with the HttpClient and AWS SDK instrumentation: the redirect (DatadogLambdaHandler.cs)
            // adds both to the provider it builds, through the defines of the package's build file. AWSSDK.Core 4.1 brings
            // System.IO.Hashing 11, which warns on net8.0 whatever else the project has.
            new Combination("Instrumented", "Microsoft.NET.Sdk", ["Amazon.Lambda.Core"], ["Datadog.Otel.Lambda", "Datadog.Otel.Lambda.AwsSdk", "OpenTelemetry.Instrumentation.Http"], Aot: false, Defines: null, Code: QuickStart, Properties: "<SuppressTfmSupportBuildWarnings>true</SuppressTfmSupportBuildWarnings>"),

            // Native AOT: the package's build file leaves the redirect out (there is no managed runtime to redirect).
            new Combination("NativeAot", "Microsoft.NET.Sdk", ["Amazon.Lambda.RuntimeSupport"], ["Datadog.Otel.Lambda"], Aot: true, Defines: null, Code: Executable(string.Empty), Properties: "<PublishAot>true</PublishAot>"),
        };
        this.WriteSolution(combinations);

        var (exit, stdout, stderr) = await ProcessRunner.RunAsync(
            "dotnet",
            ["build", "Combinations.slnx", "-c", "Release", "-nologo", "--disable-build-servers", "-p:TreatWarningsAsErrors=true"],
            BuildTimeout,
            this.root.FullName,
            new Dictionary<string, string> { ["MSBUILDDISABLENODEREUSE"] = "1", ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0" });

        Assert.True(exit == 0, "a combination did not compile:\n" + stdout + stderr);
        foreach (var combination in combinations)
        {
            // The package's files came through NuGet, at the packed version, and were compiled.
            var assets = await File.ReadAllTextAsync(Path.Combine(this.root.FullName, combination.Name, "obj", "project.assets.json"));
            Assert.Contains($"\"Datadog.Otel.Lambda/{packages.Version}\"", assets, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(this.root.FullName, combination.Name, "bin", "Release", TargetFramework, combination.Name + ".dll")), combination.Name + " produced no assembly");
        }

        // The minimal-API file is compiled exactly where Hosting is referenced: its extension exists there only.
        Assert.Contains("AddDatadogAWSLambdaHosting", await ReadTypesAsync("AspNetCoreServerHosting"), StringComparison.Ordinal);
        Assert.DoesNotContain("AddDatadogAWSLambdaHosting", await ReadTypesAsync("AspNetCoreServer"), StringComparison.Ordinal);

        // The SnapStart hooks are compiled in where Core has SnapshotRestore, and left out with the legacy define.
        Assert.Contains("DatadogSnapStartHooks", await ReadTypesAsync("RuntimeSupport"), StringComparison.Ordinal);
        Assert.DoesNotContain("DatadogSnapStartHooks", await ReadTypesAsync("LegacyCore"), StringComparison.Ordinal);

        // The redirect is compiled everywhere but under PublishAot (with the trim and AOT analyzers on, it compiles clean),
        // and adds the instrumentation the project references, only that.
        foreach (var name in new[] { "CoreOnly", "LegacyCore", "RuntimeSupport", "AspNetCoreServer", "Instrumented" })
        {
            Assert.Contains("DatadogLambdaHandler", await ReadTypesAsync(name), StringComparison.Ordinal);
        }

        Assert.DoesNotContain("DatadogLambdaHandler", await ReadTypesAsync("NativeAot"), StringComparison.Ordinal);
        Assert.Contains("AddHttpClientInstrumentation", await ReadTypesAsync("Instrumented"), StringComparison.Ordinal);
        Assert.Contains("AddDatadogAwsSdkInstrumentation", await ReadTypesAsync("Instrumented"), StringComparison.Ordinal);
        Assert.DoesNotContain("AddHttpClientInstrumentation", await ReadTypesAsync("CoreOnly"), StringComparison.Ordinal);
        Assert.DoesNotContain("AddDatadogAwsSdkInstrumentation", await ReadTypesAsync("CoreOnly"), StringComparison.Ordinal);

        Task<string> ReadTypesAsync(string name) =>
            File.ReadAllTextAsync(Path.Combine(this.root.FullName, name, "bin", "Release", TargetFramework, name + ".dll"), Encoding.Latin1);
    }

    /// <summary>The manual registration line, exactly as DatadogSnapStartHooks.cs's comment shows it to users.</summary>
    private static string ManualSnapStartLine()
    {
        var source = File.ReadAllText(RepositoryPaths.Combine("src", "Datadog.Otel.Lambda", "ContentFiles", "DatadogSnapStartHooks.cs"));
        var line = Assert.Single(ManualLine().Matches(source)).Groups["call"].Value;
        Assert.Contains("SnapshotRestore.RegisterBeforeSnapshot", line, StringComparison.Ordinal);
        return line;
    }

    private void WriteSolution(IReadOnlyList<Combination> combinations)
    {
        ScratchFolder.IsolateWithLocalFeed(this.root.FullName, packages.Folder);
        File.WriteAllText(Path.Combine(this.root.FullName, "Combinations.slnx"), "<Solution>\n" + string.Concat(combinations.Select(c => $"  <Project Path=\"{c.Name}/{c.Name}.csproj\" />\n")) + "</Solution>\n");

        var standIn = StandInsCopy.CopyTo(this.root.FullName);
        foreach (var combination in combinations)
        {
            var folder = Directory.CreateDirectory(Path.Combine(this.root.FullName, combination.Name)).FullName;

            // Analyzers on for the package's files only (they live in the NuGet cache, outside this folder's
            // .editorconfig): the user code here is the README's, not the subject, so it counts as generated code,
            // which the code analysis rules skip.
            File.WriteAllText(Path.Combine(folder, ".editorconfig"), "root = true\n\n[*.cs]\ngenerated_code = true\n");
            var standIns = string.Concat(combination.StandIns.Select(s =>
                $"    <ProjectReference Include=\"{standIn(s)}\" />\n"));
            var datadog = string.Concat(combination.Packages.Select(p => $"    <PackageReference Include=\"{p}\" Version=\"{(p.StartsWith("Datadog.", StringComparison.Ordinal) ? packages.Version : PinnedVersion(p))}\" />\n"));
            var aot = combination.Aot
                ? "<OutputType>Exe</OutputType><EnableTrimAnalyzer>true</EnableTrimAnalyzer><EnableAotAnalyzer>true</EnableAotAnalyzer><EnableSingleFileAnalyzer>true</EnableSingleFileAnalyzer>"
                : combination.Name == "AspNetCoreServerHosting" ? "<OutputType>Exe</OutputType>" : "<OutputType>Library</OutputType>";
            var defines = combination.Defines is null ? string.Empty : $"<DefineConstants>$(DefineConstants);{combination.Defines}</DefineConstants>";
            File.WriteAllText(Path.Combine(folder, combination.Name + ".csproj"), $"""
                <Project Sdk="{combination.Sdk}">
                  <PropertyGroup>
                    <TargetFramework>{TargetFramework}</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                    <WarningLevel>9999</WarningLevel>
                    <AnalysisLevel>latest-all</AnalysisLevel>
                    <EnforceCodeStyleInBuild>true</EnforceCodeStyleInBuild>
                    <NuGetAudit>false</NuGetAudit>
                    {aot}
                    {defines}
                    {combination.Properties}
                  </PropertyGroup>
                  <ItemGroup>
                {standIns}{datadog}  </ItemGroup>
                </Project>
                """);
            Directory.CreateDirectory(Path.Combine(folder, "User"));
            File.WriteAllText(Path.Combine(folder, "User", "Function.cs"), combination.Code);
        }
    }

    [GeneratedRegex(@"^//\s+(?<call>DatadogSnapStart\.RegisterHooks\(.+\);)\s*$", RegexOptions.Multiline)]
    private static partial Regex ManualLine();

    /// <summary>The version the repository pins a package at (Directory.Packages.props).</summary>
    private static string PinnedVersion(string id) =>
        System.Xml.Linq.XElement.Load(RepositoryPaths.Combine("Directory.Packages.props"))
            .Descendants("PackageVersion").Single(e => (string?)e.Attribute("Include") == id).Attribute("Version")!.Value;

    private sealed record Combination(string Name, string Sdk, string[] StandIns, string[] Packages, bool Aot, string? Defines, string Code, string? Properties = null);

    private const string QuickStart = """
        using Amazon.Lambda.Core;
        using Datadog.Otel.Lambda;
        using OpenTelemetry;
        using OpenTelemetry.Trace;

        namespace User;

        public class Function
        {
            private static readonly TracerProvider Tracing = Sdk.CreateTracerProviderBuilder().AddDatadogLambda().Build()!;

            public Task<Stream> Handler(Stream evt, ILambdaContext ctx) =>
                DatadogLambda.TraceAsync(Tracing, evt, ctx.ToDatadog(), (stream, context) =>
                {
                    ctx.Logger.WithDatadog().LogInformation("handled {RequestId}", context.AwsRequestId);
                    return Task.FromResult(stream);
                });
        }
        """;

    private const string ClassBased = """
        using Amazon.Lambda.APIGatewayEvents;
        using Amazon.Lambda.ApplicationLoadBalancerEvents;
        using Amazon.Lambda.AspNetCoreServer;
        using Amazon.Lambda.Core;
        using Datadog.Otel.Lambda;

        namespace User;

        public class LambdaEntryPoint : APIGatewayProxyFunction<Startup>
        {
            public override Task<APIGatewayProxyResponse> FunctionHandlerAsync(APIGatewayProxyRequest request, ILambdaContext lambdaContext) =>
                DatadogAspNetCoreLambda.TraceAsync(request, lambdaContext, base.FunctionHandlerAsync);
        }

        public class HttpApiEntryPoint : APIGatewayHttpApiV2ProxyFunction<Startup>
        {
            public override Task<APIGatewayHttpApiV2ProxyResponse> FunctionHandlerAsync(APIGatewayHttpApiV2ProxyRequest request, ILambdaContext lambdaContext) =>
                DatadogAspNetCoreLambda.TraceAsync(request, lambdaContext, base.FunctionHandlerAsync);
        }

        public class LoadBalancerEntryPoint : ApplicationLoadBalancerFunction<Startup>
        {
            public override Task<ApplicationLoadBalancerResponse> FunctionHandlerAsync(ApplicationLoadBalancerRequest request, ILambdaContext lambdaContext) =>
                DatadogAspNetCoreLambda.TraceAsync(request, lambdaContext, base.FunctionHandlerAsync);
        }

        public class Startup
        {
            public void ConfigureServices(IServiceCollection services) => services.AddControllers();

            public void Configure(IApplicationBuilder app) => app.UseRouting();
        }
        """;

    private const string MinimalApi = """
        using System.Text.Json.Serialization;
        using Amazon.Lambda.APIGatewayEvents;
        using Amazon.Lambda.Serialization.SystemTextJson;
        using Datadog.Otel.Lambda;

        var builder = WebApplication.CreateSlimBuilder(args);
        if (args.Length > 0)
        {
            builder.Services.AddDatadogAWSLambdaHosting(LambdaEventSource.RestApi, new SourceGeneratorLambdaJsonSerializer<User.AppJson>());
        }
        else
        {
            builder.Services.AddDatadogAWSLambdaHosting(LambdaEventSource.HttpApi);
        }

        var app = builder.Build();
        app.MapGet("/", () => "ok");
        app.Run();

        namespace User
        {
            [JsonSerializable(typeof(APIGatewayProxyRequest))]
            [JsonSerializable(typeof(APIGatewayProxyResponse))]
            public partial class AppJson : JsonSerializerContext;
        }
        """;

    private static string Executable(string manualSnapStartLine) => $$"""
        using Amazon.Lambda.Core;
        using Amazon.Lambda.RuntimeSupport;
        using Datadog.Otel.Lambda;
        using OpenTelemetry;
        using OpenTelemetry.Trace;

        {{manualSnapStartLine}}
        using var tracing = Sdk.CreateTracerProviderBuilder().AddDatadogLambda().Build()!;
        await LambdaBootstrapBuilder.Create((Stream evt, ILambdaContext ctx) =>
            DatadogLambda.TraceAsync(tracing, evt, ctx.ToDatadog(), (stream, _) => Task.FromResult(stream))).Build().RunAsync();
        """;
}
