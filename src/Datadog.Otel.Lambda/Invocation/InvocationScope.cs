// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text.Json;
using Datadog.Otel.Lambda.Diagnostics;
using Datadog.Otel.Lambda.Extraction;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Triggers;

namespace Datadog.Otel.Lambda.Invocation;

/// <summary>
/// The spans of one invocation and their lifecycle: created before the handler runs, completed with its result or
/// exception, ended and flushed before the wrapper returns — or ended early by the impending-timeout timer so that an
/// invocation Lambda kills still shows up. All state is per instance: concurrent invocations never share one.
/// </summary>
internal sealed class InvocationScope
{
    private const int Running = 0;
    private const int Ended = 1;
    private const int TimedOut = 2;

    private readonly DatadogLambdaRuntime runtime;
    private readonly DatadogLambdaContext context;
    private readonly DateTimeOffset deadline;
    private Activity? lambdaSpan;
    private ITimer? timeoutTimer;
    private int state;
    private Exception? exception;
    private bool isHttpTrigger;
    private string? statusCode;

    private InvocationScope(DatadogLambdaRuntime runtime, DatadogLambdaContext context)
    {
        this.runtime = runtime;
        this.context = context;
        this.deadline = context.Deadline;
    }

    /// <summary>Gets the invocation span, when it is recorded.</summary>
    public Activity? LambdaSpan => this.lambdaSpan;

    /// <summary>Creates the invocation's spans. Never throws: on failure the scope exists but traces less.</summary>
    public static InvocationScope Begin(DatadogLambdaRuntime runtime, JsonElement? @event, DatadogLambdaContext context)
    {
        var scope = new InvocationScope(runtime, context);
        try
        {
            scope.Start(@event);
        }
#pragma warning disable CA1031 // Tracing must never break the function.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Diag.TracingFailed("start of invocation", ex);
        }

