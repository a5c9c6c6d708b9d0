// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Amazon.Lambda.Core;

namespace Datadog.Otel.Lambda.Tests.Snippet;

/// <summary>
/// ctx.ToDatadog() against the Amazon.Lambda.Core stand-in. The X-Ray header comes from LambdaTraceProvider, which the
/// runtime client sets per invocation: in an AsyncLocal under Lambda Managed Instances (AWS_LAMBDA_MAX_CONCURRENCY set),
/// in a static field otherwise, falling back to _X_AMZN_TRACE_ID. The process environment is changed, so the tests run
/// alone.
/// </summary>
[Collection("Tracing")]
public class ToDatadogTests
{
    [Fact]
    public async Task CopiesEveryFieldAndReadsTheTraceHeaderPerInvocation()
    {
        using var concurrency = new EnvironmentScope("AWS_LAMBDA_MAX_CONCURRENCY", "4");
        var lambda = new FakeContext();
        var first = Task.Run(() =>
        {
            LambdaTraceProvider.SetCurrentTraceId("Root=1-00000001-000000000000000000000001;Parent=0000000000000001;Sampled=1");
            return lambda.ToDatadog();
        });
        var second = Task.Run(() =>
        {
            LambdaTraceProvider.SetCurrentTraceId("Root=1-00000002-000000000000000000000002;Parent=0000000000000002;Sampled=0");
            return lambda.ToDatadog();
        });
        var a = await first;
        var b = await second;

        Assert.Equal("req", a.AwsRequestId);
        Assert.Equal("arn:aws:lambda:us-east-1:1:function:f", a.InvokedFunctionArn);
        Assert.Equal("f", a.FunctionName);
        Assert.Equal("$LATEST", a.FunctionVersion);
        Assert.Equal(256, a.MemoryLimitInMB);
        Assert.Equal("/aws/lambda/f", a.LogGroupName);
        Assert.Equal("stream", a.LogStreamName);
        Assert.Equal("v", a.ClientContextCustom!["k"]);
        Assert.InRange(a.Deadline - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(10));
        Assert.StartsWith("Root=1-00000001", a.XRayTraceHeader);
        Assert.StartsWith("Root=1-00000002", b.XRayTraceHeader);
    }

    [Fact]
    public async Task OnDemandTheHeaderIsTheLastOneTheRuntimeSet()
    {
        using var concurrency = new EnvironmentScope("AWS_LAMBDA_MAX_CONCURRENCY", null);
        LambdaTraceProvider.SetCurrentTraceId("Root=1-00000003-000000000000000000000003;Parent=0000000000000003;Sampled=1");

        // Another flow than the one that set it: on demand the value is not flow-local.
        var header = await Task.Run(() => new FakeContext().ToDatadog().XRayTraceHeader);

        Assert.StartsWith("Root=1-00000003", header);
        LambdaTraceProvider.SetCurrentTraceId(null!);
    }

    [Fact]
    public void WithoutARuntimeValueTheEnvironmentVariableIsRead()
    {
        using var concurrency = new EnvironmentScope("AWS_LAMBDA_MAX_CONCURRENCY", null);
        using var variable = new EnvironmentScope("_X_AMZN_TRACE_ID", "Root=1-00000004-000000000000000000000004;Parent=0000000000000004;Sampled=0");
        LambdaTraceProvider.SetCurrentTraceId(null!);

        Assert.StartsWith("Root=1-00000004", new FakeContext().ToDatadog().XRayTraceHeader);
    }

    [Fact]
    public void AClientContextTheRuntimeCannotParseIsLeftOut()
    {
        // The runtime parses the client context when it is first read and throws on shapes it does not expect
        // ({"custom":null}, a repeated key); a function that never reads it runs, so ToDatadog must too.
        var context = new FakeContext { ClientContextThrows = true };

        var converted = context.ToDatadog();

        Assert.Null(converted.ClientContextCustom);
        Assert.Equal("req", converted.AwsRequestId);
    }

    [Fact]
    public void NullContextGivesAnEmptyOne()
    {
        ILambdaContext? none = null;
        Assert.Null(none!.ToDatadog().AwsRequestId);
    }

    private sealed class EnvironmentScope : IDisposable
    {
        private readonly string name;
        private readonly string? previous;

        public EnvironmentScope(string name, string? value)
        {
            this.name = name;
            this.previous = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }

        public void Dispose() => Environment.SetEnvironmentVariable(this.name, this.previous);
    }

    private sealed class FakeContext : ILambdaContext, IClientContext
    {
        public string AwsRequestId => "req";

        public bool ClientContextThrows { get; init; }

        public IClientContext ClientContext => this.ClientContextThrows ? throw new InvalidOperationException("The requested operation requires an element of type 'Object', but the target element has type 'Null'.") : this;

        public string FunctionName => "f";

        public string FunctionVersion => "$LATEST";

        public ICognitoIdentity Identity => null!;

        public string InvokedFunctionArn => "arn:aws:lambda:us-east-1:1:function:f";

        public ILambdaLogger Logger => null!;

        public string LogGroupName => "/aws/lambda/f";

        public string LogStreamName => "stream";

        public int MemoryLimitInMB => 256;

        public TimeSpan RemainingTime => TimeSpan.FromSeconds(10);

        public IDictionary<string, string> Environment => new Dictionary<string, string>();

        public IClientApplication Client => null!;

        public IDictionary<string, string> Custom => new Dictionary<string, string> { ["k"] = "v" };
    }
}
