// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.ExtensionEmulator.Otlp.Model;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Mapping;

/// <summary>The whole OTLP-to-Datadog path of one request: conversion into chunks, then the trace processor.</summary>
internal sealed class DatadogTraceMapper
{
    private readonly TraceChunkProcessor chunkProcessor;

    public DatadogTraceMapper(ExtensionEmulatorOptions options)
    {
        chunkProcessor = new TraceChunkProcessor(ExtensionSpanTags.From(options), options.TimeProvider);
    }

    /// <summary>
    /// Maps a request. Returns null when the conversion produced no span at all, which the extension answers
    /// with a 500; spans the trace processor filters out afterwards do not count (that request still gets a 200).
    /// </summary>
    /// <exception cref="Otlp.OtlpDecodeException">A span the extension cannot convert (a trace id shorter than 16 bytes).</exception>
    public List<DatadogSpan>? Map(OtlpExportRequest request)
    {
        var chunks = OtlpRequestConverter.ToChunks(request);
        if (chunks.All(c => c.Count == 0))
        {
            return null;
        }

        return chunks.SelectMany(chunkProcessor.Process).Select(span => span.Freeze()).ToList();
    }
}
