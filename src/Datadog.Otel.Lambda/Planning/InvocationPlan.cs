// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.Extraction;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Triggers;

namespace Datadog.Otel.Lambda.Planning;

/// <summary>
/// Everything one invocation's spans will be, decided from the event's bytes, the Lambda context and the settings before
/// any span exists (<see cref="InvocationPlanner"/>): the source, the upstream context (ids, priority, origin, <c>_dd.p.*</c>,
/// baggage, links), the inferred spans, the <c>aws.lambda</c> span's tags, the links of the root-most span, the cold-start
/// decision. Immutable; the spans are made from it in one place (the invocation's span builder).
/// </summary>
internal sealed class InvocationPlan
{
    private static readonly object BoxedTrue = true;
    private static readonly object BoxedFalse = false;

    /// <summary>Gets the AWS source that sent the event.</summary>
    public required TriggerSource Trigger { get; init; }

    /// <summary>Gets when the invocation started (<c>aws.lambda</c>'s start, the end of asynchronous inferred spans).</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>Gets the context the invocation continues and what came with it.</summary>
    public required UpstreamContext Upstream { get; init; }

    /// <summary>Gets the inferred spans, outermost first (none when <c>DD_TRACE_MANAGED_SERVICES</c> is off).</summary>
    public required InferredSpanPlan[] InferredSpans { get; init; }

    /// <summary>Gets the links of the root-most span: conflicting upstream contexts, other batch records, span pointers.</summary>
    public IReadOnlyList<ActivityLink>? Links { get; init; }

    /// <summary>Gets the invoked function (its cached tags).</summary>
    public required FunctionInfo Function { get; init; }

    public required LambdaSettings Settings { get; init; }

    public required ColdStartState ColdStart { get; init; }

    public string? RequestId { get; init; }

    /// <summary>Gets the function version of the context, when it differs from the resource's.</summary>
    public string? FaasVersion { get; init; }

    /// <summary>Gets the arn of the event's source (<c>function_trigger.event_source_arn</c>).</summary>
    public string? EventSourceArn { get; init; }

    /// <summary>Gets the source's tags on <c>aws.lambda</c> (HTTP tags, Step Functions execution, …), in order.</summary>
    public KeyValuePair<string, object?>[] TriggerTags { get; init; } = [];

    /// <summary>Gets the request's route (<c>http.route</c> of an HTTP trigger), which the innermost inferred span gets with the response.</summary>
    public string? HttpRoute { get; init; }

    /// <summary>Gets the request payload's tags (<c>function.request.*</c>), when payload capture is on.</summary>
    public KeyValuePair<string, object?>[]? PayloadTags { get; init; }

    /// <summary>Gets the cold-start span, when this invocation reports one.</summary>
    public ColdStartSpanPlan? ColdStartSpan { get; init; }

    /// <summary>Gets which authorizer sent the event; its response then gets the authorizer's trace context.</summary>
    public AuthorizerEventKind Authorizer { get; init; }

    /// <summary>Gets API Gateway's request id, echoed in an authorizer's response.</summary>
    public string? AuthorizingRequestId { get; init; }

    /// <summary>Gets the invocation's X-Ray header, when X-Ray metadata is sent (<c>AWS_XRAY_DAEMON_ADDRESS</c>).</summary>
    public string? XRayHeader { get; init; }

    public bool IsHttp => this.Trigger.IsHttp;

    public bool IsColdStart => this.ColdStart is ColdStartState.ColdStart or ColdStartState.SnapStartRestore;

    /// <summary>
    /// Writes <c>aws.lambda</c>'s tags after the ones it starts with (<see cref="FunctionInfo.LambdaStartTags"/>): Datadog's
    /// Lambda tags (datadog-lambda-behaviour.md §3), then OpenTelemetry's FaaS and cloud conventions. Values the resource
    /// already carries (cloud.provider, and faas.name, faas.version, cloud.region when they match it) are not repeated.
    /// </summary>
    public void WriteLambdaTags<TSink>(ref TSink sink)
        where TSink : ITagSink
    {
        var function = this.Function;
        var settings = this.Settings;
        sink.Add(TagNames.SpanKind, "server");
        sink.Add(TagNames.ColdStart, this.IsColdStart ? "true" : "false");
        if (this.ColdStart == ColdStartState.ProactiveInitialization)
        {
            sink.Add(TagNames.ProactiveInitialization, "true");
        }

        if (function.FunctionArnTag is not null)
        {
            sink.Add(TagNames.FunctionArn, function.FunctionArnTag);
        }

        sink.Add(TagNames.FunctionVersion, function.FunctionVersionTag);
        sink.Add(TagNames.FunctionName, function.FunctionNameLower);
        sink.Add(TagNames.ResourceNames, function.FunctionName);
        if (this.RequestId is { } requestId)
        {
            sink.Add(TagNames.RequestId, requestId);
        }

        sink.Add(TagNames.DatadogLambdaVersion, LibraryVersion.Value);
        sink.Add(TagNames.SpanName, "aws.lambda");

        // Python's rule: only a parent taken from X-Ray (merging) is named; Node.js also writes "event".
        if (this.Upstream.Source == UpstreamSource.XRay)
        {
            sink.Add(TagNames.ParentSource, "xray");
        }

        if (!string.Equals(function.FunctionName, settings.FunctionName, StringComparison.Ordinal))
        {
            sink.Add(TagNames.FaasName, function.FunctionName);
        }

        if (this.FaasVersion is { } version)
        {
            sink.Add(TagNames.FaasVersion, version);
        }

        if (this.RequestId is { } invocationId)
        {
            sink.Add(TagNames.FaasInvocationId, invocationId);
        }

        sink.Add(TagNames.FaasColdStart, this.IsColdStart ? BoxedTrue : BoxedFalse);
        if (function.Region is { } region && !string.Equals(region, settings.Region, StringComparison.Ordinal))
        {
            sink.Add(TagNames.CloudRegion, region);
        }

        if (function.AccountId is { } account)
        {
            sink.Add(TagNames.CloudAccountId, account);
        }

        if (function.UnqualifiedArn is { } arn)
        {
            sink.Add(TagNames.CloudResourceId, arn);
            if (!ReferenceEquals(arn, function.InvokedArn))
            {
                sink.Add(TagNames.AwsLambdaInvokedArn, function.InvokedArn);
            }
        }
    }

    /// <summary>Writes the trigger's tags on <c>aws.lambda</c>: its event source and ARN, the source's own tags, <c>faas.trigger</c>.</summary>
    public void WriteTriggerTags<TSink>(ref TSink sink)
        where TSink : ITagSink
    {
        if (this.Trigger.EventSource is { } eventSource)
        {
            sink.Add(TagNames.EventSource, eventSource);
        }

        if (this.EventSourceArn is { } arn)
        {
            sink.Add(TagNames.EventSourceArn, arn);
        }

        foreach (var tag in this.TriggerTags)
        {
            sink.Add(tag.Key, tag.Value);
        }

        sink.Add(TagNames.FaasTrigger, this.Trigger.FaasTrigger);
    }
}

/// <summary>
/// The <c>aws.lambda.cold_start</c> span (<c>aws.lambda.snapstart_restore</c> after a SnapStart restore): from the sandbox's
/// initialization (or the restore) to the first invocation.
/// </summary>
internal sealed record ColdStartSpanPlan(string OperationName, DateTimeOffset Start);
