// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0
//
// Stand-in for aws/aws-lambda-dotnet Libraries/src/Amazon.Lambda.Core/{ILambdaContext,IClientContext,IClientApplication,
// ICognitoIdentity}.cs at 831492165a694825e0e762d68ec74f3e36b628c0 (Amazon.Lambda.Core 3.2.0): the same members, with
// the default interface members .NET 8 builds add (TenantId and TraceId since 2.7.0, Serializer since 3.0.0; the
// Amazon.Lambda.Core.Legacy stand-in, 2.3.0, compiles this file without them).
namespace Amazon.Lambda.Core;

public interface ILambdaContext
{
    string AwsRequestId { get; }

    IClientContext ClientContext { get; }

    string FunctionName { get; }

    string FunctionVersion { get; }

    ICognitoIdentity Identity { get; }

    string InvokedFunctionArn { get; }

    ILambdaLogger Logger { get; }

    string LogGroupName { get; }

    string LogStreamName { get; }

    int MemoryLimitInMB { get; }

    TimeSpan RemainingTime { get; }

#if !AMAZON_LAMBDA_CORE_2_3
    string TenantId => string.Empty;

    string TraceId => string.Empty;

    ILambdaSerializer Serializer => null;
#endif
}

public interface IClientContext
{
    IDictionary<string, string> Environment { get; }

    IClientApplication Client { get; }

    IDictionary<string, string> Custom { get; }
}

public interface IClientApplication
{
    string AppPackageName { get; }

    string AppTitle { get; }

    string AppVersionCode { get; }

    string AppVersionName { get; }

    string InstallationId { get; }
}

public interface ICognitoIdentity
{
    string IdentityId { get; }

    string IdentityPoolId { get; }
}
