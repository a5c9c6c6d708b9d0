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
    private DatadogLogContext? logContext;
    private OpenSpans? openSpans;

    public InvocationInfo(string? awsRequestId, LambdaSettings settings, Activity? lambdaSpan, string? xrayTraceHeader = null)
    {
        this.AwsRequestId = awsRequestId;
        this.Settings = settings;
        this.LambdaSpan = lambdaSpan;
        this.XRayTraceHeader = xrayTraceHeader;
    }

    public string? AwsRequestId { get; }

    /// <summary>Gets the X-Ray trace header Lambda gave the invocation (Lambda's JSON log lines carry it as <c>traceId</c>).</summary>
    public string? XRayTraceHeader { get; }

    /// <summary>Gets or sets the log correlation fields of the span that logged last (one per span, reused by every line).</summary>
    public DatadogLogContext? LogContext
    {
        get => Volatile.Read(ref this.logContext);
        set => Volatile.Write(ref this.logContext, value);
    }

    /// <summary>Gets the invocation's <c>aws.lambda</c> span (null when it is not recorded).</summary>
    public Activity? LambdaSpan { get; }

    public LambdaSettings Settings { get; }

    /// <summary>Gets the spans the handler has open, once it has started one (null until then).</summary>
    public OpenSpans? OpenSpans => Volatile.Read(ref this.openSpans);

    /// <summary>Tracks a span the handler started; the tracking list is made by the first one.</summary>
    public void SpanStarted(Activity span)
    {
        var open = Volatile.Read(ref this.openSpans);
        if (open is null)
        {
            // Parallel work of the handler may start its first spans at once: one list wins.
            var made = new OpenSpans();
            open = Interlocked.CompareExchange(ref this.openSpans, made, null) ?? made;
        }

        open.Started(span);
    }

    /// <summary>Stops tracking a span that ended (nothing to do when the handler never started one).</summary>
    public void SpanEnded(Activity span) => Volatile.Read(ref this.openSpans)?.Ended(span);

    /// <summary>Stops tracking for good (the invocation timed out) and returns the spans still open, in start order.</summary>
    public Activity[] CloseOpenSpans() => Interlocked.Exchange(ref this.openSpans, Invocation.OpenSpans.Closed)?.Close() ?? [];
}
