// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Datadog.Otel.Lambda.AwsSdk.Injection;
using Datadog.Otel.Lambda.AwsSdk.Services;
using Datadog.Otel.Lambda.AwsSdk.Tracing;
using Datadog.Otel.Lambda.Diagnostics;

namespace Datadog.Otel.Lambda.AwsSdk.Pipeline;

/// <summary>
/// Works on the request as the SDK's marshaller produced it (JSON body or query parameters), so it needs no service
/// package's types: tags the client span with the resource the call is about (queue, table, bucket …) and the region,
/// then injects the client span's context into the payload. Runs before signing, so the signature covers the change.
/// Anything that goes wrong leaves the request exactly as the marshaller made it.
/// </summary>
internal sealed class MarshalledRequestHandler : PipelineHandler
{
    private readonly AwsSdkSettings settings;

    public MarshalledRequestHandler(AwsSdkSettings settings)
    {
        this.settings = settings;
    }

    public override void InvokeSync(IExecutionContext executionContext)
    {
        this.Process(executionContext);
        base.InvokeSync(executionContext);
    }

    public override Task<T> InvokeAsync<T>(IExecutionContext executionContext)
    {
        this.Process(executionContext);
        return base.InvokeAsync<T>(executionContext);
    }

    private void Process(IExecutionContext executionContext)
    {
        try
        {
            var requestContext = executionContext.RequestContext;
            var activity = Activity.Current;
            var client = AwsSdkActivitySource.IsClientSpan(activity) ? activity : null;
            var request = requestContext.Request;
            var call = new AwsCall(AwsServiceInfo.For(requestContext.ServiceMetaData?.ServiceId), OperationOf(request.RequestName), request, MarshalledBody.ReadJson(request));
            if (client is { IsAllDataRequested: true })
            {
                RequestTags.Apply(client, call, requestContext.ClientConfig?.RegionEndpoint?.SystemName ?? requestContext.ClientConfig?.AuthenticationRegion);
            }

            if (this.settings.InjectContext)
            {
                PayloadInjection.Inject(call, client, this.settings);
            }
        }
        catch (Exception exception)
        {
            Diag.TracingFailed("aws-sdk request", exception);
        }
    }

    /// <summary><c>SendMessageRequest</c> → <c>SendMessage</c> (the SDK's request class names end in Request).</summary>
    private static string OperationOf(string? requestName) =>
        requestName is null ? string.Empty
        : requestName.EndsWith("Request", StringComparison.Ordinal) ? requestName[..^"Request".Length]
        : requestName;
}
