// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Amazon.Lambda.Core;

namespace Datadog.Otel.Lambda.Tests.Snippet;

public class ToDatadogTests
{
    [Fact]
    public async Task CopiesEveryFieldAndReadsTheTraceHeaderPerInvocation()
    {
        var lambda = new FakeContext();
        var first = Task.Run(() =>
        {
            LambdaTraceProvider.Set("Root=1-00000001-000000000000000000000001;Parent=0000000000000001;Sampled=1");
            return lambda.ToDatadog();
        });
        var second = Task.Run(() =>
        {
            LambdaTraceProvider.Set("Root=1-00000002-000000000000000000000002;Parent=0000000000000002;Sampled=0");
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
    public void NullContextGivesAnEmptyOne()
    {
        ILambdaContext? none = null;
        Assert.Null(none!.ToDatadog().AwsRequestId);
    }

    private sealed class FakeContext : ILambdaContext, IClientContext
    {
        public string AwsRequestId => "req";

        public IClientContext ClientContext => this;

        public string FunctionName => "f";

        public string FunctionVersion => "$LATEST";

        public string InvokedFunctionArn => "arn:aws:lambda:us-east-1:1:function:f";

        public string LogGroupName => "/aws/lambda/f";

        public string LogStreamName => "stream";

        public int MemoryLimitInMB => 256;

        public TimeSpan RemainingTime => TimeSpan.FromSeconds(10);

        public IDictionary<string, string> Environment => new Dictionary<string, string>();

        public IDictionary<string, string> Custom => new Dictionary<string, string> { ["k"] = "v" };
    }
}
