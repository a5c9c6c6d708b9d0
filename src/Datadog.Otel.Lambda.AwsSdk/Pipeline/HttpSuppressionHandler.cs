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
/// </summary>
internal sealed class HttpSuppressionHandler : PipelineHandler
{
    public override void InvokeSync(IExecutionContext executionContext)
    {
        using var scope = SuppressInstrumentationScope.Begin();
        base.InvokeSync(executionContext);
    }

    public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext)
    {
        using var scope = SuppressInstrumentationScope.Begin();
        return await base.InvokeAsync<T>(executionContext).ConfigureAwait(false);
    }
}
