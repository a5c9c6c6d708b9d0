// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.ExtensionEmulator.Mapping;

/// <summary>
/// What the extension's trace processor does to each chunk after the OTLP conversion (libdatadog's
/// <c>collect_pb_trace_chunks</c> and bottlecap's <c>ChunkProcessor</c>): normalise, mark top-level spans,
/// drop Lambda-library noise, add the extension's tags.
/// </summary>
/// <remarks>
/// Not emulated: obfuscation (SQL/Redis resources, credit cards, URL query strings), <c>DD_APM_FILTER_TAGS_*</c>,
/// span pointers, App and API Protection, <c>DD_LAMBDA_EXTENSION_COMPUTE_STATS</c> and the
/// <c>Datadog-Client-Computed-Stats</c> request header (the default, backend-computed stats, is what is emulated).
/// <c>_dd.base_service</c> on inferred spans only when the function is emulated (see <see cref="ExtensionSpanTags"/>).
/// </remarks>
internal sealed class TraceChunkProcessor
{
    private readonly ExtensionSpanTags tags;
    private readonly TimeProvider timeProvider;

    public TraceChunkProcessor(ExtensionSpanTags tags, TimeProvider timeProvider)
    {
        this.tags = tags;
        this.timeProvider = timeProvider;
    }

    /// <summary>Processes one chunk in the extension's order and returns the spans that are forwarded.</summary>
    public List<MappedSpan> Process(List<MappedSpan> chunk)
    {
        NormalizeSpans(chunk);
        MarkTopLevelSpans(chunk);
        var kept = chunk.Where(span => !LambdaLibrarySpanFilter.ShouldDrop(span)).ToList();
        foreach (var span in kept)
        {
            ApplyExtensionTags(span);
        }

        return kept;
    }

    /// <summary>
    /// libdatadog's <c>normalize_trace</c>. A span with a zero trace or span id fails normalisation, and (quirk)
    /// the spans after it in the chunk are then left un-normalised; the chunk is still forwarded.
    /// </summary>
    private void NormalizeSpans(List<MappedSpan> chunk)
    {
        var now = (timeProvider.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
        foreach (var span in chunk)
        {
            if (span.TraceId == 0 || span.SpanId == 0)
            {
                return;
            }

            NormalizeSpan(span, now);
        }
    }

    /// <summary>
    /// Service and operation name normalised, an empty resource replaced by the operation name, parent id
    /// cleared when it equals both the trace id and span id (Zipkin-style roots), start and duration
    /// sanitised, type cut to 100 bytes, meta <c>env</c> tag-normalised, an invalid meta <c>http.status_code</c> removed.
    /// </summary>
    private static void NormalizeSpan(MappedSpan span, long nowUnixNano)
    {
        span.Service = DatadogNormalizer.NormalizeService(span.Service);
        span.Name = DatadogNormalizer.NormalizeName(span.Name);
        if (span.Resource.Length == 0)
        {
            span.Resource = span.Name;
        }

        if (span.ParentId == span.TraceId && span.ParentId == span.SpanId)
        {
            span.ParentId = 0;
        }

        (span.Start, span.Duration) = DatadogNormalizer.NormalizeStartAndDuration(span.Start, span.Duration, nowUnixNano);
        span.Type = DatadogNormalizer.TruncateUtf8(span.Type, DatadogNormalizer.MaxTypeLength);
        if (span.Meta.TryGetValue("env", out var env))
        {
            span.Meta["env"] = DatadogNormalizer.NormalizeTag(env);
        }

        if (span.Meta.TryGetValue("http.status_code", out var status) && !DatadogNormalizer.IsValidHttpStatusCode(status))
        {
            span.Meta.Remove("http.status_code");
        }
    }

    /// <summary>
    /// Metric <c>_top_level=1</c> on spans with parent 0, a parent outside the chunk, or a parent of another
    /// service (computed by libdatadog because OTLP clients send no <c>Datadog-Client-Computed-Top-Level</c>).
    /// </summary>
    private static void MarkTopLevelSpans(List<MappedSpan> chunk)
    {
        var serviceBySpanId = new Dictionary<ulong, string>();
        foreach (var span in chunk)
        {
            serviceBySpanId[span.SpanId] = span.Service;
        }

        foreach (var span in chunk)
        {
            var topLevel = span.ParentId == 0
                || !serviceBySpanId.TryGetValue(span.ParentId, out var parentService)
                || parentService != span.Service;
            if (topLevel)
            {
                span.Metrics["_top_level"] = 1;
            }
        }
    }

    /// <summary>
    /// A span whose service is literally <c>aws.lambda</c> gets the <c>DD_SERVICE</c> tag instead; an inferred span
    /// (meta <c>_inferred_span.tag_source</c>) without <c>_dd.base_service</c> gets the function's service there; then
    /// every extension tag overwrites meta, <c>_dd.compute_stats=1</c> asks the backend to compute stats, and
    /// <c>origin</c>/<c>_dd.origin</c> are <c>lambda</c>.
    /// </summary>
    private void ApplyExtensionTags(MappedSpan span)
    {
        if (span.Service == "aws.lambda" && tags.Service is { } service)
        {
            span.Service = service;
        }

        // Before the extension tags, as in the extension: a _dd.base_service in DD_TAGS overwrites this one.
        if (tags.BaseService is { } baseService
            && span.Meta.ContainsKey("_inferred_span.tag_source")
            && !span.Meta.ContainsKey("_dd.base_service"))
        {
            span.Meta["_dd.base_service"] = baseService;
        }

        foreach (var (key, value) in tags.Tags)
        {
            span.Meta[key] = value;
        }

        span.Meta["_dd.compute_stats"] = "1";
        span.Meta["origin"] = "lambda";
        span.Meta["_dd.origin"] = "lambda";
    }
}
