// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda;

/// <summary>
/// The facts about one invocation that tracing needs, independent of <c>Amazon.Lambda.Core</c>.
/// Fill it from <c>ILambdaContext</c> with the <c>ToDatadog()</c> extension that the package adds to
/// your project as a source file, or set the properties yourself (tests, custom runtimes).
/// Every property is optional: missing or malformed values only reduce what is tagged.
/// </summary>
public sealed class DatadogLambdaContext
{
    /// <summary>Gets the AWS request id of the invocation (<c>ILambdaContext.AwsRequestId</c>).</summary>
    public string? AwsRequestId { get; init; }

    /// <summary>Gets the ARN the function was invoked with, possibly with a version or alias qualifier.</summary>
    public string? InvokedFunctionArn { get; init; }

    /// <summary>Gets the function name; when unset, <c>AWS_LAMBDA_FUNCTION_NAME</c> is used.</summary>
    public string? FunctionName { get; init; }

    /// <summary>Gets the function version (<c>$LATEST</c> or a number); when unset, <c>AWS_LAMBDA_FUNCTION_VERSION</c> is used.</summary>
    public string? FunctionVersion { get; init; }

    /// <summary>Gets the configured memory in MB; zero when unknown.</summary>
    public int MemoryLimitInMB { get; init; }

    /// <summary>Gets the log group name.</summary>
    public string? LogGroupName { get; init; }

    /// <summary>Gets the log stream name.</summary>
    public string? LogStreamName { get; init; }

    /// <summary>
    /// Gets the instant (UTC) at which Lambda ends the invocation. Bounds the flush and arms the
    /// impending-timeout span. <see cref="DateTimeOffset.MinValue"/> (the default) means unknown.
    /// </summary>
    public DateTimeOffset Deadline { get; init; }

    /// <summary>
    /// Gets the <c>custom</c> map of the client context of a direct invocation (<c>ILambdaContext.ClientContext.Custom</c>),
    /// where a calling function puts its trace context.
    /// </summary>
    public IReadOnlyDictionary<string, string>? ClientContextCustom { get; init; }

    /// <summary>
    /// Gets the X-Ray trace header of this invocation (<c>Root=1-…;Parent=…;Sampled=…</c>). Under Lambda Managed
    /// Instances many invocations share the process, so read it per invocation
    /// (<c>LambdaTraceProvider.CurrentTraceId</c>); when unset, <c>_X_AMZN_TRACE_ID</c> is used, which is only
    /// right for one invocation at a time.
    /// </summary>
    public string? XRayTraceHeader { get; init; }

    /// <summary>Gets the time left before <see cref="Deadline"/>, or <see cref="TimeSpan.Zero"/> when it has passed or is unknown.</summary>
    public TimeSpan RemainingTime
    {
        get
        {
            if (this.Deadline == DateTimeOffset.MinValue)
            {
                return TimeSpan.Zero;
            }

            var remaining = this.Deadline - DateTimeOffset.UtcNow;
            return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
        }
    }

    /// <summary>Computes a <see cref="Deadline"/> from the time left, as <c>ILambdaContext.RemainingTime</c> reports it.</summary>
    /// <param name="remainingTime">The time left in the invocation.</param>
    /// <returns>
    /// The UTC instant <paramref name="remainingTime"/> from now (now when it is not positive, and
    /// <see cref="DateTimeOffset.MaxValue"/> when it lies beyond it, as a test double's <c>TimeSpan.MaxValue</c> does).
    /// </returns>
    public static DateTimeOffset DeadlineFromRemainingTime(TimeSpan remainingTime)
    {
        var now = DateTimeOffset.UtcNow;
        if (remainingTime <= TimeSpan.Zero)
        {
            return now;
        }

        return remainingTime >= DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue : now + remainingTime;
    }
}