        return scope;
    }

    /// <summary>Reads what tracing needs from the handler's result (HTTP status). Never throws.</summary>
    public void SetResult<TResult>(TResult result, bool hasResult)
    {
        if (this.lambdaSpan is null || !this.isHttpTrigger)
        {
            return;
        }

        try
        {
            this.statusCode = ResponseInspector.StatusCode(result, hasResult, this.runtime.Options.JsonTypeInfoResolver);
        }
#pragma warning disable CA1031 // Tracing must never break the function.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Diag.TracingFailed("reading the response", ex);
        }
    }

    /// <summary>Records the handler's exception; the caller rethrows it unchanged.</summary>
    public void SetException(Exception handlerException) => this.exception = handlerException;

    /// <summary>Ends the spans and exports them within the invocation's deadline. Never throws.</summary>
    public async Task EndAsync()
    {
        if (Interlocked.CompareExchange(ref this.state, Ended, Running) != Running)
        {
            // The impending-timeout timer already ended and exported the spans.
            return;
        }

        try
        {
            this.timeoutTimer?.Dispose();
            this.Finish();
        }
#pragma warning disable CA1031 // Tracing must never break the function.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Diag.TracingFailed("end of invocation", ex);
        }

        await this.runtime.FlushAsync(this.FlushBudget()).ConfigureAwait(false);
    }

    private void Start(JsonElement? @event)
    {
        var settings = this.runtime.Settings;
        var coldStart = this.runtime.ColdStart.Claim();
        var functionName = this.context.FunctionName ?? settings.FunctionName ?? FunctionNameFromArn(this.context.InvokedFunctionArn) ?? "unknown";
        var function = this.runtime.GetFunctionInfo(this.context.InvokedFunctionArn, functionName);
        var upstream = UpstreamContext.None;
        var trigger = @event is { } root ? TriggerDetector.Detect(root) : TriggerKind.Unknown;
        this.isHttpTrigger = trigger.IsHttp();

        var startTime = DateTimeOffset.UtcNow;
        this.lambdaSpan = this.StartLambdaSpan(function, upstream, coldStart, startTime);
        if (this.lambdaSpan is { } span)
        {
            if (trigger.EventSource() is { } eventSource)
            {
                span.SetTag(TagNames.EventSource, eventSource);
            }

            span.SetTag(TagNames.FaasTrigger, trigger.FaasTrigger());
        }

        if (coldStart == ColdStartState.ColdStart)
        {
            this.EmitColdStartSpan(upstream.Parent, startTime);
        }

        this.ArmTimeout();
    }

    private Activity? StartLambdaSpan(FunctionInfo function, UpstreamContext upstream, ColdStartState coldStart, DateTimeOffset startTime)
    {
        var settings = this.runtime.Settings;
        KeyValuePair<string, object?>[] initialTags = settings.LambdaSpanService == settings.ServiceName
            ?
            [
                new(TagNames.OperationName, "aws.lambda"),
                new(TagNames.ResourceName, function.FunctionName),
                new(TagNames.SpanType, "serverless"),
            ]
            :
            [
                new(TagNames.OperationName, "aws.lambda"),
                new(TagNames.ResourceName, function.FunctionName),
                new(TagNames.SpanType, "serverless"),
                new(TagNames.DatadogService, settings.LambdaSpanService),
            ];

        var activity = LambdaActivitySource.Source.StartActivity(
            function.FunctionName,
            ActivityKind.Server,
            upstream.Parent,
            initialTags,
            upstream.Links,
            startTime);
        if (activity is null)
        {
            return null;
        }

        // Datadog's Lambda tags (datadog-lambda-behaviour.md §3).
        activity.SetTag(TagNames.SpanKind, "server");
        activity.SetTag(TagNames.ColdStart, coldStart == ColdStartState.ColdStart ? "true" : "false");
        if (coldStart == ColdStartState.ProactiveInitialization)
        {
            activity.SetTag(TagNames.ProactiveInitialization, "true");
        }

        if (function.FunctionArnTag is not null)
        {
            activity.SetTag(TagNames.FunctionArn, function.FunctionArnTag);
        }

        activity.SetTag(TagNames.FunctionVersion, function.Qualifier ?? "$LATEST");
        activity.SetTag(TagNames.FunctionName, function.FunctionNameLower);
        activity.SetTag(TagNames.ResourceNames, function.FunctionName);
        if (this.context.AwsRequestId is { } requestId)
        {
            activity.SetTag(TagNames.RequestId, requestId);
        }

        activity.SetTag(TagNames.DatadogLambdaVersion, LambdaActivitySource.Version);
        if (upstream.Source == UpstreamSource.Event)
        {
            activity.SetTag(TagNames.ParentSource, "event");
        }
        else if (upstream.Source == UpstreamSource.XRay)
        {
            activity.SetTag(TagNames.ParentSource, "xray");
        }

        if (upstream.DatadogParentId is { } parentId)
        {
            activity.SetTag(TagNames.ParentId, parentId);
        }

        // OpenTelemetry semantic conventions (FaaS, cloud).
        activity.SetTag(TagNames.FaasName, function.FunctionName);
        if ((this.context.FunctionVersion ?? settings.FunctionVersion) is { } version)
        {
            activity.SetTag(TagNames.FaasVersion, version);
        }

        if (this.context.AwsRequestId is { } invocationId)
        {
            activity.SetTag(TagNames.FaasInvocationId, invocationId);
        }

        activity.SetTag(TagNames.FaasColdStart, coldStart == ColdStartState.ColdStart);
        activity.SetTag(TagNames.CloudProvider, "aws");
        if ((function.Region ?? settings.Region) is { } region)
        {
            activity.SetTag(TagNames.CloudRegion, region);
        }

        if (function.AccountId is { } account)
        {
            activity.SetTag(TagNames.CloudAccountId, account);
        }

        if (function.UnqualifiedArn is { } arn)
        {
            activity.SetTag(TagNames.CloudResourceId, arn);
            activity.SetTag(TagNames.AwsLambdaInvokedArn, function.InvokedArn);
        }

        return activity;
    }

    /// <summary>
    /// The <c>aws.lambda.cold_start</c> span covers the sandbox's initialization, from process start to the first
    /// invocation, as a sibling of <c>aws.lambda</c> under the same parent. Not on Managed Instances (no per-sandbox
    /// cold start), with provisioned concurrency (initialized ahead of traffic), or when DD_COLD_START_TRACING is off.
    /// </summary>
    private void EmitColdStartSpan(ActivityContext parent, DateTimeOffset lambdaStart)
    {
        var settings = this.runtime.Settings;
        if (!settings.ColdStartTracing || settings.IsManagedInstances || settings.IsProvisionedConcurrency || this.lambdaSpan is null)
        {
            return;
        }

        var initTime = this.runtime.ColdStart.InitTime;
        if (initTime >= lambdaStart)
        {
            return;
        }

        var parentContext = this.lambdaSpan.Parent is { } inferred ? inferred.Context : parent;
        var previous = Activity.Current;

        // Without a parent, the cold start is a second root in the invocation's trace: a context with the trace id and no
        // span id says so, and no current activity may be in the way (it would be taken as the parent).
        if (parentContext == default)
        {
            parentContext = new ActivityContext(this.lambdaSpan.TraceId, default, this.lambdaSpan.ActivityTraceFlags, this.lambdaSpan.TraceStateString);
            Activity.Current = null;
        }

        var functionName = this.lambdaSpan.GetTagItem(TagNames.ResourceName) as string ?? "unknown";
        var span = LambdaActivitySource.Source.StartActivity(
            "aws.lambda.cold_start",
            ActivityKind.Internal,
            parentContext,
            [
                new(TagNames.OperationName, "aws.lambda.cold_start"),
                new(TagNames.ResourceName, functionName),
                new(TagNames.SpanType, "serverless"),
                new(TagNames.DatadogService, "aws.lambda"),
            ],
            links: null,
            initTime);
        if (span is not null)
        {
            span.SetTag(TagNames.ResourceNames, functionName);
            span.SetTag(TagNames.OperationNameTag, "aws.lambda.cold_start");
            span.SetEndTime(lambdaStart.UtcDateTime);
            span.Stop();
        }

        // A span started with an explicit parent context does not know the activity it replaced as current.
        Activity.Current = previous;
    }

    private void ArmTimeout()
    {
        if (this.lambdaSpan is null || this.deadline == DateTimeOffset.MinValue)
        {
            return;
        }

        var margin = TimeSpan.FromMilliseconds(this.runtime.Settings.FlushDeadlineMilliseconds);
        var due = this.deadline - this.runtime.TimeProvider.GetUtcNow() - margin;
        if (due <= TimeSpan.Zero)
        {
            return;
        }

        this.timeoutTimer = this.runtime.TimeProvider.CreateTimer(static s => ((InvocationScope)s!).OnImpendingTimeout(), this, due, Timeout.InfiniteTimeSpan);
    }

    private void OnImpendingTimeout()
    {
        if (Interlocked.CompareExchange(ref this.state, TimedOut, Running) != Running)
        {
            return;
        }

        try
        {
            if (this.lambdaSpan is { } span)
            {
                SpanErrors.Record(span, "Impending Timeout", "Datadog detected an Impending Timeout");
                span.Stop();
            }

            // The handler may still be running; export now, while the sandbox is alive.
            _ = this.runtime.FlushAsync(this.deadline - this.runtime.TimeProvider.GetUtcNow());
        }
#pragma warning disable CA1031 // A timer callback must never throw.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Diag.TracingFailed("impending timeout", ex);
        }
    }

    private void Finish()
    {
        if (this.lambdaSpan is not { } span)
        {
            return;
        }

        if (this.exception is { } handlerException)
        {
            SpanErrors.Record(span, handlerException);
        }
        else if (this.statusCode is { } code)
        {
            span.SetTag(TagNames.HttpStatusCode, code);
            if (int.TryParse(code, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var numeric))
            {
                span.SetTag("http.response.status_code", numeric);
            }

            // Datadog marks the invocation (not the inferred span) as an error for a 5xx response.
            if (code.Length == 3 && code[0] == '5')
            {
                span.SetStatus(ActivityStatusCode.Error, "HTTP " + code);
            }
        }

        span.Stop();
    }

    private TimeSpan FlushBudget()
    {
        var max = this.runtime.Settings.MaxFlushTime;
        if (this.deadline == DateTimeOffset.MinValue)
        {
            return max;
        }

        // Leave a little time after the flush for the function's response to reach the Runtime API.
        var left = this.deadline - this.runtime.TimeProvider.GetUtcNow() - TimeSpan.FromMilliseconds(10);
        return left < max ? left : max;
    }

    private static string? FunctionNameFromArn(string? arn)
    {
        if (string.IsNullOrEmpty(arn))
        {
            return null;
        }

        var parts = arn.Split(':');
        return parts.Length > 6 && parts[6].Length > 0 ? parts[6] : null;
    }
}
