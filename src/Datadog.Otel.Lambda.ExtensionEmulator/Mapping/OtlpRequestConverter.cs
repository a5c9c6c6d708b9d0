// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers.Binary;
using Datadog.Otel.Lambda.ExtensionEmulator.Otlp;
using Datadog.Otel.Lambda.ExtensionEmulator.Otlp.Model;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Mapping;

/// <summary>Turns a decoded request into trace chunks, as the extension's <c>otel_resource_spans_to_dd_spans</c> does.</summary>
internal static class OtlpRequestConverter
{
    /// <summary>
    /// Within each <c>ResourceSpans</c>, spans are grouped by the lower 64 bits of their trace id, one chunk per
    /// group, in order of first appearance. A <c>ResourceSpans</c> without a resource, or a <c>ScopeSpans</c>
    /// without a scope, is skipped silently (the .NET exporter always sends both; dd-trace-dotnet's OTLP
    /// exporter omits the scope, so its spans would all be dropped).
    /// </summary>
    public static List<List<MappedSpan>> ToChunks(OtlpExportRequest request)
    {
        var chunks = new List<List<MappedSpan>>();
        foreach (var resourceSpans in request.ResourceSpans)
        {
            if (resourceSpans.Resource is not { } resource)
            {
                continue;
            }

            var byTraceId = new Dictionary<ulong, List<MappedSpan>>();
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                if (scopeSpans.Scope is not { } scope)
                {
                    continue;
                }

                foreach (var span in scopeSpans.Spans)
                {
                    RequireFullTraceId(span);
                    var lower = BinaryPrimitives.ReadUInt64BigEndian(span.TraceId.AsSpan(8, 8));
                    if (!byTraceId.TryGetValue(lower, out var chunk))
                    {
                        chunk = [];
                        byTraceId.Add(lower, chunk);
                        chunks.Add(chunk);
                    }

                    chunk.Add(OtlpSpanConverter.Convert(span, resource, scope));
                }
            }
        }

        return chunks;
    }

    /// <summary>
    /// The extension slices bytes 8..16 of the trace id without a length check and panics on a shorter id,
    /// which drops the connection with no HTTP response. The emulator answers 500 instead and says why.
    /// </summary>
    private static void RequireFullTraceId(OtlpSpan span)
    {
        if (span.TraceId.Length < 16)
        {
            throw new OtlpDecodeException(
                $"span '{span.Name}' has a {span.TraceId.Length}-byte trace_id; the extension needs 16 bytes and would crash the request (connection dropped, no response)");
        }
    }
}
