// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.ExtensionEmulator.Tests.TestSupport;

/// <summary>Hand-built Datadog spans for rendering and printer tests.</summary>
internal static class Spans
{
    public const long TraceStart = 1_700_000_000_000_000_000;

    public static DatadogSpan Make(
        ulong spanId,
        ulong parentId,
        string name,
        double startMs,
        double durationMs,
        ulong traceId = 42,
        string service = "svc",
        string resource = "res",
        int error = 0,
        IReadOnlyDictionary<string, string>? meta = null,
        IReadOnlyDictionary<string, double>? metrics = null) => new()
        {
            TraceId = traceId,
            SpanId = spanId,
            ParentId = parentId,
            Name = name,
            Service = service,
            Resource = resource,
            Start = TraceStart + (long)(startMs * 1_000_000),
            Duration = (long)(durationMs * 1_000_000),
            Error = error,
            Meta = meta ?? new Dictionary<string, string>(),
            Metrics = metrics ?? new Dictionary<string, double>(),
        };

    public static DatadogTrace Trace(params DatadogSpan[] spans) => new(spans[0].TraceId, spans);
}
