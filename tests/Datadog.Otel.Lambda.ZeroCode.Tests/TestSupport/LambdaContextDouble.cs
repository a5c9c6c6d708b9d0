// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Amazon.Lambda.Core;

namespace Datadog.Otel.Lambda.ZeroCode.Tests.TestSupport;

/// <summary>The runtime's context for one invocation (the in-process tests have no Runtime API to build it from).</summary>
internal sealed class LambdaContextDouble(string requestId) : ILambdaContext
{
    public const string FunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:zero-code";

    public string AwsRequestId { get; } = requestId;

    public IClientContext ClientContext => null!;

    public string FunctionName => "zero-code";

    public string FunctionVersion => "$LATEST";

    public ICognitoIdentity Identity => null!;

    public string InvokedFunctionArn => FunctionArn;

    public ILambdaLogger Logger => null!;

    public string LogGroupName => "/aws/lambda/zero-code";

    public string LogStreamName => "2026/11/25/[$LATEST]0123456789abcdef";

    public int MemoryLimitInMB => 512;

    public TimeSpan RemainingTime => TimeSpan.FromSeconds(30);
}
