// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.ExtensionEmulator;

namespace LocalDemo;

/// <summary>
/// One function as Lambda runs it: its own process (started on the first invocation, so that its initialization is a
/// real cold start, measured from its own process start), its own Runtime API, and its own extension with the
/// function's <c>DD_SERVICE</c> (here an extension emulator on a loopback port of its own; in Lambda each sandbox has
/// its own extension on 127.0.0.1:4318).
/// </summary>
internal sealed class LambdaSandbox : IAsyncDisposable
{
    // The function's configuration, as Lambda gives it to the function and to its extension.
    private const string Region = "us-east-1";
    private const string AccountId = "123456789012";
    private const string Version = "$LATEST";
    private const int MemorySize = 512;
    private const string InitializationType = "on-demand";

    private static readonly TimeSpan FunctionTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(10);

    private readonly RuntimeApiEmulator runtimeApi;
    private readonly Dictionary<string, string> environment;
    private Process? process;

    private LambdaSandbox(string functionName, ExtensionEmulator extension, RuntimeApiEmulator runtimeApi, Dictionary<string, string> environment)
    {
        FunctionName = functionName;
        Extension = extension;
        this.runtimeApi = runtimeApi;
        this.environment = environment;
    }

    public string FunctionName { get; }

    public string FunctionArn => $"arn:aws:lambda:{Region}:{AccountId}:function:{FunctionName}";

    /// <summary>Gets this function's extension (emulated): what Datadog receives from this function.</summary>
    public ExtensionEmulator Extension { get; }

    public static async Task<LambdaSandbox> CreateAsync(string functionName, IReadOnlyDictionary<string, string> functionEnvironment)
    {
        // What the function's configuration sets for both the function and its extension: the extension reads the same
        // environment, so its spans carry the function tags Datadog shows (functionname, function_arn, region, ...).
        var extension = await ExtensionEmulator.StartAsync(new ExtensionEmulatorOptions
        {
            Service = functionName,
            Env = "demo",
            FunctionName = functionName,
            Region = Region,
            AccountId = AccountId,
            FunctionVersion = Version,
            MemorySize = MemorySize,
            InitializationType = InitializationType,
        });
        var runtimeApi = await RuntimeApiEmulator.StartAsync();
        var environment = new Dictionary<string, string>(functionEnvironment)
        {
            ["AWS_LAMBDA_RUNTIME_API"] = runtimeApi.Address,
            ["AWS_LAMBDA_FUNCTION_NAME"] = functionName,
            ["AWS_LAMBDA_FUNCTION_VERSION"] = Version,
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = MemorySize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AWS_LAMBDA_INITIALIZATION_TYPE"] = InitializationType,
            ["AWS_LAMBDA_LOG_GROUP_NAME"] = "/aws/lambda/" + functionName,
            ["AWS_REGION"] = Region,
            ["AWS_DEFAULT_REGION"] = Region,
            ["DD_SERVICE"] = functionName,
            ["DD_ENV"] = "demo",
            ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = extension.TracesEndpoint.AbsoluteUri,
        };
        return new LambdaSandbox(functionName, extension, runtimeApi, environment);
    }

    /// <summary>
    /// Invokes the function; the first invocation starts its process (a cold start), later ones reuse it (warm). Returns
    /// when the function posted its response or error, which it does after its spans reached the extension.
    /// </summary>
    public async Task<RuntimeApiResult> InvokeAsync(string eventJson, string requestId)
    {
        process ??= Start();
        var invocation = runtimeApi.InvokeAsync(eventJson, requestId, FunctionArn, FunctionTimeout);
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(invocation, exited).WaitAsync(FunctionTimeout);
        if (first == exited)
        {
            throw new InvalidOperationException($"{FunctionName}'s process exited with {process.ExitCode} during invocation {requestId}");
        }

        return await invocation;
    }

    public async ValueTask DisposeAsync()
    {
        // Without its Runtime API the function's loop ends and the process exits, as a sandbox is shut down.
        await runtimeApi.DisposeAsync();
        if (process is not null)
        {
            using var stopped = new CancellationTokenSource(ShutdownTimeout);
            try
            {
                await process.WaitForExitAsync(stopped.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
        }

        await Extension.DisposeAsync();
    }

    private Process Start()
    {
        // This same program, in its function mode (see FunctionHost): `LocalDemo --function <name>`, or through the dotnet
        // host when the demo itself runs as `dotnet LocalDemo.dll`.
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var info = new ProcessStartInfo(host) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            info.ArgumentList.Add(typeof(LambdaSandbox).Assembly.Location);
        }

        info.ArgumentList.Add(FunctionHost.Argument);
        info.ArgumentList.Add(FunctionName);
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var started = new Process { StartInfo = info };
        started.OutputDataReceived += (_, e) => Forward(e.Data);
        started.ErrorDataReceived += (_, e) => Forward(e.Data);
        started.Start();
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        return started;
    }

    // The function's own output (its CloudWatch log), marked with the function's name.
    private void Forward(string? line)
    {
        if (line is not null)
        {
            Console.WriteLine($"   {FunctionName} | {line}");
        }
    }
}
