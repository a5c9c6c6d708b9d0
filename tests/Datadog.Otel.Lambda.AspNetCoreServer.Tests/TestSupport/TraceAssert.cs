// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.ExtensionEmulator;

namespace Datadog.Otel.Lambda.AspNetCoreServer.Tests.TestSupport;

/// <summary>The chain the integration promises, as Datadog sees it.</summary>
internal static class TraceAssert
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    /// <summary>Waits for the invocation's trace, with its ASP.NET Core request span.</summary>
    public static Task<DatadogTrace> InvocationAsync(ExtensionEmulator.ExtensionEmulator emulator, string requestId) =>
        emulator.WaitForTraceAsync(
            t => t.Spans.Any(s => s.Name == "aws.lambda" && s.GetMeta("request_id") == requestId) && t.Spans.Any(IsAspNetCoreRequest),
            Wait);

    public static bool IsAspNetCoreRequest(DatadogSpan span) =>
        span.Kind == OtlpSpanKind.Server && span.ScopeName.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) && span.GetMeta("http.route")?.StartsWith("/stock", StringComparison.Ordinal) != true;

    /// <summary>
    /// inferred → aws.lambda → ASP.NET Core request span, one trace, and the inferred span its only root: nothing the
    /// emulator received for the invocation hangs off the upstream context or starts a trace of its own.
    /// </summary>
    public static (DatadogSpan Inferred, DatadogSpan Lambda, DatadogSpan Request) Chain(ExtensionEmulator.ExtensionEmulator emulator, DatadogTrace trace, string inferredName)
    {
        var inferred = Assert.Single(trace.Spans, s => s.Name == inferredName);
        var lambda = Assert.Single(trace.Spans, s => s.Name == "aws.lambda");
        var request = Assert.Single(trace.Spans, IsAspNetCoreRequest);
        Assert.Equal(inferred.SpanId, lambda.ParentId);
        Assert.Equal(lambda.SpanId, request.ParentId);

        var all = emulator.Spans;
        Assert.All(all, s => Assert.Equal(inferred.TraceId, s.TraceId));
        var ids = all.Select(s => s.SpanId).ToHashSet();
        var root = Assert.Single(all, s => !ids.Contains(s.ParentId));
        Assert.Equal(inferred.SpanId, root.SpanId);
        return (inferred, lambda, request);
    }
}
