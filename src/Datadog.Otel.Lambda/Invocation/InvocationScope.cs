// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text.Json;
using Datadog.Otel.Lambda.Diagnostics;
using Datadog.Otel.Lambda.Extraction;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Payload;
using Datadog.Otel.Lambda.Propagation;
using Datadog.Otel.Lambda.Triggers;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;

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

    private static readonly object BoxedTrue = true;
    private static readonly object BoxedFalse = false;

    private readonly DatadogLambdaRuntime runtime;
    private readonly DatadogLambdaContext context;
    private readonly DateTimeOffset deadline;
    private Activity? lambdaSpan;
    private Activity[]? inferredSpans;
    private InferredSpanEnd[]? inferredEnds;
    private string? httpRoute;
    private ITimer? timeoutTimer;
    private int state;
    private Exception? exception;
    private bool isHttpTrigger;
    private AuthorizerEventKind authorizer;
    private string? authorizingRequestId;
    private string? statusCode;
    private string? xrayHeader;
    private TriggerTags? triggerTags;

    /// <summary>The handler exception's texts, made once (bounded, <see cref="ExceptionText"/>) for every span that reports it.</summary>
    private ExceptionDescription? error;

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
        var capture = this.runtime.Settings.PayloadCapture;
        if (this.lambdaSpan is not { } span || (!this.isHttpTrigger && !capture.Enabled))
        {
            return;
        }

        try
        {
            this.statusCode = ResponseInspector.Inspect(result, hasResult, this.isHttpTrigger, capture.Enabled ? capture : null, span, this.runtime.Options.JsonTypeInfoResolver);
        }
