// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Amazon.Runtime;
using Amazon.Runtime.Internal;
using OpenTelemetry;

namespace Datadog.Otel.Lambda.AwsSdk.Pipeline;

/// <summary>
/// Suppresses OpenTelemetry instrumentation (the HttpClient instrumentation) for the SDK's own HTTP request: the AWS
/// client span already describes it, so Datadog shows one span per AWS call and not an extra <c>http.request</c> child
/// carrying trace headers that nothing reads. It sits right before the HTTP handler, so only the HTTP send is affected.
/// It is also the last place to see the HTTP response before the unmarshaller reads it, which the SQS MD5 correction
/// needs.
/// </summary>
internal sealed class HttpSuppressionHandler : PipelineHandler
{
    public override void InvokeSync(IExecutionContext executionContext)
    {
        using (SuppressInstrumentationScope.Begin())
        {
            base.InvokeSync(executionContext);
        }

        PrepareResponse(executionContext);
    }

    public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext)
    {
        T response;
        using (SuppressInstrumentationScope.Begin())
        {
            response = await base.InvokeAsync<T>(executionContext).ConfigureAwait(false);
        }

        PrepareResponse(executionContext);
        return response;
    }

    /// <summary>Before the unmarshaller reads the body: see <see cref="BufferedResponse"/>.</summary>
    private static void PrepareResponse(IExecutionContext executionContext)
    {
        var requestContext = executionContext.RequestContext;
        if (requestContext.ContextAttributes is not { } attributes
            || executionContext.ResponseContext.HttpResponse is not { IsSuccessStatusCode: true } response || response is BufferedResponse)
        {
            return;
        }

        var fixes = attributes.TryGetValue(BufferedResponse.Md5FixesKey, out var value) ? value as Injection.SqsMd5Fix[] : null;
        if (fixes is not null || ResponseReaders.Wanted(requestContext, AwsSdkInstrumentation.Settings))
        {
            executionContext.ResponseContext.HttpResponse = new BufferedResponse(response, fixes, attributes);
        }
    }
}
