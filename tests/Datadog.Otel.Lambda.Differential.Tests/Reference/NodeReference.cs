// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Datadog.Otel.Lambda.Differential.Tests.Comparison;
using Datadog.Otel.Lambda.Differential.Tests.Corpus;
using Datadog.Otel.Lambda.ExtensionEmulator;
using Datadog.Otel.Lambda.TestSupport;

namespace Datadog.Otel.Lambda.Differential.Tests.Reference;

/// <summary>
/// Runs corpus cases through datadog-lambda-js 12.143.0 with dd-trace 5.132.0 (installed from the project's lockfile when
/// it builds), one child Node.js process per case, at most <see cref="Concurrency"/> at a time, each bounded in time. On
/// Lambda (<c>AWS_LAMBDA_FUNCTION_NAME</c> set, no extension installed) dd-trace would print its traces to stdout;
/// <c>DD_TRACE_EXPERIMENTAL_EXPORTER=agent</c> and <c>DD_TRACE_AGENT_URL</c> send them to the fake agent instead, and
/// dd-trace flushes each trace as soon as it ends (its flush interval is 0 on Lambda). The interop tests also run
/// dd-trace as a producer outside Lambda (<see cref="RunProducerAsync"/>), the same way: a process and a fake agent per call.
/// </summary>
internal sealed class NodeReference
{
    public static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan TraceTimeout = TimeSpan.FromSeconds(15);

    private static readonly string ProjectFolder = RepositoryPaths.Combine("tests", "Datadog.Otel.Lambda.Differential.Tests");
    private static readonly string NodeFolder = Path.Combine(ProjectFolder, "node");
    private static readonly string ReferenceFolder = Path.Combine(ProjectFolder, "Reference");
    private static readonly string InteropFolder = Path.Combine(ProjectFolder, "Interop");

    private readonly ExtensionEmulatorOptions extension;
    private readonly string workFolder;
    private readonly SemaphoreSlim slots = new(Concurrency);
    private readonly List<string> agentRequests = [];

    public NodeReference(ExtensionEmulatorOptions extension, string workFolder)
    {
        this.extension = extension;
        this.workFolder = workFolder;
    }

    /// <summary>Gets what the agents received besides readable traces: other requests, unreadable payloads.</summary>
    public IReadOnlyList<string> UnexpectedAgentRequests
    {
        get
        {
            lock (this.agentRequests)
            {
                return this.agentRequests.ToArray();
            }
        }
    }

    /// <summary>Gets how many Node.js processes run at once: the machine's cores, at most 3.</summary>
    public static int Concurrency { get; } = Math.Clamp(Environment.ProcessorCount, 1, 3);

    public async Task<SideRun> RunAsync(CorpusCase corpusCase, string? xrayDaemonAddress)
    {
        await this.slots.WaitAsync();
        try
        {
            return await this.RunOneAsync(corpusCase, xrayDaemonAddress);
        }
        finally
        {
            this.slots.Release();
        }
    }

