using Amazon.Lambda.Core;

namespace MyFunction.LocalRun;

/// <summary>The invocation context Lambda would pass, for a run on this machine.</summary>
internal sealed class LocalLambdaContext(string functionName) : ILambdaContext
{
    private readonly DateTimeOffset deadline = DateTimeOffset.UtcNow.AddSeconds(30);

    public string AwsRequestId { get; } = Guid.NewGuid().ToString();

    public IClientContext ClientContext => null!;

    public string FunctionName => functionName;

    public string FunctionVersion => "$LATEST";

    public ICognitoIdentity Identity => null!;

    public string InvokedFunctionArn => $"arn:aws:lambda:us-east-1:123456789012:function:{functionName}";

    public ILambdaLogger Logger => null!;

    public string LogGroupName => $"/aws/lambda/{functionName}";

    public string LogStreamName => "local";

    public int MemoryLimitInMB => 512;

    public TimeSpan RemainingTime => deadline - DateTimeOffset.UtcNow;
}
