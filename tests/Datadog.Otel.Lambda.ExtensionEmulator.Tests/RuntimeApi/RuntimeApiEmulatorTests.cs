// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Amazon.Lambda.Core;
using Amazon.Lambda.RuntimeSupport;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Tests.RuntimeApi;

/// <summary>
/// The Runtime API emulator answers as Lambda does, checked with the client and bootstrap loop of
/// Amazon.Lambda.RuntimeSupport (its stand-in reproduces how the real client parses every answer: a 202 to an error must
/// carry {"status":"OK"}, errors {"errorMessage","errorType"}). The client reads AWS_LAMBDA_RUNTIME_API from the process
/// environment, so these tests run alone.
/// </summary>
[Collection(RuntimeApiCollection.Name)]
public sealed partial class RuntimeApiEmulatorTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly string? previousRuntimeApi = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API");
    private readonly CancellationTokenSource stop = new(Wait);
    private RuntimeApiEmulator emulator = null!;

    public async Task InitializeAsync()
    {
        this.emulator = await RuntimeApiEmulator.StartAsync();
        Environment.SetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API", this.emulator.Address);
    }

    public async Task DisposeAsync()
    {
        await this.stop.CancelAsync();
        await this.emulator.DisposeAsync();
        Environment.SetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API", this.previousRuntimeApi);
        this.stop.Dispose();
    }

    [Fact]
    public async Task TheBootstrapLoopServesAnErrorThenAResponse()
    {
        var seen = new List<(string RequestId, string? TraceProvider, string? Environment, ILambdaContext Context)>();
        var handler = HandlerWrapper.GetHandlerWrapper(async (Stream input, ILambdaContext context) =>
        {
            await Task.Yield();
            seen.Add((context.AwsRequestId, LambdaTraceProvider.CurrentTraceId, Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID"), context));
            using var reader = new StreamReader(input);
            var body = await reader.ReadToEndAsync();
            if (body.Contains("fail", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("the handler failed");
            }

            return (Stream)new MemoryStream(Encoding.UTF8.GetBytes("{\"echo\":" + body + "}"));
        });
        using var bootstrap = new LambdaBootstrap(handler);
        var loop = bootstrap.RunAsync(this.stop.Token);

        var failed = await this.emulator.InvokeAsync(new RuntimeApiInvocation { EventJson = "{\"fail\":true}", RequestId = "req-1" }, this.stop.Token);
        var succeeded = await this.emulator.InvokeAsync(
            new RuntimeApiInvocation
            {
                EventJson = "{\"n\":2}",
                RequestId = "req-2",
                InvokedFunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:f:live",
                FunctionTimeout = TimeSpan.FromSeconds(90),
                TraceId = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
                ClientContextJson = "{\"client\":{\"app_title\":\"shop\"},\"custom\":{\"_datadog\":\"{}\",\"k\":\"v\"},\"env\":{\"platform\":\"ios\"}}",
                CognitoIdentityJson = "{\"cognitoIdentityId\":\"us-east-1:1\",\"cognitoIdentityPoolId\":\"us-east-1:pool\"}",
                TenantId = "tenant-7",
            },
            this.stop.Token);

        // The error reached Lambda as the runtime reported it, and the loop went on (RuntimeSupport parsed the 202).
        Assert.True(failed.IsError);
        Assert.Equal("InvalidOperationException", failed.ErrorType);
        var error = JsonDocument.Parse(failed.Body).RootElement;
        Assert.Equal("the handler failed", error.GetProperty("errorMessage").GetString());
        Assert.Equal("InvalidOperationException", error.GetProperty("errorType").GetString());
        Assert.False(succeeded.IsError);
        Assert.Equal("{\"echo\":{\"n\":2}}", succeeded.Body);
        Assert.False(loop.IsCompleted);

        // Each invocation had Lambda's headers: its own trace id (generated, unsampled, when the invoke had none).
        Assert.Equal(["req-1", "req-2"], seen.Select(s => s.RequestId));
        Assert.Matches(TraceHeader(), seen[0].TraceProvider!);
        Assert.EndsWith(";Sampled=0", seen[0].TraceProvider, StringComparison.Ordinal);
        Assert.Equal(failed.TraceId, seen[0].TraceProvider);
        Assert.Equal(seen[0].TraceProvider, seen[0].Environment);
        Assert.Equal("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1", seen[1].TraceProvider);
        Assert.Equal(seen[1].TraceProvider, seen[1].Environment);
        var context = seen[1].Context;
        Assert.Equal("arn:aws:lambda:us-east-1:123456789012:function:f:live", context.InvokedFunctionArn);
        Assert.InRange(context.RemainingTime, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(90));
        Assert.Equal("v", context.ClientContext.Custom["k"]);
        Assert.Equal("ios", context.ClientContext.Environment["platform"]);
        Assert.Equal("shop", context.ClientContext.Client.AppTitle);
        Assert.Equal("us-east-1:pool", context.Identity.IdentityPoolId);
        Assert.Equal("tenant-7", context.TenantId);
        Assert.Null(seen[0].Context.ClientContext.Custom);
    }

    [Fact]
    public async Task AnInitializationErrorIsReportedAndAnswersTheInvocations()
    {
        var handler = HandlerWrapper.GetHandlerWrapper((Stream _, ILambdaContext _) => Task.FromResult(Stream.Null));
        using var bootstrap = new LambdaBootstrap(handler, () => throw new FileNotFoundException("settings.json is missing"));
        var waiting = this.emulator.InvokeAsync(new RuntimeApiInvocation { EventJson = "{}", RequestId = "before-init" }, this.stop.Token);

        // RuntimeSupport rethrows the initializer's exception once Lambda has acknowledged the report.
        var thrown = await Assert.ThrowsAsync<FileNotFoundException>(() => bootstrap.RunAsync(this.stop.Token));
        Assert.Equal("settings.json is missing", thrown.Message);

        var initError = Assert.IsType<RuntimeApiResult>(this.emulator.InitError);
        Assert.Equal("FileNotFoundException", JsonDocument.Parse(initError.Body).RootElement.GetProperty("errorType").GetString());
        var queued = await waiting;
        Assert.True(queued.IsError);
        Assert.Equal("before-init", queued.RequestId);
        Assert.Equal(initError.Body, queued.Body);
        var later = await this.emulator.InvokeAsync(new RuntimeApiInvocation { EventJson = "{}", RequestId = "after-init" }, this.stop.Token);
        Assert.Equal("after-init", later.RequestId);
        Assert.Equal(initError.Body, later.Body);

        // The runtime is done: a second report, or asking for work, is refused with a body the client can read.
        using var http = new HttpClient();
        var client = new RuntimeApiClient(http);
        var again = await Assert.ThrowsAnyAsync<RuntimeApiClientException>(() => client.ReportInitializationErrorAsync(new InvalidOperationException("again")));
        AssertTypedError(again, 403, "InvalidStateTransition");
        var next = await Assert.ThrowsAnyAsync<RuntimeApiClientException>(() => client.GetNextInvocationAsync(this.stop.Token));
        AssertTypedError(next, 403, "InvalidStateTransition");
    }

    [Fact]
    public async Task AnswersForAnInvocationThatIsNotRunningAreRefused()
    {
        using var http = new HttpClient();
        var client = new RuntimeApiClient(http);
        var result = this.emulator.InvokeAsync(new RuntimeApiInvocation { EventJson = "{}", RequestId = "once" }, this.stop.Token);
        using var invocation = await client.GetNextInvocationAsync(this.stop.Token);
        await client.SendResponseAsync("once", new MemoryStream("1"u8.ToArray()), this.stop.Token);

        var twice = await Assert.ThrowsAnyAsync<RuntimeApiClientException>(() => client.SendResponseAsync("once", new MemoryStream("2"u8.ToArray()), this.stop.Token));
        AssertTypedError(twice, 400, "InvalidRequestID");
        var unknown = await Assert.ThrowsAnyAsync<RuntimeApiClientException>(() => client.ReportInvocationErrorAsync("never-given", new InvalidOperationException("x"), this.stop.Token));
        AssertTypedError(unknown, 400, "InvalidRequestID");
        Assert.Equal("1", (await result).Body);
    }

    [Fact]
    public async Task AResponseOverTheLimitIsRefusedAndFailsTheInvocation()
    {
        using var http = new HttpClient();
        var client = new RuntimeApiClient(http);
        var result = this.emulator.InvokeAsync(new RuntimeApiInvocation { EventJson = "{}", RequestId = "big" }, this.stop.Token);
        using var invocation = await client.GetNextInvocationAsync(this.stop.Token);

        var tooLarge = await Assert.ThrowsAnyAsync<RuntimeApiClientException>(() => client.SendResponseAsync("big", new MemoryStream(new byte[(6 * 1024 * 1024) + 101]), this.stop.Token));

        AssertTypedError(tooLarge, 413, "RequestEntityTooLarge");
        var failed = await result;
        Assert.True(failed.IsError);
        Assert.Equal("Function.ResponseSizeTooLarge", failed.ErrorType);
        Assert.Contains("6291557 bytes", JsonDocument.Parse(failed.Body).RootElement.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheNextAnswerCarriesOnlyTheHeadersTheInvocationHas()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{this.emulator.Address}/2018-06-01/runtime/") };
        var result = this.emulator.InvokeAsync("{\"a\":1}", "plain", "arn:aws:lambda:us-east-1:1:function:f", TimeSpan.FromSeconds(3), this.stop.Token);

        using var next = await http.GetAsync(new Uri("invocation/next", UriKind.Relative), this.stop.Token);

        Assert.Equal(200, (int)next.StatusCode);
        Assert.Equal("application/json", next.Content.Headers.ContentType?.MediaType);
        Assert.Equal("plain", Header(next, "Lambda-Runtime-Aws-Request-Id"));
        Assert.Equal("arn:aws:lambda:us-east-1:1:function:f", Header(next, "Lambda-Runtime-Invoked-Function-Arn"));
        var deadline = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(Header(next, "Lambda-Runtime-Deadline-Ms")!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.InRange(deadline - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
        Assert.Matches(TraceHeader(), Header(next, "Lambda-Runtime-Trace-Id")!);
        Assert.False(next.Headers.Contains("Lambda-Runtime-Client-Context"));
        Assert.False(next.Headers.Contains("Lambda-Runtime-Cognito-Identity"));
        Assert.False(next.Headers.Contains("Lambda-Runtime-Aws-Tenant-Id"));
        Assert.Equal("{\"a\":1}", await next.Content.ReadAsStringAsync(this.stop.Token));

        // The acknowledgement is the JSON Lambda sends.
        using var posted = await http.PostAsync(new Uri("invocation/plain/response", UriKind.Relative), new StringContent("null"), this.stop.Token);
        Assert.Equal(202, (int)posted.StatusCode);
        Assert.Equal("application/json", posted.Content.Headers.ContentType?.MediaType);
        Assert.Equal("OK", JsonDocument.Parse(await posted.Content.ReadAsStringAsync(this.stop.Token)).RootElement.GetProperty("status").GetString());
        Assert.Equal("null", (await result).Body);
    }

    /// <summary>Lambda's error answers are JSON the client reads into its error type: never "could not deserialize".</summary>
    private static void AssertTypedError(RuntimeApiClientException exception, int status, string errorType)
    {
        Assert.Equal(status, exception.StatusCode);
        Assert.True(exception.GetType().IsGenericType, exception.Message);
        Assert.Equal(errorType, JsonDocument.Parse(exception.Response).RootElement.GetProperty("errorType").GetString());
        Assert.False(string.IsNullOrEmpty(JsonDocument.Parse(exception.Response).RootElement.GetProperty("errorMessage").GetString()));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : null;

    [GeneratedRegex("^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=[01]$")]
    private static partial Regex TraceHeader();
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RuntimeApiCollection
{
    public const string Name = "RuntimeApi";
}