    private async Task<SideRun> RunOneAsync(CorpusCase corpusCase, string? xrayDaemonAddress)
    {
        var input = Path.Combine(this.workFolder, corpusCase.Id + ".node-input.json");
        var context = new JsonObject
        {
            ["awsRequestId"] = corpusCase.RequestId,
            ["invokedFunctionArn"] = LambdaEnvironment.FunctionArn,
            ["functionName"] = LambdaEnvironment.FunctionName,
            ["functionVersion"] = LambdaEnvironment.FunctionVersion,
            ["memoryLimitInMB"] = LambdaEnvironment.MemoryMb,
            ["logGroupName"] = LambdaEnvironment.LogGroupName,
            ["logStreamName"] = LambdaEnvironment.LogStreamName,
            ["remainingTimeMs"] = (long)LambdaEnvironment.Timeout.TotalMilliseconds,
        };
        if (corpusCase.ClientContextCustom is { } custom)
        {
            context["clientContextCustom"] = new JsonObject(custom.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
        }

        var document = new JsonObject { ["event"] = JsonNode.Parse(corpusCase.EventJson), ["context"] = context };
        await File.WriteAllTextAsync(input, document.ToJsonString());

        await using var agent = await FakeDatadogAgent.StartAsync(this.extension);
        var environment = LambdaEnvironment.Common(corpusCase);
        environment["DD_TRACE_EXPERIMENTAL_EXPORTER"] = "agent";
        environment["DD_TRACE_AGENT_URL"] = agent.Url.GetLeftPart(UriPartial.Authority);
        environment["LAMBDA_TASK_ROOT"] = ReferenceFolder;
        environment["DD_LAMBDA_HANDLER"] = "node-handler.handle";
        environment["DIFFERENTIAL_RESULT"] = corpusCase.Result.ToJsonString();
        environment["DIFFERENTIAL_WORK_MS"] = LambdaEnvironment.WorkMilliseconds.ToString(CultureInfo.InvariantCulture);
        if (xrayDaemonAddress is not null)
        {
            environment["AWS_XRAY_DAEMON_ADDRESS"] = xrayDaemonAddress;
        }

        if (corpusCase.XRayTraceHeader is { } xray)
        {
            environment["_X_AMZN_TRACE_ID"] = xray;
        }

        var run = await RunNodeAsync(
            corpusCase.Id,
            agent,
            [Path.Combine(ReferenceFolder, "node-runner.mjs"), NodeFolder, input],
            environment,
            spans => spans.Any(s => s.Name == "aws.lambda" && s.GetMeta("request_id") == corpusCase.RequestId));
        lock (this.agentRequests)
        {
            this.agentRequests.AddRange(agent.OtherRequests.Select(r => corpusCase.Id + ": " + r));
            this.agentRequests.AddRange(agent.Errors.Select(r => corpusCase.Id + ": unreadable payload: " + r));
        }

        return run;
    }

    /// <summary>
    /// Runs one call of the interop tests' producer (<c>Interop/dd-trace-producer.cjs</c>) in a Node.js process of its own:
    /// dd-trace with its instrumentations, then the call (an AWS SDK v3 command or an HTTP request, <paramref name="call"/>)
    /// under a root span <c>interop.produce</c>, with dd-trace's settings from <paramref name="environment"/>. Returns every
    /// span the fake agent got from it and the call's result (the command's output, or the HTTP status).
    /// </summary>
    public async Task<SideRun> RunProducerAsync(string id, JsonObject call, IReadOnlyDictionary<string, string> environment)
    {
        await this.slots.WaitAsync();
        try
        {
            var input = Path.Combine(this.workFolder, id + ".producer-input.json");
            await File.WriteAllTextAsync(input, call.ToJsonString());
            await using var agent = await FakeDatadogAgent.StartAsync(this.extension);
            var settings = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["DD_TRACE_AGENT_URL"] = agent.Url.GetLeftPart(UriPartial.Authority),
                ["DD_TRACE_FLUSH_INTERVAL"] = "0",
                ["DD_INSTRUMENTATION_TELEMETRY_ENABLED"] = "false",
                ["DD_REMOTE_CONFIGURATION_ENABLED"] = "false",
                ["DD_TRACE_STARTUP_LOGS"] = "false",
            };
            foreach (var (key, value) in environment)
            {
                settings[key] = value;
            }

            return await RunNodeAsync(
                id,
                agent,
                [Path.Combine(InteropFolder, "dd-trace-producer.cjs"), NodeFolder, input],
                settings,
                spans => spans.Any(s => s.Name == "interop.produce"));
        }
        finally
        {
            this.slots.Release();
        }
    }

    /// <summary>
    /// Runs node with exactly the given environment (plus PATH and HOME: nothing from the test's own environment leaks in).
    /// Once the script has printed its result and the agent has the chunk that ends its work (<paramref name="sent"/>),
    /// its stdin is closed and it exits; a script that does not finish in time is killed (by its process id).
    /// </summary>
    private static async Task<SideRun> RunNodeAsync(string label, FakeDatadogAgent agent, IReadOnlyList<string> arguments, Dictionary<string, string> environment, Func<List<DatadogSpan>, bool> sent)
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = ReferenceFolder,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        foreach (var name in (string[])["PATH", "HOME"])
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                start.Environment[name] = value;
            }
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        var stdout = new StringBuilder();
        var resultLine = new TaskCompletionSource<SideResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line)
            {
                resultLine.TrySetException(new InvalidOperationException("the Node.js reference printed no result"));
                return;
            }

            lock (stdout)
            {
                stdout.AppendLine(line);
            }

            if (TryReadResult(line) is { } result)
            {
                resultLine.TrySetResult(result);
            }
        };
        var stderr = process.StandardError.ReadToEndAsync();
        process.BeginOutputReadLine();
        using var cancel = new CancellationTokenSource(ProcessTimeout);
        try
        {
            var result = await resultLine.Task.WaitAsync(cancel.Token);
            await agent.WaitForChunkAsync(sent, TraceTimeout);
            process.StandardInput.Close();
            await process.WaitForExitAsync(cancel.Token);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"the Node.js reference exited with {process.ExitCode}");
            }

            // Chunks sent before the invocation's own (spans that ended early) are read by now.
            await agent.WaitUntilIdleAsync(TraceTimeout);
            return new SideRun(agent.Chunks.SelectMany(c => c).ToList(), result, stdout.ToString() + await stderr);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }

            string output;
            lock (stdout)
            {
                output = stdout.ToString();
            }

            throw new InvalidOperationException($"{label}: {ex.Message}\n{output}\n{await stderr}", ex);
        }
    }

    private static SideResult? TryReadResult(string line)
    {
        if (line.StartsWith("DIFFERENTIAL-RESULT ", StringComparison.Ordinal))
        {
            return new SideResult(JsonNode.Parse(line["DIFFERENTIAL-RESULT ".Length..]), null);
        }

        if (line.StartsWith("DIFFERENTIAL-ERROR ", StringComparison.Ordinal))
        {
            return new SideResult(null, JsonNode.Parse(line["DIFFERENTIAL-ERROR ".Length..])!.GetValue<string>());
        }

        return null;
    }
}
