// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

// The generated projects run on the SDK's runtime, whatever the test leg: on the .NET 10 leg only.
#if NET10_0_OR_GREATER
using System.Text.RegularExpressions;
using Datadog.Otel.Lambda.Deployment.Tests.Packaging;
using Datadog.Otel.Lambda.TestSupport;

namespace Datadog.Otel.Lambda.Deployment.Tests.Templates;

/// <summary>
/// <c>dotnet new datadog-lambda</c> as a user runs it: the template package that build/pack.sh packed is installed into
/// a template hive of its own (a temporary <c>DOTNET_CLI_HOME</c>), instantiated, restored from the packed packages
/// (and from a package of the Amazon.Lambda.Core stand-in, as this registry has no Amazon.Lambda package), built; the
/// generated test passes and the generated local run prints the function's trace. On the .NET 10 leg only: the generated
/// projects run on the SDK's runtime, whatever the test leg.
/// </summary>
[Trait("Category", "Slow")]
[Collection(PackagesCollection.Name)]
public sealed partial class FunctionTemplateTests(PackedPackages packages) : IDisposable
{
    // The version of the real package that the template references and the stand-in reproduces (tests/AmazonLambdaStandIns).
    private const string AmazonLambdaCoreVersion = "3.2.0";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(6);

    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("dd-template-");

    public void Dispose() => folder.Delete(recursive: true);

    [Fact]
    public async Task The_template_creates_a_function_whose_test_and_local_run_show_its_aws_lambda_span()
    {
        var environment = await IsolateAsync();
        var nupkg = Path.Combine(packages.Folder, $"Datadog.Otel.Lambda.Templates.{packages.Version}.nupkg");
        Assert.True(File.Exists(nupkg), "build/pack.sh packed no template package:\n" + packages.PackOutput);

        var (installExit, installOut, installErr) = await ProcessRunner.RunAsync("dotnet", ["new", "install", nupkg], CommandTimeout, folder.FullName, environment);
        Assert.True(installExit == 0, "dotnet new install failed:\n" + installOut + installErr);
        Assert.Contains("datadog-lambda", installOut, StringComparison.Ordinal);

        var project = Path.Combine(folder.FullName, "OrderApi");
        var (newExit, newOut, newErr) = await ProcessRunner.RunAsync("dotnet", ["new", "datadog-lambda", "-n", "OrderApi", "-o", project, "--Framework", "net10.0"], CommandTimeout, folder.FullName, environment);
        Assert.True(newExit == 0, "dotnet new datadog-lambda failed:\n" + newOut + newErr);

        // The name replaced the template's: namespaces, projects, the handler string; the versions are the packed ones.
        var function = await File.ReadAllTextAsync(Path.Combine(project, "src", "OrderApi", "Function.cs"));
        Assert.Contains("namespace OrderApi;", function, StringComparison.Ordinal);
        Assert.Contains("OrderApi::OrderApi.Function::Handler", function, StringComparison.Ordinal);
        Assert.Contains(".AddDatadogLambda()", function, StringComparison.Ordinal);
        Assert.Contains("DatadogLambda.TraceAsync(tracing, evt, ctx.ToDatadog(), HandleAsync)", function, StringComparison.Ordinal);
        Assert.DoesNotContain("MyFunction", function, StringComparison.Ordinal);
        var props = await File.ReadAllTextAsync(Path.Combine(project, "Directory.Build.props"));
        Assert.Contains("<TargetFramework>net10.0</TargetFramework>", props, StringComparison.Ordinal);

        var (testExit, testOut, testErr) = await ProcessRunner.RunAsync(
            "dotnet",
            ["test", Path.Combine("tests", "OrderApi.Tests"), "-nologo", "--disable-build-servers", "--logger", "console;verbosity=normal"],
            BuildTimeout,
            project,
            environment);
        Assert.True(testExit == 0, "the generated test did not pass:\n" + testOut + testErr);
        Assert.True(
            TestSummary().IsMatch(testOut) && testOut.Contains("Passed OrderApi.Tests.FunctionTests.An_api_gateway_request_is_traced_as_one_aws_lambda_span_under_its_inferred_span", StringComparison.Ordinal),
            testOut);

        // Restored from the packed packages and the stand-in's package, not from a project reference or an older build.
        var assets = await File.ReadAllTextAsync(Path.Combine(project, "tests", "OrderApi.Tests", "obj", "project.assets.json"));
        Assert.Contains($"\"Datadog.Otel.Lambda/{packages.Version}\"", assets, StringComparison.Ordinal);
        Assert.Contains($"\"Datadog.Otel.Lambda.ExtensionEmulator/{packages.Version}\"", assets, StringComparison.Ordinal);
        Assert.Contains($"\"Amazon.Lambda.Core/{AmazonLambdaCoreVersion}\"", assets, StringComparison.Ordinal);

        var (runExit, runOut, runErr) = await ProcessRunner.RunAsync(
            "dotnet",
            ["run", "--project", Path.Combine("src", "OrderApi.LocalRun"), "--disable-build-servers"],
            BuildTimeout,
            project,
            environment);
        Assert.True(runExit == 0, "the generated local run failed:\n" + runOut + runErr);
        Assert.Contains("""response: {"statusCode":200,"body":"hello from OrderApi"}""", runOut, StringComparison.Ordinal);
        Assert.Matches(@"aws\.apigateway\s", runOut);
        Assert.Matches(@"aws\.lambda\s+orderapi\s+OrderApi", runOut);
        Assert.Matches(@"orderapi\.handle\s", runOut);
        Assert.True(File.Exists(Path.Combine(project, "traces.html")), runOut);
    }

