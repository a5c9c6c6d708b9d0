// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.Diagnostics;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Planning;
using Datadog.Otel.Lambda.Triggers;

namespace Datadog.Otel.Lambda.Invocation;

/// <summary>
/// Makes an invocation's spans from its plan, and ends them: the only place spans are created. Inferred spans first,
/// outermost first, each the parent of the next, at the times the plan gives; then <c>aws.lambda</c> under the innermost
/// (or the upstream context); then the cold-start span beside it. A span starts with every tag the plan knows (so that the
/// sampler matches rules against them, as Datadog's tracers match the local root's tags); the rest is set before
/// <c>Stop</c> (processors and exporters see a span when it stops), in the order the extension's mapping and the attribute
/// limit need: the tags it maps first, the sampler's after the span's own, payload tags last. One per provider.
/// </summary>
internal sealed class SpanBuilder
{
    private readonly ActivitySource source;
    private readonly string ownerProperty;
    private readonly object owner;

    /// <param name="source">The activity source of the distribution's spans.</param>
    /// <param name="ownerProperty">The custom property that names the provider a span belongs to when it ends outside its invocation.</param>
    /// <param name="owner">Its value for this provider's spans.</param>
    public SpanBuilder(ActivitySource source, string ownerProperty, object owner)
    {
        this.source = source;
        this.ownerProperty = ownerProperty;
        this.owner = owner;
    }

    /// <summary>Starts the plan's spans; <c>aws.lambda</c> becomes the current activity.</summary>
    public InvocationSpans Start(InvocationPlan plan)
    {
        var upstream = plan.Upstream;
        var parent = upstream.Parent;
        var links = plan.Links;
        var inferred = plan.InferredSpans.Length > 0 ? this.StartInferredSpans(plan, ref parent, ref links) : [];
        var lambda = this.StartLambdaSpan(plan, parent, links);

        // A trace-level tag: on the span that continues the upstream context, the root-most of the invocation (as the
        // tracers write it on the first span of the local trace).
        var rootMost = inferred.Length > 0 ? inferred[0] : lambda;
        if (upstream.DatadogParentId is { } parentId)
        {
            rootMost?.AddTag(TagNames.ParentId, parentId);
        }

        if (upstream.PropagationError is { } propagationError)
        {
            rootMost?.AddTag(TagNames.PropagationError, propagationError);
        }

        if (lambda is not null)
        {
            // Payload tags come after the span's own tags: the attribute limit drops the last ones first.
            if (plan.PayloadTags is { } payload)
            {
                foreach (var tag in payload)
                {
                    lambda.AddTag(tag.Key, tag.Value);
                }
            }

            if (plan.ColdStartSpan is { } coldStart)
            {
                this.StartColdStartSpan(plan, coldStart, lambda, parent);
            }
        }

        return new InvocationSpans(lambda, inferred);
    }

    /// <summary>
    /// Ends the spans with the handler's outcome: <c>aws.lambda</c> with its error, status code (a 5xx without an exception
    /// is an error of the invocation, not of the inferred span), then the inferred spans innermost first.
    /// </summary>
    public static void Finish(InvocationPlan plan, InvocationSpans spans, Exception? exception, string? statusCode)
    {
        if (spans.Lambda is not { } lambda)
        {
            return;
        }

        ExceptionDescription? error = null;
        if (exception is not null)
        {
            error = SpanErrors.Record(lambda, exception);
        }

        if (statusCode is { } code)
        {
            lambda.SetTag(TagNames.HttpStatusCode, code);
            if (int.TryParse(code, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var numeric))
            {
                lambda.SetTag("http.response.status_code", numeric);
            }

            // Datadog marks the invocation (not the inferred span) as an error for a 5xx response.
            if (exception is null && code.Length == 3 && code[0] == '5')
            {
                lambda.SetStatus(ActivityStatusCode.Error, "HTTP " + code);
            }
        }

        Stop(lambda);
        StopInferredSpans(plan, spans, statusCode, failed: exception is not null, error?.Message);
    }

