// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;

namespace Datadog.Otel.Lambda.Invocation;

/// <summary>
/// The invocation the current async flow belongs to (request id, settings), for code that runs inside the handler and
/// has no context parameter: log correlation, AWS SDK instrumentation. An <see cref="AsyncLocal{T}"/>, never a static
/// field: under Lambda Managed Instances many invocations run in one process at once.
/// </summary>
internal static class CurrentInvocation
{
    private static readonly AsyncLocal<InvocationInfo?> Current = new();

    public static InvocationInfo? Value => Current.Value;

    internal static InvocationInfo? Set(InvocationInfo? value)
    {
        var previous = Current.Value;
        Current.Value = value;
        return previous;
    }
}

/// <summary>What code inside a handler may need to know about its invocation.</summary>
internal sealed class InvocationInfo
{
    public InvocationInfo(string? awsRequestId, LambdaSettings settings, Activity? lambdaSpan)
    {
        this.AwsRequestId = awsRequestId;
        this.Settings = settings;
        this.LambdaSpan = lambdaSpan;
    }

    public string? AwsRequestId { get; }

    /// <summary>Gets the invocation's <c>aws.lambda</c> span (null when it is not recorded).</summary>
    public Activity? LambdaSpan { get; }

    public LambdaSettings Settings { get; }
}
