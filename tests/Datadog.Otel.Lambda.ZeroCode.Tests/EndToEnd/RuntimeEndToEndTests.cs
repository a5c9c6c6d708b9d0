// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using System.Text;
using Datadog.Otel.Lambda.ExtensionEmulator;
using Datadog.Otel.Lambda.TestSupport;
using Datadog.Otel.Lambda.ZeroCode.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Datadog.Otel.Lambda.ZeroCode.Tests.EndToEnd;

/// <summary>
/// End to end on loopback, each function in a process of its own started as the managed runtime's bootstrap starts it
/// (<c>dotnet exec --depsfile F.deps.json --runtimeconfig F.runtimeconfig.json Amazon.Lambda.RuntimeSupport.dll
/// handler</c>, the runtime being the stand-in's class-library mode built as the runtime image's executable), polling
/// the Runtime API emulator and exporting to the extension emulator with nothing but the environment. The same API
/// Gateway function runs three ways: wrapped in code (the README's quick start), behind the redirect set by hand
/// (handler setting and DD_LAMBDA_HANDLER), and behind the exec wrapper (handler setting unchanged). The traces are the
/// same: inferred span, aws.lambda with its cold start and status, the function's own span and its HttpClient call.
/// On net8.0 the function's runtimeconfig names .NET 8, and the child runs with DOTNET_ROLL_FORWARD=Major on the only
/// runtime this machine has (10.0); the net10.0 leg runs on it natively.
/// </summary>
[Trait("Category", "Slow")]
public sealed class RuntimeEndToEndTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

#if NET10_0_OR_GREATER
    private const string Leg = "net10";
#else
    private const string Leg = "net8";