    /// <summary>
    /// Ends the spans of an invocation Lambda is about to kill: the impending timeout recorded on the root-most span
    /// (the outermost inferred span, else <c>aws.lambda</c>: dd-trace-py's crash flush marks the local root), the
    /// inferred spans with what is known of the outcome so far. They end on the timer's thread, outside the invocation:
    /// each says whose it is, so that the exporter of another provider in the process does not take it too.
    /// </summary>
    public void TimeOut(InvocationPlan plan, InvocationSpans spans, string? statusCode, bool failed)
    {
        if (spans.Lambda is { } lambda)
        {
            lambda.SetCustomProperty(this.ownerProperty, this.owner);
            foreach (var inferred in spans.Inferred)
            {
                inferred.SetCustomProperty(this.ownerProperty, this.owner);
            }

            SpanErrors.Record(spans.RootMost ?? lambda, "Impending Timeout", "Datadog detected an Impending Timeout");
            Stop(lambda);
            StopInferredSpans(plan, spans, statusCode, failed, errorMessage: null);
        }
    }

    /// <summary>
    /// Ends one span. A processor of the user's that throws from <c>OnEnd</c> (OpenTelemetry does not catch it) must not
    /// leave the invocation's other spans open and unexported.
    /// </summary>
    private static void Stop(Activity span)
    {
        try
        {
            span.Stop();
        }
#pragma warning disable CA1031 // Tracing must never break the function, nor one span the others.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Diag.TracingFailed("ending a span", ex);
        }
    }

    /// <summary>
    /// Ends the inferred spans after <c>aws.lambda</c> (stopping a parent first would break <c>Activity.Current</c> for
    /// the handler): asynchronous ones at the invocation's start, where the transport's part ended; synchronous ones now;
    /// those whose end the event fixed (an authorizer, SNS around SQS) as they are. The innermost (the parent of
    /// <c>aws.lambda</c>) gets the response's status and the request's route whatever its end, as Python tags it after the
    /// handler: an API Gateway integration invoked asynchronously (<c>X-Amz-Invocation-Type: Event</c>) answers too.
    /// </summary>
    private static void StopInferredSpans(InvocationPlan plan, InvocationSpans spans, string? statusCode, bool failed, string? errorMessage)
    {
        var inferred = spans.Inferred;
        var lambda = spans.Lambda!;
        var innermost = plan.InferredSpans.Length - 1;
        for (var i = inferred.Length - 1; i >= 0; i--)
        {
            var span = inferred[i];
            var rule = plan.InferredSpans[i].EndRule;
            if (i == innermost)
            {
                if (statusCode is not null)
                {
                    span.SetTag(TagNames.HttpStatusCode, statusCode);
                }

                if (plan.HttpRoute is { } route)
                {
                    span.SetTag("http.route", route);
                }
            }

            if (rule == InferredSpanEnd.WithResponse)
            {
                if (failed)
                {
                    span.SetStatus(ActivityStatusCode.Error, errorMessage);
                }
            }
            else if (rule == InferredSpanEnd.AtInvocationStart && span.Duration == TimeSpan.Zero)
            {
                // Keep a visible duration when the event time equals the invocation's start.
                var end = lambda.StartTimeUtc > span.StartTimeUtc ? lambda.StartTimeUtc : span.StartTimeUtc.AddTicks(1);
                span.SetEndTime(end);
            }

            Stop(span);
        }
    }

    /// <summary>
    /// Starts the inferred spans outermost first, each the parent of the next; the innermost becomes the parent of
    /// <c>aws.lambda</c>, and the links go on the outermost.
    /// </summary>
    private Activity[] StartInferredSpans(InvocationPlan plan, ref System.Diagnostics.ActivityContext parent, ref IReadOnlyList<ActivityLink>? links)
    {
        var specs = plan.InferredSpans;
        var spans = new Activity[specs.Length];
        var started = 0;
        var peerService = plan.Settings.DdService;
        var context = parent;
        var spanLinks = links;
        for (var i = 0; i < specs.Length; i++)
        {
            var spec = specs[i];
            var tags = StartTagList.Rent();
            Activity? activity;
            try
            {
                spec.WriteStartTags(ref tags);
                spec.WriteTags(ref tags, i == specs.Length - 1 ? peerService : null);
                activity = this.source.StartActivity(
                    spec.OperationName,
                    spec.Synchronous ? ActivityKind.Server : ActivityKind.Consumer,
                    context,
                    tags,
                    spanLinks,
                    spec.Start);
            }
            finally
            {
                tags.Return();
            }

            if (activity is null)
            {
                break;
            }

            if (spec.EndRule == InferredSpanEnd.Preset)
            {
                activity.SetEndTime(spec.End.UtcDateTime);
            }

            spans[started++] = activity;
            context = activity.Context;
            spanLinks = null;
        }

        if (started == 0)
        {
            return [];
        }

        if (started < spans.Length)
        {
            Array.Resize(ref spans, started);
        }

        parent = context;
        links = null;
        return spans;
    }

    // Fresh spans get each tag once: AddTag appends, where SetTag first searches the span's tags for the key.
    private Activity? StartLambdaSpan(InvocationPlan plan, System.Diagnostics.ActivityContext parent, IReadOnlyList<ActivityLink>? links)
    {
        var tags = StartTagList.Rent();
        try
        {
            tags.AddRange(plan.Function.LambdaStartTags);
            plan.WriteLambdaTags(ref tags);
            plan.WriteTriggerTags(ref tags);
            return this.source.StartActivity(plan.Function.FunctionName, ActivityKind.Server, parent, tags, links, plan.Start);
        }
        finally
        {
            tags.Return();
        }
    }

    /// <summary>
    /// The cold-start span, a sibling of <c>aws.lambda</c> under the same parent (the innermost inferred span, the upstream
    /// context, or none: then the activity that was current when <c>aws.lambda</c> started).
    /// </summary>
    private void StartColdStartSpan(InvocationPlan plan, ColdStartSpanPlan coldStart, Activity lambda, System.Diagnostics.ActivityContext parent)
    {
        // With no explicit parent, aws.lambda took the ambient activity (if any) as its parent.
        var parentContext = parent == default && lambda.Parent is { } ambient ? ambient.Context : parent;
        var previous = Activity.Current;

        // Without a parent, the cold start is a second root in the invocation's trace: a context with the trace id and no
        // span id says so, and no current activity may be in the way (it would be taken as the parent).
        if (parentContext == default)
        {
            parentContext = new System.Diagnostics.ActivityContext(lambda.TraceId, default, lambda.ActivityTraceFlags, lambda.TraceStateString);
            Activity.Current = null;
        }

        var functionName = plan.Function.FunctionName;
        var span = this.source.StartActivity(
            coldStart.OperationName,
            ActivityKind.Internal,
            parentContext,
            [
                new(TagNames.OperationName, coldStart.OperationName),
                new(TagNames.ResourceName, functionName),
                new(TagNames.SpanType, "serverless"),
                new(TagNames.DatadogService, plan.Settings.ColdStartService),
            ],
            links: null,
            coldStart.Start);
        if (span is not null)
        {
            span.AddTag(TagNames.ResourceNames, functionName);
            span.AddTag(TagNames.OperationNameTag, coldStart.OperationName);
            span.SetEndTime(plan.Start.UtcDateTime);

            // Ended before the invocation is current: say whose it is, for the exporters of other providers.
            span.SetCustomProperty(this.ownerProperty, this.owner);
            Stop(span);
        }

        // A span started with an explicit parent context does not know the activity it replaced as current.
        Activity.Current = previous;
    }
}

/// <summary>The spans of one invocation: <c>aws.lambda</c> (null when not recorded) and the inferred spans that started.</summary>
internal sealed class InvocationSpans(Activity? lambda, Activity[] inferred)
{
    public static readonly InvocationSpans None = new(null, []);

    public Activity? Lambda { get; } = lambda;

    public Activity[] Inferred { get; } = inferred;

    /// <summary>Gets the root-most span of the invocation (its first inferred span, else <c>aws.lambda</c>).</summary>
    public Activity? RootMost => this.Inferred.Length > 0 ? this.Inferred[0] : this.Lambda;
}
