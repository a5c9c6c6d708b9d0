// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0
//
// This file is added to your project by the Datadog.Otel.Lambda package and compiled there, next to
// Amazon.Lambda.Core (which the package cannot reference). It turns ILambdaContext into the context
// DatadogLambda.Trace/TraceAsync need:
//
//     public Task<Response> Handler(Stream evt, ILambdaContext ctx) =>
//         DatadogLambda.TraceAsync(Tracing, evt, ctx.ToDatadog(), Inner);
//
// The X-Ray header is read per invocation from LambdaTraceProvider.CurrentTraceId (Amazon.Lambda.Core 2.8.0+),
// which is correct under Lambda Managed Instances where many invocations share the process and the
// _X_AMZN_TRACE_ID environment variable belongs to none of them. With an older Amazon.Lambda.Core (2.3.0 to 2.7.x), define
// DATADOG_LAMBDA_LEGACY_CORE in your project to fall back to the environment variable.
//
// Checked against Amazon.Lambda.Core 3.2.0 (alone and with Amazon.Lambda.RuntimeSupport 2.1.2) and, with the define,
// 2.3.0 (README, "The Amazon.Lambda packages").
#nullable enable

using System;
using System.Collections.Generic;
using Amazon.Lambda.Core;

namespace Datadog.Otel.Lambda;

/// <summary>Fills <see cref="DatadogLambdaContext"/> from <see cref="ILambdaContext"/>.</summary>
internal static class DatadogLambdaContextExtensions
{
    /// <summary>Creates the Datadog view of this invocation's context.</summary>
    /// <param name="context">The Lambda context passed to the handler.</param>
    /// <returns>The context to pass to <c>DatadogLambda.Trace</c>/<c>TraceAsync</c>.</returns>
    public static DatadogLambdaContext ToDatadog(this ILambdaContext context)
    {
        if (context is null)
        {
            return new DatadogLambdaContext();
        }

        IReadOnlyDictionary<string, string>? custom = null;
        try
        {
            // The runtime parses the client context when it is first read, and throws on a shape it does not expect
            // (a `custom` that is not an object, a repeated key): a function that never reads it runs untroubled, so
            // tracing must not fail the invocation over it.
            var clientCustom = context.ClientContext?.Custom;
            if (clientCustom is { Count: > 0 })
            {
                custom = new Dictionary<string, string>(clientCustom);
            }
        }
#pragma warning disable CA1031 // Tracing must never break the function.
        catch (Exception)
#pragma warning restore CA1031
        {
            custom = null;
        }

        return new DatadogLambdaContext
        {
            AwsRequestId = context.AwsRequestId,
            InvokedFunctionArn = context.InvokedFunctionArn,
            FunctionName = context.FunctionName,
            FunctionVersion = context.FunctionVersion,
            MemoryLimitInMB = context.MemoryLimitInMB,
            LogGroupName = context.LogGroupName,
            LogStreamName = context.LogStreamName,
            Deadline = DatadogLambdaContext.DeadlineFromRemainingTime(context.RemainingTime),
            ClientContextCustom = custom,
#if DATADOG_LAMBDA_LEGACY_CORE
            XRayTraceHeader = Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID"),
#else
            XRayTraceHeader = LambdaTraceProvider.CurrentTraceId,
#endif
        };
    }
}
