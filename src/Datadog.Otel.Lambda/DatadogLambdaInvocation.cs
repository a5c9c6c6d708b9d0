// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Invocation;

namespace Datadog.Otel.Lambda;

/// <summary>
/// The invocation that the calling code runs in, as traced by <see cref="DatadogLambda"/>, for code inside a handler
/// that has no context parameter: loggers, instrumentations, the companion packages (Datadog.Otel.Lambda.Logging and
/// Datadog.Otel.Lambda.AwsSdk read it here). Each value follows the async flow, so concurrent invocations (Lambda
/// Managed Instances) each see their own; outside a traced invocation every value is <see langword="null"/>.
/// </summary>
public static class DatadogLambdaInvocation
{
    /// <summary>Gets the Lambda request id of the current traced invocation, or <see langword="null"/> outside one.</summary>
    public static string? AwsRequestId => CurrentInvocation.Value?.AwsRequestId;

    /// <summary>
    /// Gets the X-Ray trace header Lambda gave the current invocation (<c>Root=…;Parent=…;Sampled=…</c>, the
    /// <c>traceId</c> of Lambda's JSON log lines), or <see langword="null"/> outside a traced invocation or without one.
    /// </summary>
    public static string? XRayTraceHeader => CurrentInvocation.Value?.XRayTraceHeader;

    /// <summary>
    /// Gets the Datadog service of the function whose invocation is running, as resolved once by its provider
    /// (<c>DD_SERVICE</c>, <c>OTEL_SERVICE_NAME</c>, <see cref="DatadogLambdaOptions.ServiceName"/>, the function name),
    /// or <see langword="null"/> outside a traced invocation.
    /// </summary>
    public static string? ServiceName => CurrentInvocation.Value?.Settings.ServiceName;
}
