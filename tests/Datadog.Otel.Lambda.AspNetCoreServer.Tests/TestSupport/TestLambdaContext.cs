// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Amazon.Lambda.Core;

namespace Datadog.Otel.Lambda.AspNetCoreServer.Tests.TestSupport;

/// <summary>The runtime's context for one invocation.</summary>
internal sealed class TestLambdaContext(string requestId) : ILambdaContext
{
    public const string FunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:orders-api";

    public string AwsRequestId { get; } = requestId;

    public IClientContext ClientContext => null!;

    public string FunctionName => "orders-api";

    public string FunctionVersion => "$LATEST";

    public ICognitoIdentity Identity => null!;

    public string InvokedFunctionArn => FunctionArn;

    public ILambdaLogger Logger => null!;

    public string LogGroupName => "/aws/lambda/orders-api";

    public string LogStreamName => "2026/11/25/[$LATEST]0123456789abcdef";

    public int MemoryLimitInMB => 512;

    public TimeSpan RemainingTime => TimeSpan.FromSeconds(30);
}
