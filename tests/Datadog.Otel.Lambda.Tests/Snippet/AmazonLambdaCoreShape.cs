// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

// Amazon.Lambda.Core is not in the package registry here. These test-only types have the public member names and
// shapes of Amazon.Lambda.Core 2.8 (ILambdaContext, IClientContext, LambdaTraceProvider) so that the ToDatadog()
// source file the package ships is compiled and exercised exactly as it is in a user's project.
#pragma warning disable CA1716, CA1711, SA1649, CA1024
namespace Amazon.Lambda.Core;

public interface ILambdaContext
{
    string AwsRequestId { get; }

    IClientContext ClientContext { get; }

    string FunctionName { get; }

    string FunctionVersion { get; }

    string InvokedFunctionArn { get; }

    string LogGroupName { get; }

    string LogStreamName { get; }

    int MemoryLimitInMB { get; }

    TimeSpan RemainingTime { get; }
}

public interface IClientContext
{
    IDictionary<string, string> Environment { get; }

    IDictionary<string, string> Custom { get; }
}

public static class LambdaTraceProvider
{
    private static readonly AsyncLocal<string> Current = new();

    public static string CurrentTraceId => Current.Value!;

    internal static void Set(string value) => Current.Value = value;
}
