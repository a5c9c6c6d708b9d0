// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Datadog.Otel.Lambda.Deployment.Tests.Readme;
using Datadog.Otel.Lambda.TestSupport;

namespace Datadog.Otel.Lambda.Deployment.Tests.Packaging;

/// <summary>
/// The emulator's two packages used as the README says, with the README's commands read from README.md: a new test
/// project adds the library from the packed packages and runs the README's test, which asserts a trace; the tool is
/// installed with the README's <c>dotnet tool install</c> from the packed packages (into a folder of its own:
/// <c>--tool-path</c> for <c>--global</c>), run with the README's options (on a free port: <c>--port 0</c> for the
/// extension's 4318), sent a trace, and stopped.
/// </summary>
[Trait("Category", "Slow")]
[Collection(PackagesCollection.Name)]
[Trait("Category", "Slow")]
public sealed partial class EmulatorPackagesTests(PackedPackages packages) : IDisposable
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(6);
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(1);

    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("dd-emulator-packages-");

    public void Dispose() => folder.Delete(recursive: true);

    [Fact]
    public async Task A_new_test_project_references_the_emulator_library_and_the_readme_test_passes()
    {
#if NET10_0_OR_GREATER
        const string TargetFramework = "net10.0";
        const string Runtime = "";
#else
        // The test leg's runtime: .NET 8 runs here only self-contained (as the net8.0 test leg itself does).
        const string TargetFramework = "net8.0";
        const string Runtime = "<RuntimeIdentifier>linux-x64</RuntimeIdentifier><SelfContained>true</SelfContained>";
#endif
        WriteIsolation();

        // Datadog.Otel.Lambda's content files compile against Amazon.Lambda.Core, which a function's test project has (and
        // which is not in this package registry): the project references its stand-in, copied into this folder, as in
        // FreshProjectTests.
        var standIns = StandInsCopy.CopyTo(folder.FullName);
        File.WriteAllText(Path.Combine(folder.FullName, "FunctionTests.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>{TargetFramework}</TargetFramework>
                {Runtime}
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <NuGetAudit>false</NuGetAudit>
                <IsPackable>false</IsPackable>
                <DefaultItemExcludes>$(DefaultItemExcludes);standins/**</DefaultItemExcludes>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{standIns("Amazon.Lambda.Core")}" />
                <PackageReference Include="Datadog.Otel.Lambda" Version="{packages.Version}" />
                <PackageReference Include="Microsoft.NET.Test.Sdk" Version="{CentralVersion("Microsoft.NET.Test.Sdk")}" />
                <PackageReference Include="xunit" Version="{CentralVersion("xunit")}" />
                <PackageReference Include="xunit.runner.visualstudio" Version="{CentralVersion("xunit.runner.visualstudio")}" />
              </ItemGroup>
            </Project>
            """);

        // The README's command adds the library (the package folder for the README's placeholder).
        foreach (var readmeCommand in ReadmeBlocks.Commands(EmulatorShellBlocks()[0]))
        {
            var command = readmeCommand.Select(a => a == ReadmeBlocks.ArtifactsPlaceholder ? packages.Folder : a).ToArray();
            var (addExit, addOut, addErr) = await ProcessRunner.RunAsync(command[0], command[1..], BuildTimeout, folder.FullName);
            Assert.True(addExit == 0, $"'{string.Join(' ', readmeCommand)}' failed:\n{addOut}{addErr}");
        }

        // The README's example, verbatim: what a user copies is what is compiled (warnings as errors) and run.
        File.WriteAllText(Path.Combine(folder.FullName, "OrderApiTraceTests.cs"), ReadmeEmulatorExample());

        var (exitCode, stdout, stderr) = await ProcessRunner.RunAsync(
            "dotnet",
            ["test", "-nologo", "--disable-build-servers", "--logger", "console;verbosity=normal"],
            BuildTimeout,
            folder.FullName,
            new Dictionary<string, string> { ["MSBUILDDISABLENODEREUSE"] = "1", ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0" });
        Assert.True(exitCode == 0, "the README's emulator test did not pass:\n" + stdout + stderr);
        Assert.True(Regex.IsMatch(stdout, @"Total tests: 1\s+Passed: 1\s") && stdout.Contains("Passed OrderApiTraceTests.The_invocation_is_traced_under_its_api_gateway_span", StringComparison.Ordinal), stdout);

        // The library came from the packed package, not from a project reference or an older cached build.
        var assets = await File.ReadAllTextAsync(Path.Combine(folder.FullName, "obj", "project.assets.json"));
        Assert.Contains($"\"Datadog.Otel.Lambda.ExtensionEmulator/{packages.Version}\"", assets, StringComparison.Ordinal);
    }

#if NET10_0_OR_GREATER
    // The tool runs on the newest runtime installed, whatever the test leg: on the .NET 10 leg only.
    [Fact]
    public async Task The_tool_installs_from_the_packed_packages_prints_a_trace_and_writes_the_view_on_sigterm()
    {
        WriteIsolation();
        var tools = Path.Combine(folder.FullName, "tools");
        var commands = ReadmeBlocks.Commands(EmulatorShellBlocks()[1]);
        Assert.Equal(2, commands.Count);
        var install = commands[0]
            .SelectMany(a => a == "--global" ? ["--tool-path", tools] : new[] { a == ReadmeBlocks.ArtifactsPlaceholder ? packages.Folder : a })
            .ToArray();
        Assert.Equal(["dotnet", "tool", "install", "--tool-path", tools, "Datadog.Otel.Lambda.ExtensionEmulator.Tool", "--add-source", packages.Folder, "--prerelease"], install);
        var (installExit, installOut, installErr) = await ProcessRunner.RunAsync(install[0], install[1..], BuildTimeout, folder.FullName);
        Assert.True(installExit == 0, "dotnet tool install failed:\n" + installOut + installErr);
        Assert.Contains("dd-lambda-emulator", installOut, StringComparison.Ordinal);
        Assert.Contains(packages.Version, installOut, StringComparison.Ordinal);

        // The README's command line, on a free port instead of the extension's 4318; --html's file is relative to the folder.
        var run = commands[1];
        Assert.Equal(["dd-lambda-emulator", "--port", "4318", "--dd-service", "my-function", "--dd-env", "dev", "--html", "traces.html"], run);
        var html = Path.Combine(folder.FullName, run[^1]);
        var lines = new LineWatcher();
        using var tool = StartTool(Path.Combine(tools, run[0]), run[1..].Select(a => a == "4318" ? "0" : a), lines, folder.FullName);
        try
        {
            var listening = await lines.WaitForAsync(ListeningLine(), ToolTimeout);
            var endpoint = new Uri(ListeningLine().Match(listening).Groups[1].Value);
            Assert.Equal("127.0.0.1", endpoint.Host);

            using (var http = new HttpClient())
            using (var content = new StringContent(OtlpJsonTrace, Encoding.UTF8))
            {
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync(endpoint, content);
                Assert.Equal(200, (int)response.StatusCode);
            }

            // Printed once no span arrived for the trace for the quiet period: the extension's mapping, the tool's options.
            await lines.WaitForAsync(TraceLine(), ToolTimeout);
            var waterfall = await lines.WaitForAsync(new Regex("aws\\.lambda\\s+my-function\\s+packed-tool"), ToolTimeout);
            Assert.Contains("aws.lambda", waterfall, StringComparison.Ordinal);

            var (killExit, _, killErr) = await ProcessRunner.RunAsync("kill", ["-s", "TERM", tool.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], ToolTimeout);
            Assert.True(killExit == 0, killErr);
            using var exited = new CancellationTokenSource(ToolTimeout);
            await tool.WaitForExitAsync(exited.Token);
            Assert.Equal(0, tool.ExitCode);
        }
        finally
        {
            if (!tool.HasExited)
            {
                tool.Kill(entireProcessTree: true);
            }
        }

        Assert.Contains("Trace view: file://", lines.Text, StringComparison.Ordinal);
        var page = await File.ReadAllTextAsync(html);
        Assert.Contains("\"traceId\":\"4242\"", page, StringComparison.Ordinal);
        Assert.Contains("\"service\":\"my-function\"", page, StringComparison.Ordinal);
    }

    // One aws.lambda span whose service is the library's default, so the extension's DD_SERVICE replaces it.
    private const string OtlpJsonTrace = """
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"aws.lambda"}}]},
          "scopeSpans":[{"scope":{"name":"Datadog.Otel.Lambda"},"spans":[{
            "traceId":"00000000000000000000000000001092","spanId":"0000000000000001","name":"aws.lambda","kind":2,
            "startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000250000000",
            "attributes":[{"key":"operation.name","value":{"stringValue":"aws.lambda"}},
                          {"key":"resource.name","value":{"stringValue":"packed-tool"}},
                          {"key":"datadog.service","value":{"stringValue":"aws.lambda"}}]}]}]}]}
        """;

    [GeneratedRegex(@"listening on (http://127\.0\.0\.1:\d+/v1/traces)")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"^trace 4242 priority \S+ spans 1")]
    private static partial Regex TraceLine();

    private static Process StartTool(string executable, IEnumerable<string> arguments, LineWatcher lines, string workingDirectory)
    {
        var info = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => lines.Add(e.Data);
        process.ErrorDataReceived += (_, e) => lines.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
#endif

    /// <summary>The first C# block after the README's marker for the emulator library's example.</summary>
    private static string ReadmeEmulatorExample()
    {
        var readme = File.ReadAllText(RepositoryPaths.Combine("README.md"));
        var marker = readme.IndexOf("(EmulatorPackagesTests)", StringComparison.Ordinal);
        Assert.True(marker >= 0, "README.md has no emulator example marked for EmulatorPackagesTests");
        var start = readme.IndexOf("```csharp\n", marker, StringComparison.Ordinal) + "```csharp\n".Length;
        var end = readme.IndexOf("```", start, StringComparison.Ordinal);
        return readme[start..end];
    }

    /// <summary>The README's emulator section's shell blocks: the library's <c>dotnet add package</c>, the tool's install and run.</summary>
    private static IReadOnlyList<ReadmeBlocks.Block> EmulatorShellBlocks()
    {
        var blocks = ReadmeBlocks.InSection("The extension emulator: traces as Datadog sees them, locally").Where(b => b.Language == "sh").ToList();
        Assert.Equal(2, blocks.Count);
        return blocks;
    }

    private static string CentralVersion(string id) =>
        XDocument.Load(RepositoryPaths.Combine("Directory.Packages.props")).Descendants("PackageVersion")
            .Single(e => (string?)e.Attribute("Include") == id).Attribute("Version")!.Value;

    private void WriteIsolation()
    {
        ScratchFolder.IsolateWithLocalFeed(folder.FullName, packages.Folder);
    }

    /// <summary>The tool's output lines, with waits that complete when a matching line arrives (no polling).</summary>
    private sealed class LineWatcher
    {
        private readonly object gate = new();
        private readonly List<string> lines = [];
        private readonly List<(Regex Pattern, TaskCompletionSource<string> Found)> waiters = [];

        public string Text
        {
            get
            {
                lock (gate)
                {
                    return string.Join('\n', lines);
                }
            }
        }

        public void Add(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (gate)
            {
                lines.Add(line);
                foreach (var waiter in waiters.Where(w => w.Pattern.IsMatch(line)).ToList())
                {
                    waiters.Remove(waiter);
                    waiter.Found.TrySetResult(line);
                }
            }
        }

        public async Task<string> WaitForAsync(Regex pattern, TimeSpan timeout)
        {
            var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (gate)
            {
                if (lines.FirstOrDefault(pattern.IsMatch) is { } seen)
                {
                    return seen;
                }

                waiters.Add((pattern, found));
            }

            try
            {
                return await found.Task.WaitAsync(timeout);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"no line matched {pattern} within {timeout}; the tool wrote:\n{Text}");
            }
        }
    }
}
