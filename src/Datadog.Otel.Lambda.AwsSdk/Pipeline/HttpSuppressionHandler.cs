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

        CorrectSqsMd5(executionContext);
    }

    public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext)
    {
        T response;
        using (SuppressInstrumentationScope.Begin())
        {
            response = await base.InvokeAsync<T>(executionContext).ConfigureAwait(false);
        }

        CorrectSqsMd5(executionContext);
        return response;
    }

    /// <summary>Before the unmarshaller reads the body: see <see cref="SqsMd5Response"/>.</summary>
    private static void CorrectSqsMd5(IExecutionContext executionContext)
    {
        if (executionContext.RequestContext.ContextAttributes is { Count: > 0 } attributes
            && attributes.TryGetValue(SqsMd5Response.ContextKey, out var value) && value is Injection.SqsMd5Fix[] fixes
            && executionContext.ResponseContext.HttpResponse is { IsSuccessStatusCode: true } response and not SqsMd5Response)
        {
            executionContext.ResponseContext.HttpResponse = new SqsMd5Response(response, fixes);
        }
    }
}
