// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using Datadog.Otel.Lambda.ExtensionEmulator;
using Datadog.Otel.Lambda.ExtensionEmulator.Mapping;

namespace Datadog.Otel.Lambda.Differential.Tests.Reference;

/// <summary>
/// A <c>/v0.4/traces</c> payload as dd-trace sends it (an array of trace chunks, each an array of span maps), turned into
/// the spans the Datadog Lambda Extension forwards: each chunk goes through the same trace processor the extension
/// emulator applies to OTLP spans (normalisation, top-level marking, the extension's tags), so both sides of the
/// comparison are seen after the extension, as Datadog sees them.
/// </summary>
internal static class AgentTracePayload
{
    public static List<List<DatadogSpan>> Read(ReadOnlySpan<byte> body, ExtensionEmulatorOptions extension)
    {
        if (MessagePackReader.Decode(body) is not List<object?> chunks)
        {
            throw new FormatException("a /v0.4/traces payload must be an array of traces");
        }

        var processor = new TraceChunkProcessor(ExtensionSpanTags.From(extension), TimeProvider.System);
        var result = new List<List<DatadogSpan>>(chunks.Count);
        foreach (var chunk in chunks)
        {
            if (chunk is not List<object?> spans)
            {
                throw new FormatException("a trace must be an array of spans");
            }

            var mapped = spans.Select(ToMappedSpan).ToList();
            ApplyTraceIdHigh(mapped);
            result.Add(processor.Process(mapped).Select(s => s.Freeze()).ToList());
        }

        return result;
    }

    private static MappedSpan ToMappedSpan(object? value)
    {
        if (value is not Dictionary<string, object?> map)
        {
            throw new FormatException("a span must be a map");
        }

        var span = new MappedSpan
        {
            TraceId = UInt64(map, "trace_id"),
            SpanId = UInt64(map, "span_id"),
            ParentId = UInt64(map, "parent_id"),
            Name = Text(map, "name"),
            Service = Text(map, "service"),
            Resource = Text(map, "resource"),
            Type = Text(map, "type"),
            Start = Int64(map, "start"),
            Duration = Int64(map, "duration"),
            Error = (int)Int64(map, "error"),
        };
        if (map.TryGetValue("meta", out var meta) && meta is Dictionary<string, object?> metaMap)
        {
            foreach (var (key, item) in metaMap)
            {
                span.Meta[key] = item as string ?? Convert.ToString(item, CultureInfo.InvariantCulture) ?? string.Empty;
            }
        }

        if (map.TryGetValue("metrics", out var metrics) && metrics is Dictionary<string, object?> metricsMap)
        {
            foreach (var (key, item) in metricsMap)
            {
                span.Metrics[key] = item switch
                {
                    double d => d,
                    long l => l,
                    ulong u => u,
                    _ => throw new FormatException($"metric {key} is not a number"),
                };
            }
        }

        return span;
    }

    /// <summary>dd-trace writes the upper 64 bits of a 128-bit trace id as 16 hex digits in meta <c>_dd.p.tid</c> (on one span of the chunk).</summary>
    private static void ApplyTraceIdHigh(List<MappedSpan> chunk)
    {
        ulong high = 0;
        foreach (var span in chunk)
        {
            if (span.Meta.TryGetValue("_dd.p.tid", out var tid) && ulong.TryParse(tid, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var parsed))
            {
                high = parsed;
                break;
            }
        }

        foreach (var span in chunk)
        {
            span.TraceIdHigh = high;
            span.TraceIdHex = string.Create(CultureInfo.InvariantCulture, $"{high:x16}{span.TraceId:x16}");
        }
    }

    private static ulong UInt64(Dictionary<string, object?> map, string key) => map.TryGetValue(key, out var value) ? value switch
    {
        long l => unchecked((ulong)l),
        ulong u => u,
        null => 0,
        _ => throw new FormatException($"{key} is not an integer"),
    } : 0;

    private static long Int64(Dictionary<string, object?> map, string key) => map.TryGetValue(key, out var value) ? value switch
    {
        long l => l,
        ulong u => unchecked((long)u),
        double d => (long)d,
        null => 0,
        _ => throw new FormatException($"{key} is not a number"),
    } : 0;

    private static string Text(Dictionary<string, object?> map, string key) => map.TryGetValue(key, out var value) && value is string s ? s : string.Empty;
}