#endif

    // Different by construction: the trace id (each run has its own, compared relative to its base), and the stack
    // trace's frames (the redirect's are not the wrap's), also in the span events (compared without their stack and
    // time). Each run gets the same request ids.
    private static readonly HashSet<string> VolatileTags = new(StringComparer.Ordinal) { "otel.trace_id", "error.stack", "events" };

    private ExtensionEmulator.ExtensionEmulator extension = null!;
    private WebApplication inventory = null!;

    private enum Way
    {
        InCode,
        Redirect,
        ExecWrapper,
    }

    public async Task InitializeAsync()
    {
        this.extension = await ExtensionEmulator.ExtensionEmulator.StartAsync(new ExtensionEmulatorOptions { Port = 0 });
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        this.inventory = builder.Build();
        this.inventory.Run(static context => context.Response.WriteAsync("{\"inStock\":true}"));
        await this.inventory.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await this.inventory.DisposeAsync();
        await this.extension.DisposeAsync();
    }

    [Fact]
    public async Task TheRedirectAndTheExecWrapperTraceAsTheFunctionWrappedInCode()
    {
        var inCode = await this.RunAsync(Way.InCode, traceBase: 1000);
        var redirect = await this.RunAsync(Way.Redirect, traceBase: 2000);
        var wrapper = await this.RunAsync(Way.ExecWrapper, traceBase: 3000);

        // What Lambda would get back, and what Datadog would show, for the wrap in code.
        Assert.False(inCode.Ok.IsError, inCode.Ok.Body);
        Assert.Contains("\"statusCode\":201", inCode.Ok.Body, StringComparison.Ordinal);
        Assert.True(inCode.Failed.IsError);
        Assert.Equal("InvalidOperationException", inCode.Failed.ErrorType);
        var lambda = Assert.Single(inCode.OkTrace.Spans, s => s.Name == "aws.lambda");
        var inferred = Assert.Single(inCode.OkTrace.Spans, s => s.Name == "aws.apigateway");
        Assert.Equal(inferred.SpanId, lambda.ParentId);
        Assert.Equal(1001UL, inferred.TraceId);
        Assert.Equal("true", lambda.GetMeta("cold_start"));
        Assert.Equal("201", lambda.GetMeta("http.status_code"));
        Assert.Contains(inCode.OkTrace.Spans, s => s.OtelName == "orders.lookup" && s.ParentId == lambda.SpanId);
        Assert.Contains(inCode.OkTrace.Spans, s => s.Kind == OtlpSpanKind.Client && s.GetMeta("http.url")?.StartsWith(this.inventory.Urls.First(), StringComparison.Ordinal) == true
            || s.Kind == OtlpSpanKind.Client && s.GetMeta("url.full")?.StartsWith(this.inventory.Urls.First(), StringComparison.Ordinal) == true);
        var failedLambda = Assert.Single(inCode.FailedTrace.Spans, s => s.Name == "aws.lambda");
        Assert.Equal("false", failedLambda.GetMeta("cold_start"));
        Assert.Equal(1, failedLambda.Error);
        Assert.Equal("502", failedLambda.GetMeta("http.status_code"));

        // The same from the redirect and from the exec wrapper.
        foreach (var (way, run) in new[] { (Way.Redirect, redirect), (Way.ExecWrapper, wrapper) })
        {
            Assert.Equal(inCode.Ok.Body, run.Ok.Body);
            Assert.Equal(inCode.Failed.IsError, run.Failed.IsError);
            Assert.Equal(inCode.Failed.ErrorType, run.Failed.ErrorType);
            AssertSameTrace(way, Describe(inCode.OkTrace, 1000), Describe(run.OkTrace, way == Way.Redirect ? 2000UL : 3000UL));
            AssertSameTrace(way, Describe(inCode.FailedTrace, 1000), Describe(run.FailedTrace, way == Way.Redirect ? 2000UL : 3000UL));
        }
    }

    [Fact]
    public async Task ARedirectWithoutDdLambdaHandlerFailsInitializationAsTheRuntimeReportsIt()
    {
        await using var runtimeApi = await RuntimeApiEmulator.StartAsync();
        var output = new StringBuilder();
        using var process = this.Start(Way.Redirect, runtimeApi, output, ddLambdaHandler: null);
        try
        {
            using var timeout = new CancellationTokenSource(Wait);
            var result = await runtimeApi.InvokeAsync(new RuntimeApiInvocation { EventJson = "{}", RequestId = Leg + "-init" }, timeout.Token);

            // Lambda answers every invocation with the initialization error; the runtime exits.
            Assert.True(result.IsError);
            Assert.NotNull(runtimeApi.InitError);
            await ChildProcess.WaitForExitAsync(process, Wait, output);
            Assert.NotEqual(0, process.ExitCode);
            Assert.Contains("DD_LAMBDA_HANDLER is not set", ChildProcess.Snapshot(output), StringComparison.Ordinal);
        }
        finally
        {
            Stop(process);
        }
    }

    private static void AssertSameTrace(Way way, List<string> inCode, List<string> other) =>
        Assert.True(inCode.SequenceEqual(other), $"{way} differs from the wrap in code:\n--- in code\n{string.Join('\n', inCode)}\n--- {way}\n{string.Join('\n', other)}");

    /// <summary>The trace as Datadog shows it, with ids relative to the trace and volatile tags left out.</summary>
    private static List<string> Describe(DatadogTrace trace, ulong traceBase) =>
        trace.Spans
            .Select(s =>
            {
                var parent = trace.GetParent(s);
                var tags = s.Meta.Where(m => !VolatileTags.Contains(m.Key)).OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key}={m.Value}");
                var events = s.Events.Select(e => e.Name + "(" + string.Join(", ", e.Attributes.Where(a => a.Key != "exception.stacktrace").OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}")) + ")");
                return $"{s.Name} | {s.Service} | {s.Resource} | {s.Type} | error={s.Error} | parent={parent?.Name ?? (s.ParentId == 0 ? "none" : "upstream")} | trace+{s.TraceId - traceBase} | {string.Join(", ", tags)} | events: {string.Join(", ", events)}";
            })
            .Order(StringComparer.Ordinal)
            .ToList();

    private static void Stop(System.Diagnostics.Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit(10_000);
    }

    private static string RestEvent(string path, ulong traceId) =>
        Handlers.Event("api-gateway-rest.json")
            .Replace("\"path\": \"/path/to/resource\"", $"\"path\": \"{path}\"", StringComparison.Ordinal)
            .Replace("1234567890123456789", traceId.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private async Task<Run> RunAsync(Way way, ulong traceBase)
    {
        await using var runtimeApi = await RuntimeApiEmulator.StartAsync();
        var output = new StringBuilder();
        using var process = this.Start(way, runtimeApi, output, ddLambdaHandler: Handlers.Function("OrdersFunction::HandleAsync"));
        try
        {
            using var timeout = new CancellationTokenSource(Wait);
            var okId = Leg + "-ok";
            var failedId = Leg + "-failed";
            var ok = await runtimeApi.InvokeAsync(new RuntimeApiInvocation { EventJson = RestEvent("/orders/7", traceBase + 1), RequestId = okId, InvokedFunctionArn = LambdaContextDouble.FunctionArn }, timeout.Token);
            var failed = await runtimeApi.InvokeAsync(new RuntimeApiInvocation { EventJson = RestEvent("/fail/8", traceBase + 2), RequestId = failedId, InvokedFunctionArn = LambdaContextDouble.FunctionArn }, timeout.Token);
            var okTrace = await this.extension.WaitForTraceAsync(t => t.TraceId == traceBase + 1 && t.Spans.Any(s => s.Name == "aws.lambda") && t.Spans.Any(s => s.Kind == OtlpSpanKind.Client), Wait);
            var failedTrace = await this.extension.WaitForTraceAsync(t => t.TraceId == traceBase + 2 && t.Spans.Any(s => s.Name == "aws.lambda"), Wait);
            return new Run(ok, failed, okTrace, failedTrace);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
            throw new TimeoutException($"{way}: no answer within {Wait}:\n{ChildProcess.Snapshot(output)}", ex);
        }
        finally
        {
            Stop(process);
        }
    }

    private System.Diagnostics.Process Start(Way way, RuntimeApiEmulator runtimeApi, StringBuilder output, string? ddLambdaHandler)
    {
        const string Function = Handlers.FunctionAssembly;
        var handler = way switch
        {
            Way.InCode => Handlers.Function("InCodeOrdersFunction::Handler"),
            Way.Redirect => Handlers.Redirect,
            _ => Handlers.Function("OrdersFunction::HandleAsync"),
        };

        // As bootstrap.sh runs a class-library function (and, with AWS_LAMBDA_EXEC_WRAPPER set, the wrapper in front).
        string[] command =
        [
            ChildProcess.Dotnet, "exec",
            "--depsfile", Path.Combine(Paths.FunctionDirectory, Function + ".deps.json"),
            "--runtimeconfig", Path.Combine(Paths.FunctionDirectory, Function + ".runtimeconfig.json"),
            Path.Combine(Paths.RuntimeDirectory, "Amazon.Lambda.RuntimeSupport.dll"),
            handler,
        ];
        var environment = new Dictionary<string, string?>
        {
            ["AWS_LAMBDA_RUNTIME_API"] = runtimeApi.Address,
            ["AWS_LAMBDA_FUNCTION_NAME"] = "zero-code-orders",
            ["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST",
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "512",
            ["AWS_REGION"] = "us-east-1",
            ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = this.extension.TracesEndpoint.ToString(),
            ["ORDERS_INVENTORY_URL"] = this.inventory.Urls.First() + "/inventory/7",
            ["DD_LAMBDA_HANDLER"] = way == Way.Redirect ? ddLambdaHandler : null,
#if !NET10_0_OR_GREATER
            ["DOTNET_ROLL_FORWARD"] = "Major",
#endif
        };
        return way == Way.ExecWrapper
            ? ChildProcess.Start(Paths.ExecWrapper, command, environment, output)
            : ChildProcess.Start(command[0], command[1..], environment, output);
    }

    private sealed record Run(RuntimeApiResult Ok, RuntimeApiResult Failed, DatadogTrace OkTrace, DatadogTrace FailedTrace);
}
