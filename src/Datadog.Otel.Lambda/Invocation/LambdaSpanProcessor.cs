// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.Internal;
using OpenTelemetry;

namespace Datadog.Otel.Lambda.Invocation;

/// <summary>
/// The first processor <c>AddDatadogLambda</c> adds. It ties the runtime to its provider (through
/// <see cref="BaseProcessor{T}.ParentProvider"/>), tracks the spans a handler has open (an impending timeout ends them,
/// <see cref="OpenSpans"/>) and unmarks spans to Lambda's own endpoints as recorded, so that no exporter added after it
/// sends them.
/// </summary>
internal sealed class LambdaSpanProcessor : BaseProcessor<Activity>
{
    private readonly InternalEndpointFilter filter;
    private readonly LambdaSettings owner;
    private readonly Action? onShutdown;

    /// <param name="filter">Recognizes spans to Lambda's own endpoints.</param>
    /// <param name="owner">The settings of the runtime: an invocation with the same is one of this provider's.</param>
    /// <param name="onShutdown">Called when the provider shuts down.</param>
    public LambdaSpanProcessor(InternalEndpointFilter filter, LambdaSettings owner, Action? onShutdown)
    {
        this.filter = filter;
        this.owner = owner;
        this.onShutdown = onShutdown;
    }

    /// <summary>
    /// A span started on an invocation's flow is the handler's (the invocation's own spans start before its flow is
    /// marked): it is tracked until it ends.
    /// </summary>
    public override void OnStart(Activity data)
    {
        if (CurrentInvocation.Value is { } invocation && ReferenceEquals(invocation.Settings, this.owner))
        {
            invocation.SpanStarted(data);
        }
    }

    public override void OnEnd(Activity data)
    {
        if (CurrentInvocation.Value is { } invocation && ReferenceEquals(invocation.Settings, this.owner))
        {
            invocation.SpanEnded(data);
        }

        if (data.Recorded && this.filter.IsInternal(data))
        {
            data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            data.IsAllDataRequested = false;
            return;
        }

        if (data.Kind == ActivityKind.Server && data.Status == ActivityStatusCode.Error)
        {
            PropagateServerError(data);
        }
    }

    /// <summary>
    /// A web framework hosted in the function (ASP.NET Core on Lambda) catches a controller's exception and answers 500,
    /// so the handler never throws; the framework's server span has the exception. Its details go on <c>aws.lambda</c>
    /// too, where Datadog's serverless views look for them.
    /// </summary>
    private static void PropagateServerError(Activity server)
    {
        if (CurrentInvocation.Value?.LambdaSpan is not { } lambda || server.ParentSpanId != lambda.SpanId || lambda.GetTagItem(TagNames.ErrorType) is not null)
        {
            return;
        }

        string? type = server.GetTagItem("error.type") as string ?? server.GetTagItem("exception.type") as string;
        string? message = server.StatusDescription;
        string? stack = null;
        foreach (ref readonly var activityEvent in server.EnumerateEvents())
        {
            if (activityEvent.Name != "exception")
            {
                continue;
            }

            foreach (ref readonly var tag in activityEvent.EnumerateTagObjects())
            {
                switch (tag.Key)
                {
                    case "exception.type":
                        type = tag.Value as string ?? type;
                        break;
                    case "exception.message":
                        message = tag.Value as string ?? message;
                        break;
                    case "exception.stacktrace":
                        stack = tag.Value as string;
                        break;
                }
            }
        }

        if (type is null)
        {
            // An error status without an exception (a 5xx the application chose): the status code says it all.
            return;
        }

        SpanErrors.Record(lambda, type, message ?? type);
        if (stack is not null)
        {
            lambda.SetTag(TagNames.ErrorStack, stack);
        }
    }

    protected override bool OnShutdown(int timeoutMilliseconds)
    {
        this.onShutdown?.Invoke();
        return true;
    }
}
