using Amazon.Lambda.Core;

namespace MyFunction.Tests;

/// <summary>The invocation context Lambda would pass.</summary>
internal sealed class TestLambdaContext(string functionName, string requestId) : ILambdaContext
{
    private readonly DateTimeOffset deadline = DateTimeOffset.UtcNow.AddSeconds(30);

    public string AwsRequestId => requestId;

    public IClientContext ClientContext => null!;

    public string FunctionName => functionName;

    public string FunctionVersion => "$LATEST";

    public ICognitoIdentity Identity => null!;

    public string InvokedFunctionArn => $"arn:aws:lambda:us-east-1:123456789012:function:{functionName}";

    public ILambdaLogger Logger => null!;

    public string LogGroupName => $"/aws/lambda/{functionName}";

    public string LogStreamName => "test";

    public int MemoryLimitInMB => 512;

    public TimeSpan RemainingTime => deadline - DateTimeOffset.UtcNow;
}
