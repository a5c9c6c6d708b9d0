// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using Datadog.Otel.Lambda.Extraction;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Planning;
using Datadog.Otel.Lambda.Propagation;

namespace Datadog.Otel.Lambda.XRay;

/// <summary>
/// Datadog's <c>datadog-metadata</c> subsegments of one invocation, for X-Ray's view of it (sent only when the plan kept the
/// invocation's X-Ray header, i.e. <c>AWS_XRAY_DAEMON_ADDRESS</c> is set, and only for invocations X-Ray samples).
/// </summary>
internal sealed class XRayMetadata
{
    private readonly XRayDaemonClient client;

    public XRayMetadata(XRayDaemonClient client)
    {
        this.client = client;
    }

    /// <summary>
    /// The <c>trace</c> subsegment: the Datadog ids of the context found in the event — the event's parent, also when X-Ray
    /// merging re-parented the spans under the X-Ray segment. Sent once the context is known.
    /// </summary>
    public void SendTrace(InvocationPlan plan)
    {
        var upstream = plan.Upstream;
        if (upstream.Source != UpstreamSource.Event || plan.XRayHeader is not { } raw || !XRayTraceHeader.TryParse(raw, out var header))
        {
            return;
        }

        var parent = upstream.EventParent;
        var priority = DatadogTraceState.TryGetPriority(parent.TraceState, out var p) ? p : 1;
        this.client.Send(header, raw, "trace", json =>
        {
            json.WriteStartObject();
            json.WriteString("trace-id", DatadogIds.ToDecimal(DatadogIds.Lower64(parent.TraceId)));
            json.WriteString("parent-id", DatadogIds.ToDecimal(DatadogIds.ToUInt64(parent.SpanId)));
            json.WriteString("sampling-priority", priority.ToString(CultureInfo.InvariantCulture));
            json.WriteEndObject();
        });
    }

    /// <summary>The <c>lambda_function_tags</c> subsegment: the trigger's tags and the response status. Sent at the end.</summary>
    public void SendFunctionTags(InvocationPlan plan, string? statusCode)
    {
        if (plan.Trigger.EventSource is not { } eventSource || plan.XRayHeader is not { } raw || !XRayTraceHeader.TryParse(raw, out var header))
        {
            return;
        }

        this.client.Send(header, raw, "lambda_function_tags", json =>
        {
            json.WriteStartObject();
            json.WriteString(TagNames.EventSource, eventSource);
            if (plan.EventSourceArn is { } arn)
            {
                json.WriteString(TagNames.EventSourceArn, arn);
            }

            foreach (var tag in plan.TriggerTags)
            {
                if (tag.Value is string value)
                {
                    json.WriteString(tag.Key, value);
                }
            }

            if (statusCode is not null)
            {
                json.WriteString(TagNames.HttpStatusCode, statusCode);
            }

            json.WriteEndObject();
        });
    }
}
