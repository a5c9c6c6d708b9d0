// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.TestSupport;
using Datadog.Otel.Lambda.ZeroCode.Tests.TestSupport;

namespace Datadog.Otel.Lambda.ZeroCode.Tests.ExecWrapper;

/// <summary>
/// The exec wrapper (/opt/datadog-otel-dotnet), run by bash and by a plain POSIX shell (dash) with the arguments the
/// managed runtime's bootstrap script passes (aws/aws-lambda-dotnet Libraries/src/Amazon.Lambda.RuntimeSupport/
/// bootstrap.sh at 831492165a69: <c>exec -- "$AWS_LAMBDA_EXEC_WRAPPER" "$DOTNET_BIN" exec --depsfile … --runtimeconfig …
/// /var/runtime/Amazon.Lambda.RuntimeSupport.dll "$LAMBDA_HANDLER"</c>, or the executable alone for an executable
/// handler). The command it runs in the end is a recorder that writes its arguments and DD_LAMBDA_HANDLER.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // a Lambda layer's shell script: Linux, as Lambda
public sealed class ExecWrapperTests : IDisposable
{
    private const string RuntimeDll = "/var/runtime/Amazon.Lambda.RuntimeSupport.dll";
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("dd-exec-wrapper-");

    public ExecWrapperTests()
    {
        // Arguments NUL-separated (they may hold spaces and newlines), then the variable the wrapper sets.
        File.WriteAllText(this.Recorder, "#!/bin/sh\nprintf '%s\\0' \"$@\" > \"$RECORD_TO\"\nprintf '%s' \"${DD_LAMBDA_HANDLER-<unset>}\" > \"$RECORD_TO.handler\"\nexit \"${RECORDER_EXIT:-0}\"\n");
        File.SetUnixFileMode(this.Recorder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        // The handlers' assemblies, next to their deps files: the wrapper redirects only to an assembly whose metadata
        // names the redirect's type (here bytes around the name, as in a metadata string heap).
        foreach (var assembly in new[] { "Orders.Api", "My Fn", "Orders", "A" })
        {
            this.WriteAssembly(assembly, withRedirect: true);
        }
    }

    public static TheoryData<string> Shells() => new() { "bash", "dash" };

    private string Recorder => Path.Combine(this.folder.FullName, "dotnet");

    private string Record => Path.Combine(this.folder.FullName, "record");

    public void Dispose() => this.folder.Delete(recursive: true);

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task TheHandlerArgumentMovesToDdLambdaHandlerAndTheRedirectTakesItsPlace(string shell)
    {
        var (arguments, handler) = await this.RunAsync(shell, Bootstrap("Orders.Api::Orders.Api.Function::FunctionHandler"));

        Assert.Equal(Bootstrap("Orders.Api::Datadog.Otel.Lambda.DatadogLambdaHandler::HandleAsync"), arguments);
        Assert.Equal("Orders.Api::Orders.Api.Function::FunctionHandler", handler);
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task ArgumentsWithSpacesArriveWhole(string shell)
    {
        // A handler named by its signature, in a function whose files have spaces in their names.
        const string Handler = "My Fn::My.Fn.Function::System.Threading.Tasks.Task`1[System.String] Handle(System.IO.Stream, Amazon.Lambda.Core.ILambdaContext)";
        var deps = Path.Combine(this.folder.FullName, "My Fn.deps.json");
        var bootstrap = Bootstrap(Handler, deps, "/var/task/My Fn.runtimeconfig.json");

        var (arguments, handler) = await this.RunAsync(shell, bootstrap);

        Assert.Equal(Bootstrap("My Fn::Datadog.Otel.Lambda.DatadogLambdaHandler::HandleAsync", deps, "/var/task/My Fn.runtimeconfig.json"), arguments);
        Assert.Equal(Handler, handler);
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task RunningTwiceChangesNothingMore(string shell)
    {
        var once = await this.RunAsync(shell, Bootstrap("Orders::Orders.Function::Handle"));

        // The wrapper in front of itself: the second one sees a redirected handler and leaves it, and the variable, alone.
        var twice = await this.RunAsync(shell, [shell, Paths.ExecWrapper, .. Bootstrap("Orders::Orders.Function::Handle")]);

        Assert.Equal(once.Arguments, twice.Arguments);
        Assert.Equal("Orders::Orders.Function::Handle", twice.Handler);
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task AHandlerAlreadyRedirectedByHandIsLeftAlone(string shell)
    {
        var bootstrap = Bootstrap("Orders::Datadog.Otel.Lambda.DatadogLambdaHandler::HandleAsync");

        var (arguments, handler) = await this.RunAsync(shell, bootstrap, new() { ["DD_LAMBDA_HANDLER"] = "Orders::Orders.Function::Handle" });

        Assert.Equal(bootstrap, arguments);
        Assert.Equal("Orders::Orders.Function::Handle", handler);
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task AHandlerAssemblyWithoutTheRedirectIsLeftAlone(string shell)
    {
        // The layer applied to a function whose project does not reference the package (or turns the redirect off):
        // redirected, the runtime could not load the type and every invocation would fail.
        this.WriteAssembly("Plain", withRedirect: false);
        var bootstrap = Bootstrap("Plain::Plain.Function::Handle");

        var (exit, _, stderr) = await ProcessRunner.RunAsync(shell, [Paths.ExecWrapper, .. bootstrap], TimeSpan.FromSeconds(30), environment: this.Environment());

        Assert.Equal(0, exit);
        string[] recorded = [this.Recorder, .. File.ReadAllText(this.Record).Split('\0')[..^1]];
        Assert.Equal(bootstrap, recorded);
        Assert.Equal("<unset>", File.ReadAllText(this.Record + ".handler"));
        Assert.Contains("Plain.dll has no Datadog.Otel.Lambda redirect", stderr, StringComparison.Ordinal);

        // No such assembly at all: left alone too.
        var missing = Bootstrap("Absent::Absent.Function::Handle");
        var (absent, _) = await this.RunAsync(shell, missing);
        Assert.Equal(missing, absent);
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task WithoutADepsFileTheAssemblyIsLookedForInTheTaskRoot(string shell)
    {
        string[] command = [this.Recorder, "exec", RuntimeDll, "Orders::Orders.Function::Handle"];

        var (arguments, handler) = await this.RunAsync(shell, command, new() { ["LAMBDA_TASK_ROOT"] = this.folder.FullName });

        string[] expected = [this.Recorder, "exec", RuntimeDll, "Orders::Datadog.Otel.Lambda.DatadogLambdaHandler::HandleAsync"];
        Assert.Equal(expected, arguments);
        Assert.Equal("Orders::Orders.Function::Handle", handler);
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task ExecutableHandlersAreLeftUntouched(string shell)
    {
        // A Native AOT or custom-runtime binary (bootstrap.sh runs it alone), and an executable assembly (run by dotnet exec).
        var binary = await this.RunAsync(shell, ["/var/task/bootstrap"], recorderIsTheCommand: false);
        Assert.Equal(["/var/task/bootstrap"], binary.Arguments);
        Assert.Equal("<unset>", binary.Handler);

        var assembly = await this.RunAsync(shell, [this.Recorder, "exec", "/var/task/MinimalApi.dll"]);
        Assert.Equal([this.Recorder, "exec", "/var/task/MinimalApi.dll"], assembly.Arguments);
        Assert.Equal("<unset>", assembly.Handler);
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task AHandlerTheRuntimeCannotParseIsLeftForTheRuntimeToReport(string shell)
    {
        var bootstrap = Bootstrap("Orders::Handle");

        var (arguments, handler) = await this.RunAsync(shell, bootstrap);

        Assert.Equal(bootstrap, arguments);
        Assert.Equal("<unset>", handler);
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task TheCommandReplacesTheWrapperWithItsExitCode(string shell)
    {
        var (exit, _, _) = await ProcessRunner.RunAsync(shell, [Paths.ExecWrapper, .. Bootstrap("A::B::C")], TimeSpan.FromSeconds(30), environment: this.Environment(new() { ["RECORDER_EXIT"] = "7" }));
        Assert.Equal(7, exit);

        var (none, _, stderr) = await ProcessRunner.RunAsync(shell, [Paths.ExecWrapper], TimeSpan.FromSeconds(30));
        Assert.Equal(126, none);
        Assert.Contains("AWS_LAMBDA_EXEC_WRAPPER=/opt/datadog-otel-dotnet", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void TheWrapperIsExecutableAsTheBootstrapRunsIt()
    {
        // bootstrap.sh refuses a wrapper that is not executable (exit 126) and runs it by its shebang.
        Assert.True(File.GetUnixFileMode(Paths.ExecWrapper).HasFlag(UnixFileMode.UserExecute));
        Assert.StartsWith("#!/bin/bash\n", File.ReadAllText(Paths.ExecWrapper), StringComparison.Ordinal);
    }

    private string[] Bootstrap(string handler, string? deps = null, string runtimeConfig = "/var/task/Orders.runtimeconfig.json") =>
        [this.Recorder, "exec", "--depsfile", deps ?? Path.Combine(this.folder.FullName, "Orders.deps.json"), "--runtimeconfig", runtimeConfig, RuntimeDll, handler];

    private void WriteAssembly(string name, bool withRedirect) =>
        File.WriteAllBytes(
            Path.Combine(this.folder.FullName, name + ".dll"),
            [0x4D, 0x5A, 0x90, 0, .. "\0Datadog.Otel.Lambda\0"u8, .. (withRedirect ? "DatadogLambdaHandler\0"u8 : "Function\0"u8), .. "HandleAsync\0"u8]);

    private Dictionary<string, string> Environment(Dictionary<string, string>? extra = null)
    {
        var environment = new Dictionary<string, string> { ["RECORD_TO"] = this.Record };
        foreach (var (name, value) in extra ?? new())
        {
            environment[name] = value;
        }

        return environment;
    }

    private async Task<(string[] Arguments, string Handler)> RunAsync(string shell, string[] command, Dictionary<string, string>? environment = null, bool recorderIsTheCommand = true)
    {
        if (!recorderIsTheCommand)
        {
            // The command does not exist: run the recorder in its place, with the command as its first argument.
            command = [this.Recorder, .. command];
        }

        var (exit, stdout, stderr) = await ProcessRunner.RunAsync(shell, [Paths.ExecWrapper, .. command], TimeSpan.FromSeconds(30), environment: this.Environment(environment));
        Assert.True(exit == 0, $"exit {exit}\n{stdout}{stderr}");
        var recorded = File.ReadAllText(this.Record).Split('\0');
        var arguments = recorded[..^1];
        if (!recorderIsTheCommand)
        {
            return (arguments, File.ReadAllText(this.Record + ".handler"));
        }

        return ([this.Recorder, .. arguments], File.ReadAllText(this.Record + ".handler"));
    }
}
