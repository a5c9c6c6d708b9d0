// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Differential.Tests.Corpus;

/// <summary>
/// The function both sides run as: the same Lambda environment variables and the same Lambda context values (request id,
/// invoked ARN, function name and version, memory, log group and stream, deadline) for every case.
/// </summary>
internal static class LambdaEnvironment
{
    public const string FunctionName = "Order-Processor";
    public const string Region = "us-east-1";
    public const string FunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:Order-Processor";
    public const string FunctionVersion = "$LATEST";
    public const int MemoryMb = 512;
    public const string LogGroupName = "/aws/lambda/Order-Processor";
    public const string LogStreamName = "2026/11/25/[$LATEST]0123456789abcdef0123456789abcdef";

    /// <summary>How long the function works before it answers, on both sides (so that its start and end are distinct moments).</summary>
    public const int WorkMilliseconds = 20;

    /// <summary>The invocation's deadline, from its start: far longer than any case needs.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>The variables Lambda sets for the function, and the Datadog settings both sides share.</summary>
    public static Dictionary<string, string> Common(CorpusCase corpusCase)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS_LAMBDA_FUNCTION_NAME"] = FunctionName,
            ["AWS_LAMBDA_FUNCTION_VERSION"] = FunctionVersion,
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = MemoryMb.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AWS_LAMBDA_LOG_GROUP_NAME"] = LogGroupName,
            ["AWS_LAMBDA_LOG_STREAM_NAME"] = LogStreamName,
            ["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand",
            ["AWS_REGION"] = Region,
            ["AWS_DEFAULT_REGION"] = Region,

            // No metrics leave the process (no extension, no API key); traces are what is compared.
            ["DD_ENHANCED_METRICS"] = "false",
        };
        foreach (var (key, value) in corpusCase.Environment)
        {
            environment[key] = value;
        }

        return environment;
    }
}
