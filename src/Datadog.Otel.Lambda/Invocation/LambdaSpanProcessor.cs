// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using OpenTelemetry;

namespace Datadog.Otel.Lambda.Invocation;

/// <summary>
/// The first processor <c>AddDatadogLambda</c> adds. It ties the runtime to its provider (through
/// <see cref="BaseProcessor{T}.ParentProvider"/>) and unmarks spans to Lambda's own endpoints as recorded, so that no
/// exporter added after it sends them.
/// </summary>
internal sealed class LambdaSpanProcessor : BaseProcessor<Activity>
{
    private readonly InternalEndpointFilter filter;
    private readonly Action? onShutdown;

    public LambdaSpanProcessor(InternalEndpointFilter filter, Action? onShutdown)
    {
        this.filter = filter;
        this.onShutdown = onShutdown;
    }

    public override void OnEnd(Activity data)
    {
        if (data.Recorded && this.filter.IsInternal(data))
        {
            data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            data.IsAllDataRequested = false;
        }
    }

    protected override bool OnShutdown(int timeoutMilliseconds)
    {
        this.onShutdown?.Invoke();
        return true;
    }
}