    [GeneratedRegex(@"Total tests: 1\s+Passed: 1\s")]
    private static partial Regex TestSummary();

    /// <summary>
    /// A template hive, a NuGet cache and package sources of the test's own: the packed packages and a package of the
    /// Amazon.Lambda.Core stand-in (whose id and version are the real package's, so it must never reach the user's cache).
    /// </summary>
    private async Task<Dictionary<string, string>> IsolateAsync()
    {
        var cliHome = Directory.CreateDirectory(Path.Combine(folder.FullName, "cli-home")).FullName;
        var cache = Directory.CreateDirectory(Path.Combine(folder.FullName, "nuget-packages")).FullName;
        var standInFeed = Directory.CreateDirectory(Path.Combine(folder.FullName, "stand-in-feed")).FullName;
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_CLI_HOME"] = cliHome,
            ["NUGET_PACKAGES"] = cache,
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
        };

        var standIns = StandInsCopy.CopyTo(folder.FullName);
        var (packExit, packOut, packErr) = await ProcessRunner.RunAsync(
            "dotnet",
            ["pack", standIns("Amazon.Lambda.Core"), "-c", "Release", "-o", standInFeed, "-nologo", "--disable-build-servers", "-p:IsPackable=true", "-p:Version=" + AmazonLambdaCoreVersion],
            BuildTimeout,
            folder.FullName,
            environment);
        Assert.True(packExit == 0, "packing the Amazon.Lambda.Core stand-in failed:\n" + packOut + packErr);

        // Nothing from the folders above; packages already downloaded to the user's cache are reused, read-only.
        ScratchFolder.Isolate(folder.FullName);
        var userCache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var fallback = Directory.Exists(userCache) ? $"""<fallbackPackageFolders><add key="user-cache" value="{userCache}" /></fallbackPackageFolders>""" : string.Empty;
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="datadog-otel-lambda-local" value="{packages.Folder}" />
                <add key="amazon-lambda-stand-ins" value="{standInFeed}" />
              </packageSources>
              {fallback}
            </configuration>
            """);
        return environment;
    }
}
#endif