#pragma warning disable CA1031 // Tracing must never break the function.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Diag.TracingFailed("reading the response", ex);
        }
    }

    /// <summary>
    /// The result the wrapper returns: the handler's own, except that an authorizer's policy gets the trace context for the
    /// function it authorizes (<see cref="AuthorizerResponse"/>). Called after <see cref="EndAsync"/>, when the spans ended.
    /// </summary>
    public TResult CompleteResult<TResult>(TResult result)
    {
        if (this.authorizer == AuthorizerEventKind.None || Volatile.Read(ref this.state) != Ended)
        {
            return result;
        }

        var span = this.inferredSpans is { Length: > 0 } inferred ? inferred[0] : this.lambdaSpan;
        if (span is null)
        {
            return result;
        }

        var propagator = this.runtime.Propagator;
        var encoded = AuthorizerResponse.Encode(
            span,
            (context, writer) => propagator.Inject(new PropagationContext(context, default), writer, static (w, name, value) => w.WriteString(name, value)),
            this.authorizingRequestId);
        return AuthorizerResponse.Inject(result, encoded, this.authorizer, this.runtime.Options.JsonTypeInfoResolver);
    }

    /// <summary>
    /// Records the handler's exception; the caller rethrows it unchanged. An HTTP trigger then answers 502 (API Gateway's
    /// answer to a failed integration), the status both Datadog libraries tag.
    /// </summary>
    public void SetException(Exception handlerException)
    {
        this.exception = handlerException;
        if (this.isHttpTrigger)
        {
            this.statusCode = "502";
        }
    }

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

        this.SendXRayFunctionTags();
        await this.runtime.FlushAsync(this.FlushBudget()).ConfigureAwait(false);
    }

    /// <summary>
    /// The <c>trace</c> metadata subsegment: the Datadog ids of the context found in the event, for X-Ray's view — the
    /// event's parent, also when X-Ray merging re-parented the spans under the X-Ray segment.
    /// </summary>
    private void SendXRayTraceMetadata(UpstreamContext upstream)
    {
        if (this.xrayHeader is not { } raw || !XRayTraceHeader.TryParse(raw, out var header))
        {
            return;
        }

        var parent = upstream.EventParent;
        var priority = DatadogTraceState.TryGetPriority(parent.TraceState, out var p) ? p : 1;
        this.runtime.XRay.Send(header, raw, "trace", json =>
        {
            json.WriteStartObject();
            json.WriteString("trace-id", DatadogIds.ToDecimal(DatadogIds.Lower64(parent.TraceId)));
            json.WriteString("parent-id", DatadogIds.ToDecimal(DatadogIds.ToUInt64(parent.SpanId)));
            json.WriteString("sampling-priority", priority.ToString(System.Globalization.CultureInfo.InvariantCulture));
            json.WriteEndObject();
        });
    }

    /// <summary>The <c>lambda_function_tags</c> metadata subsegment: the trigger's tags and the response status.</summary>
    private void SendXRayFunctionTags()
    {
        if (this.triggerTags is not { } tags || this.xrayHeader is not { } raw || !XRayTraceHeader.TryParse(raw, out var header))
        {
            return;
        }

        var status = this.statusCode;
        this.runtime.XRay.Send(header, raw, "lambda_function_tags", json =>
        {
            json.WriteStartObject();
            json.WriteString(TagNames.EventSource, tags.EventSource);
            if (tags.EventSourceArn is not null)
            {
                json.WriteString(TagNames.EventSourceArn, tags.EventSourceArn);
            }

            foreach (var tag in tags.HttpTags)
            {
                if (tag.Value is string value)
                {
                    json.WriteString(tag.Key, value);
                }
            }

            if (status is not null)
            {
                json.WriteString(TagNames.HttpStatusCode, status);
            }

            json.WriteEndObject();
        });
    }

    private void Start(JsonElement? @event)
    {
        var settings = this.runtime.Settings;
        var coldStart = this.runtime.ColdStart.Claim();
        var functionName = this.context.FunctionName ?? settings.FunctionName ?? FunctionNameFromArn(this.context.InvokedFunctionArn) ?? "unknown";
        var function = this.runtime.GetFunctionInfo(this.context.InvokedFunctionArn, functionName);
        var startTime = DateTimeOffset.UtcNow;
        using var trigger = TriggerParser.Describe(@event, settings, function, this.context.AwsRequestId);
        this.isHttpTrigger = trigger.Kind.IsHttp();
        if (settings.EncodeAuthorizerContext && @event is { } raw && AuthorizerResponse.Classify(raw) is not AuthorizerEventKind.None and var authorizer)
        {
            this.authorizer = authorizer;
            this.authorizingRequestId = trigger.RequestId;
        }

        this.xrayHeader = this.runtime.Extractor.XRayHeader(this.context);
        var upstream = this.runtime.Extractor.Extract(trigger, this.context, this.xrayHeader);
        if (upstream.Source == UpstreamSource.Event && this.runtime.XRay.IsEnabled)
        {
            this.SendXRayTraceMetadata(upstream);
        }
        if (upstream.Baggage.Count > 0)
        {
            // Flows into the handler (an AsyncLocal), where outgoing calls propagate it.
            Baggage.Current = upstream.Baggage;
        }

        var parent = upstream.Parent;
        var links = CombineLinks(upstream.Links, trigger.SpanPointers);
        if (settings.ManagedServices && trigger.InferredSpans.Count > 0)
        {
            this.StartInferredSpans(trigger, upstream.Parent, links, startTime);
            if (this.inferredSpans is { Length: > 0 } inferred)
            {
                parent = inferred[^1].Context;
                links = null;
            }
        }

        this.lambdaSpan = this.StartLambdaSpan(function, parent, links, upstream, coldStart, startTime);

        // A trace-level tag: on the span that continues the upstream context, the root-most of the invocation (as the
        // tracers write it on the first span of the local trace).
        if (upstream.DatadogParentId is { } parentId && (this.inferredSpans is { Length: > 0 } first ? first[0] : this.lambdaSpan) is { } rootMost)
        {
            rootMost.AddTag(TagNames.ParentId, parentId);
        }

        if (this.lambdaSpan is { } span)
        {
            this.TagTrigger(span, trigger);

            // Payload tags come after the span's own tags: the attribute limit drops the last ones first.
            if (settings.PayloadCapture.Enabled && @event is { } payload)
            {
                LambdaPayloadTagger.Tag(LambdaPayloadTagger.RequestPrefix, payload, settings.PayloadCapture, new ActivityPayloadTagSink(span));
            }
        }

        if (coldStart is ColdStartState.ColdStart or ColdStartState.SnapStartRestore)
        {
            this.EmitColdStartSpan(parent, startTime, coldStart == ColdStartState.SnapStartRestore ? "aws.lambda.snapstart_restore" : "aws.lambda.cold_start");
        }

        this.ArmTimeout();
    }

    private void TagTrigger(Activity span, TriggerDescription trigger)
    {
        if (trigger.Kind.EventSource() is { } eventSource)
        {
            span.AddTag(TagNames.EventSource, eventSource);
        }

        if (trigger.EventSourceArn is { } arn)
        {
            span.AddTag(TagNames.EventSourceArn, arn);
        }

        foreach (var tag in trigger.LambdaTags)
        {
            span.AddTag(tag.Key, tag.Value);
            if (tag.Key == "http.route")
            {
                this.httpRoute = tag.Value as string;
            }
        }

        if (this.runtime.XRay.IsEnabled && trigger.Kind.EventSource() is not null)
        {
            this.triggerTags = new TriggerTags(trigger.Kind.EventSource()!, trigger.EventSourceArn, trigger.LambdaTags);
        }

        span.AddTag(TagNames.FaasTrigger, trigger.Kind.FaasTrigger());
    }

    /// <summary>
    /// Starts the inferred spans outermost first, each the parent of the next, at the event's own timestamps (clamped to
    /// the invocation's start); the innermost becomes the parent of <c>aws.lambda</c>.
    /// </summary>
    private void StartInferredSpans(TriggerDescription trigger, ActivityContext parent, IReadOnlyList<ActivityLink>? links, DateTimeOffset invocationStart)
    {
        var specs = trigger.InferredSpans;
        var spans = new Activity[specs.Count];
        var ends = new InferredSpanEnd[specs.Count];
        var started = 0;
        var peerService = this.runtime.Settings.DdService;
        for (var i = 0; i < specs.Count; i++)
        {
            var spec = specs[i];
            var start = EventTime.Clamp(spec.Start, invocationStart);
            var activity = LambdaActivitySource.Source.StartActivity(
                spec.OperationName,
                spec.Synchronous ? ActivityKind.Server : ActivityKind.Consumer,
                parent,
                [
                    new(TagNames.OperationName, spec.OperationName),
                    new(TagNames.ResourceName, spec.Resource),
                    new(TagNames.SpanType, spec.SpanType),
                    new(TagNames.DatadogService, spec.Service),
                ],
                links,
                start);
            if (activity is null)
            {
                break;
            }

            activity.AddTag(TagNames.SpanKind, "server");
            activity.AddTag("_inferred_span.tag_source", "self");
            activity.AddTag("_inferred_span.synchronicity", spec.Synchronous ? "sync" : "async");
            if (spec.TagOperationName)
            {
                activity.AddTag(TagNames.OperationNameTag, spec.OperationName);
            }

            activity.AddTag(TagNames.ResourceNames, spec.Resource);
            if (peerService is not null)
            {
                activity.AddTag("peer.service", peerService);
            }

            foreach (var tag in spec.Tags)
            {
                activity.AddTag(tag.Key, tag.Value);
            }

            // A span that wraps another ends where the next one starts: SNS around SQS when SQS received the message,
            // the authorizer when API Gateway went on with the request. Such a span describes its own part only, never
            // the function's response (the authorizer span gets no status, route or error of the function).
            var endKind = spec.Synchronous ? InferredSpanEnd.WithResponse : InferredSpanEnd.AtInvocationStart;
            if (spec.End is { } end && i < specs.Count - 1)
            {
                var clampedEnd = end < start ? start : end > invocationStart ? invocationStart : end;
                activity.SetEndTime(clampedEnd.UtcDateTime);
                endKind = InferredSpanEnd.Preset;
            }

            spans[started] = activity;
            ends[started++] = endKind;
            parent = activity.Context;
            links = null;
        }

        if (started < spans.Length)
        {
            Array.Resize(ref spans, started);
            Array.Resize(ref ends, started);
        }

        this.inferredSpans = spans;
        this.inferredEnds = ends;
    }

    // Fresh spans get each tag once: AddTag appends, where SetTag first searches the span's tag list for the key.
    private Activity? StartLambdaSpan(FunctionInfo function, ActivityContext parent, IReadOnlyList<ActivityLink>? links, UpstreamContext upstream, ColdStartState coldStart, DateTimeOffset startTime)
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
            parent,
            initialTags,
            links,
            startTime);
        if (activity is null)
        {
            return null;
        }

        // Datadog's Lambda tags (datadog-lambda-behaviour.md §3).
        activity.AddTag(TagNames.SpanKind, "server");
        activity.AddTag(TagNames.ColdStart, coldStart is ColdStartState.ColdStart or ColdStartState.SnapStartRestore ? "true" : "false");
        if (coldStart == ColdStartState.ProactiveInitialization)
        {
            activity.AddTag(TagNames.ProactiveInitialization, "true");
        }

        if (function.FunctionArnTag is not null)
        {
            activity.AddTag(TagNames.FunctionArn, function.FunctionArnTag);
        }

        activity.AddTag(TagNames.FunctionVersion, function.Qualifier ?? "$LATEST");
        activity.AddTag(TagNames.FunctionName, function.FunctionNameLower);
        activity.AddTag(TagNames.ResourceNames, function.FunctionName);
        if (this.context.AwsRequestId is { } requestId)
        {
            activity.AddTag(TagNames.RequestId, requestId);
        }

        activity.AddTag(TagNames.DatadogLambdaVersion, LambdaActivitySource.Version);
        if (upstream.Source == UpstreamSource.Event)
        {
            activity.AddTag(TagNames.ParentSource, "event");
        }
        else if (upstream.Source == UpstreamSource.XRay)
        {
            activity.AddTag(TagNames.ParentSource, "xray");
        }

        // OpenTelemetry semantic conventions (FaaS, cloud). Values the resource already carries (cloud.provider, and
        // faas.name, faas.version, cloud.region when they match it) are not repeated on every invocation span: exporters
        // and the extension attach the resource to each span.
        if (!string.Equals(function.FunctionName, settings.FunctionName, StringComparison.Ordinal))
        {
            activity.AddTag(TagNames.FaasName, function.FunctionName);
        }

        if (this.context.FunctionVersion is { } version && !string.Equals(version, settings.FunctionVersion, StringComparison.Ordinal))
        {
            activity.AddTag(TagNames.FaasVersion, version);
        }

        if (this.context.AwsRequestId is { } invocationId)
        {
            activity.AddTag(TagNames.FaasInvocationId, invocationId);
        }

        activity.AddTag(TagNames.FaasColdStart, coldStart is ColdStartState.ColdStart or ColdStartState.SnapStartRestore ? BoxedTrue : BoxedFalse);
        if (function.Region is { } region && !string.Equals(region, settings.Region, StringComparison.Ordinal))
        {
            activity.AddTag(TagNames.CloudRegion, region);
        }

        if (function.AccountId is { } account)
        {
            activity.AddTag(TagNames.CloudAccountId, account);
        }

        if (function.UnqualifiedArn is { } arn)
        {
            activity.AddTag(TagNames.CloudResourceId, arn);
            if (!ReferenceEquals(arn, function.InvokedArn))
            {
                activity.AddTag(TagNames.AwsLambdaInvokedArn, function.InvokedArn);
            }
        }

        return activity;
    }

    /// <summary>
    /// The <c>aws.lambda.cold_start</c> span covers the sandbox's initialization, from process start to the first
    /// invocation, as a sibling of <c>aws.lambda</c> under the same parent (<paramref name="parent"/>: the innermost
    /// inferred span, the upstream context, or none). After a SnapStart restore it is <c>aws.lambda.snapstart_restore</c>
    /// and covers the restore, from the after-restore hook to the first invocation, as Datadog's extension reports it.
    /// Not on Managed Instances (no per-sandbox cold start), with provisioned concurrency (initialized ahead of traffic),
    /// or when DD_COLD_START_TRACING is off.
    /// </summary>
    private void EmitColdStartSpan(ActivityContext parent, DateTimeOffset lambdaStart, string operationName)
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

        // With no explicit parent, aws.lambda took the ambient activity (if any) as its parent.
        var parentContext = parent == default && this.lambdaSpan.Parent is { } ambient ? ambient.Context : parent;
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
            operationName,
            ActivityKind.Internal,
            parentContext,
            [
                new(TagNames.OperationName, operationName),
                new(TagNames.ResourceName, functionName),
                new(TagNames.SpanType, "serverless"),
                new(TagNames.DatadogService, "aws.lambda"),
            ],
            links: null,
            initTime);
        if (span is not null)
        {
            span.AddTag(TagNames.ResourceNames, functionName);
            span.AddTag(TagNames.OperationNameTag, operationName);
            span.SetEndTime(lambdaStart.UtcDateTime);

            // Ended before the invocation is current: say whose it is, for the exporters of other providers.
            span.SetCustomProperty(Export.ExtensionExportProcessor.OwnerProperty, this.runtime.Settings);
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

            this.StopInferredSpans();

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
            this.error = SpanErrors.Record(span, handlerException);
        }

        if (this.statusCode is { } code)
        {
            span.SetTag(TagNames.HttpStatusCode, code);
            if (int.TryParse(code, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var numeric))
            {
                span.SetTag("http.response.status_code", numeric);
            }

            // Datadog marks the invocation (not the inferred span) as an error for a 5xx response.
            if (this.exception is null && code.Length == 3 && code[0] == '5')
            {
                span.SetStatus(ActivityStatusCode.Error, "HTTP " + code);
            }
        }

        span.Stop();
        this.StopInferredSpans();
    }

    /// <summary>
    /// Ends the inferred spans after <c>aws.lambda</c> (stopping a parent first would break <c>Activity.Current</c> for
    /// the handler): asynchronous ones at the invocation's start, where the transport's part ended; synchronous ones now,
    /// with the response's status; those whose end the event fixed (an authorizer, SNS around SQS) as they are.
    /// </summary>
    private void StopInferredSpans()
    {
        if (this.inferredSpans is not { } spans || this.lambdaSpan is not { } lambda)
        {
            return;
        }

        for (var i = spans.Length - 1; i >= 0; i--)
        {
            var span = spans[i];
            var endKind = this.inferredEnds![i];
            if (endKind == InferredSpanEnd.WithResponse)
            {
                if (this.statusCode is { } code)
                {
                    span.SetTag(TagNames.HttpStatusCode, code);
                }

                if (this.httpRoute is { } route)
                {
                    span.SetTag("http.route", route);
                }

                if (this.exception is not null)
                {
                    span.SetStatus(ActivityStatusCode.Error, this.error?.Message);
                }
            }
            else if (endKind == InferredSpanEnd.AtInvocationStart && span.Duration == TimeSpan.Zero)
            {
                // Keep a visible duration when the event time equals the invocation's start.
                var end = lambda.StartTimeUtc > span.StartTimeUtc ? lambda.StartTimeUtc : span.StartTimeUtc.AddTicks(1);
                span.SetEndTime(end);
            }

            span.Stop();
        }
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

    /// <summary>Links go on the root-most span of the invocation: conflicting upstream contexts and span pointers.</summary>
    private static IReadOnlyList<ActivityLink>? CombineLinks(IReadOnlyList<ActivityLink>? upstream, List<ActivityLink>? pointers)
    {
        if (pointers is null || pointers.Count == 0)
        {
            return upstream;
        }

        if (upstream is null || upstream.Count == 0)
        {
            return pointers;
        }

        var all = new List<ActivityLink>(upstream.Count + pointers.Count);
        all.AddRange(upstream);
        all.AddRange(pointers);
        return all;
    }

    /// <summary>How an inferred span ends.</summary>
    private enum InferredSpanEnd : byte
    {
        /// <summary>An asynchronous span: where the invocation starts (the message waited until then).</summary>
        AtInvocationStart,

        /// <summary>A synchronous span: after the function, with its response's status, route and error.</summary>
        WithResponse,

        /// <summary>At a time the event gave, before the invocation (an authorizer, SNS around SQS).</summary>
        Preset,
    }

    /// <summary>The trigger tags kept for the X-Ray metadata sent at the end of the invocation.</summary>
    private sealed record TriggerTags(string EventSource, string? EventSourceArn, List<KeyValuePair<string, object?>> HttpTags);

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
