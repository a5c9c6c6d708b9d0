// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0
//
// Stand-in for aws/aws-lambda-dotnet Libraries/src/Amazon.Lambda.Core/{LambdaTraceProvider,Utils,Constants}.cs at
// 831492165a694825e0e762d68ec74f3e36b628c0 (Amazon.Lambda.Core 3.2.0). The facts that matter: the runtime client sets
// the invocation's X-Ray header through the internal SetCurrentTraceId; it lives in an AsyncLocal only when
// AWS_LAMBDA_MAX_CONCURRENCY is set (Lambda Managed Instances), in a static field otherwise; and without a value the
// getter falls back to the _X_AMZN_TRACE_ID environment variable.
namespace Amazon.Lambda.Core;

public class LambdaTraceProvider
{
    private static readonly AsyncLocal<string> TraceIdStorage = new();
    private static string traceIdField;

    public static string CurrentTraceId
    {
        get
        {
            if (IsUsingMultiConcurrency)
            {
                return TraceIdStorage.Value;
            }

            return traceIdField ?? Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID");
        }
    }

    private static bool IsUsingMultiConcurrency => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AWS_LAMBDA_MAX_CONCURRENCY"));

    internal static void SetCurrentTraceId(string traceId)
    {
        if (IsUsingMultiConcurrency)
        {
            TraceIdStorage.Value = traceId;
        }
        else
        {
            traceIdField = traceId;
        }
    }
}
