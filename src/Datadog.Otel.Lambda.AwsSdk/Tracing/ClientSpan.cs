// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Amazon.Runtime.Telemetry;
using Amazon.Runtime.Telemetry.Tracing;
using Datadog.Otel.Lambda.AwsSdk.Services;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Invocation;

namespace Datadog.Otel.Lambda.AwsSdk.Tracing;

/// <summary>
/// The span AWSSDK.Core opens around one service call (<c>SQS.SendMessage</c>, kind client), as an
/// <see cref="Activity"/> of <see cref="AwsSdkActivitySource"/>. It starts with the tags the Datadog extension maps
/// (operation, resource, type, service) so that the sampler sees them and the attribute limit never drops them.
/// The SDK's own attributes are kept; its error report becomes Datadog's <c>error.*</c> tags.
/// </summary>
internal sealed class ClientSpan : TraceSpan
{
    private readonly Activity activity;
    private int ended;

    private ClientSpan(Activity activity, string name)
    {
        this.activity = activity;
        this.Name = name;
    }

    /// <summary>Starts the span, or returns null when nothing listens or the sampler drops it.</summary>
    public static ClientSpan? Start(string name, Attributes? sdkAttributes, AwsSdkSettings settings)
    {
        var service = AwsServiceInfo.For(sdkAttributes?.Get(AwsTagNames.RpcService) as string);
        var operation = sdkAttributes?.Get(AwsTagNames.RpcMethod) as string ?? string.Empty;
        var datadogService = ClientServiceName.Resolve(service, settings);

        var tags = new List<KeyValuePair<string, object?>>(16)
        {
            new(TagNames.OperationName, service.OperationName),
            new(TagNames.ResourceName, name),
            new(TagNames.SpanType, AwsTagNames.SpanTypeHttp),
        };
        if (datadogService is not null)
        {
            tags.Add(new(TagNames.DatadogService, datadogService));
        }

        tags.Add(new(TagNames.SpanKind, AwsTagNames.SpanKindClient));
        tags.Add(new(AwsTagNames.Component, AwsTagNames.ComponentValue));
        tags.Add(new(AwsTagNames.Agent, AwsTagNames.AgentValue));
        tags.Add(new(AwsTagNames.Service, service.ServiceId));
        tags.Add(new(AwsTagNames.ServiceLegacy, service.ServiceId));
        tags.Add(new(AwsTagNames.Operation, operation));
        if (sdkAttributes is not null)
        {
            foreach (var attribute in sdkAttributes.AllAttributes)
            {
                tags.Add(new(attribute.Key, attribute.Value));
            }
        }

        // The parent is the current activity (the SDK's own span context is never set by AWSSDK.Core's callers).
        var activity = AwsSdkActivitySource.Source.StartActivity(name, ActivityKind.Client, default(ActivityContext), tags);
        return activity is null ? null : new ClientSpan(activity, name);
    }

    public override void SetAttribute(string key, object value)
    {
        if (Volatile.Read(ref this.ended) != 0 || !this.activity.IsAllDataRequested)
        {
            return;
        }

        switch (key)
        {
            case AwsTagNames.HttpStatusCodeSdk:
                if (HttpStatusTags.TryRead(value, out var status))
                {
                    HttpStatusTags.Set(this.activity, status);
                }

                break;
            case AwsTagNames.RequestId when value is string { Length: 0 } or null:
                // Emulators send no request id; an empty tag would only clutter the span.
                break;
            case AwsTagNames.RequestId:
                this.activity.SetTag(AwsTagNames.RequestId, value);
                this.activity.SetTag(AwsTagNames.RequestIdDatadog, value);
                break;
            case "exception.type" or "exception.message" or "exception.stacktrace":
                // RecordException already wrote them, as the exception event and as Datadog's error.* tags.
                break;
            default:
                this.activity.SetTag(key, value);
                break;
        }
    }

    public override void SetStatus(SpanStatus status)
    {
        if (Volatile.Read(ref this.ended) == 0)
        {
            this.activity.SetStatus(status switch
            {
                SpanStatus.OK => ActivityStatusCode.Ok,
                SpanStatus.ERROR => ActivityStatusCode.Error,
                _ => ActivityStatusCode.Unset,
            });
        }
    }

    public override void RecordException(Exception exception, Attributes? attributes = null)
    {
        if (Volatile.Read(ref this.ended) == 0 && exception is not null && this.activity.IsAllDataRequested)
        {
            SpanErrors.Record(this.activity, exception);
        }
    }

    public override void EmitEvent(string name, Attributes? attributes = null)
    {
        if (Volatile.Read(ref this.ended) != 0 || !this.activity.IsAllDataRequested)
        {
            return;
        }

        var tags = attributes is null ? null : new ActivityTagsCollection(attributes.AllAttributes!);
        this.activity.AddEvent(new ActivityEvent(name, tags: tags));
    }

    public override void End()
    {
        if (Interlocked.Exchange(ref this.ended, 1) == 0)
        {
            this.activity.Stop();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            this.End();
        }

        base.Dispose(disposing);
    }
}
