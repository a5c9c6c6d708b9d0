// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Datadog.Otel.Lambda.AwsSdk.Injection;
using Datadog.Otel.Lambda.AwsSdk.Payload;
using Datadog.Otel.Lambda.AwsSdk.Services;
using Datadog.Otel.Lambda.AwsSdk.SpanPointers;
using Datadog.Otel.Lambda.AwsSdk.Tracing;
using Datadog.Otel.Lambda.Diagnostics;

namespace Datadog.Otel.Lambda.AwsSdk.Pipeline;

/// <summary>
/// Works on the request as the SDK's marshaller produced it (JSON body or query parameters), so it needs no service
/// package's types: tags the client span with the resource the call is about (queue, table, bucket …), the region and
/// the request payload, then injects the client span's context into the payload. Runs before signing, so the signature
/// covers the change. After a successful call: the tags known once the endpoint is resolved, response payload tags,
/// span pointers. Anything that goes wrong leaves the request exactly as the marshaller made it; outside any span
/// (tracing off, or the call made before the provider exists) the handler does nothing.
/// </summary>
internal sealed class MarshalledRequestHandler : PipelineHandler
{
    public override void InvokeSync(IExecutionContext executionContext)
    {
        var call = this.Before(executionContext);
        base.InvokeSync(executionContext);
        this.After(executionContext, call);
    }

    public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext)
    {
        var call = this.Before(executionContext);
        var response = await base.InvokeAsync<T>(executionContext).ConfigureAwait(false);
        this.After(executionContext, call);
        return response;
    }

    /// <summary>After a successful call (a failed one throws past this handler unchanged): resolved tags, span pointers.</summary>
    private void After(IExecutionContext executionContext, AwsCall? call)
    {
        try
        {
            if (call is not { } made || Activity.Current is not { IsAllDataRequested: true } client || !AwsSdkActivitySource.IsClientSpan(client))
            {
                return;
            }

            RequestTags.ApplyResolved(client, made);
            var settings = AwsSdkInstrumentation.Settings;
            if (settings.PayloadTagging.ResponsesEnabled)
            {
                try
                {
                    ResponsePayloadTags.Apply(client, made, ResponseReaders.Body(executionContext.RequestContext), settings.PayloadTagging);
                }
                catch (System.Text.Json.JsonException exception)
                {
                    Diag.Debug("aws-sdk", $"response payload of {made.Service.ServiceId}.{made.Operation} not tagged: {Internal.ExceptionText.Message(exception, diagnostic: true)}");
                }
            }

            if (settings.AddSpanPointers)
            {
                ProducerSpanPointers.Add(client, made, executionContext, settings);
            }
        }
        catch (Exception exception)
        {
            Diag.TracingFailed("aws-sdk response", exception);
        }
    }

    private AwsCall? Before(IExecutionContext executionContext)
    {
        try
        {
            var requestContext = executionContext.RequestContext;
            if (Activity.Current is not { } activity)
            {
                return null;
            }

            var client = AwsSdkActivitySource.IsClientSpan(activity) ? activity : null;
            var request = requestContext.Request;
            var call = new AwsCall(AwsServiceInfo.For(requestContext.ServiceMetaData?.ServiceId), OperationOf(request.RequestName), request, MarshalledBody.ReadJson(request));
            var settings = AwsSdkInstrumentation.Settings;
            if (client is { IsAllDataRequested: true })
            {
                RequestTags.Apply(client, call, requestContext.ClientConfig?.RegionEndpoint?.SystemName ?? requestContext.ClientConfig?.AuthenticationRegion);
                TagPayload(client, call, settings);
            }

            // ReceiveMessage asks for the _datadog attribute whatever DD_BOTOCORE_DISTRIBUTED_TRACING says, as dd-trace-py
            // does: the setting is about what this process sends, not what the messages it receives carry.
            if (settings.InjectContext || (call.Service.Kind == AwsService.Sqs && call.Operation == "ReceiveMessage"))
            {
                PayloadInjection.Inject(call, client, settings, requestContext.ContextAttributes);
            }

            return call;
        }
        catch (Exception exception)
        {
            Diag.TracingFailed("aws-sdk request", exception);
            return null;
        }
    }

    private static void TagPayload(Activity client, in AwsCall call, AwsSdkSettings settings)
    {
        try
        {
            RequestPayloadTags.Apply(client, call, settings.PayloadTagging);
        }
        catch (System.Text.Json.JsonException exception)
        {
            Diag.Debug("aws-sdk", $"request payload of {call.Service.ServiceId}.{call.Operation} not tagged: {Internal.ExceptionText.Message(exception, diagnostic: true)}");
        }
    }

    /// <summary><c>SendMessageRequest</c> → <c>SendMessage</c> (the SDK's request class names end in Request).</summary>
    private static string OperationOf(string? requestName) =>
        requestName is null ? string.Empty
        : requestName.EndsWith("Request", StringComparison.Ordinal) ? requestName[..^"Request".Length]
        : requestName;
}
