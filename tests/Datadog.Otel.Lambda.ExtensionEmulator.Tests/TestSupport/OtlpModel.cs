// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers.Binary;
using Datadog.Otel.Lambda.ExtensionEmulator.Mapping;
using Datadog.Otel.Lambda.ExtensionEmulator.Otlp.Model;
using Microsoft.Extensions.Time.Testing;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Tests.TestSupport;

/// <summary>Builds decoded OTLP requests for mapping tests and runs them through the emulator's mapping.</summary>
internal static class OtlpModel
{
    public const ulong DefaultStart = 1_700_000_000_000_000_000;
    public const string DefaultScope = "Test.Scope";
    public static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    public static OtlpKeyValue Attr(string key, object? value) => new(key, value is null ? null : Value(value));

    public static OtlpAnyValue Value(object value) => value switch
    {
        OtlpAnyValue v => v,
        string s => OtlpAnyValue.FromString(s),
        bool b => OtlpAnyValue.FromBool(b),
        int i => OtlpAnyValue.FromInt(i),
        long l => OtlpAnyValue.FromInt(l),
        double d => OtlpAnyValue.FromDouble(d),
        byte[] bytes => OtlpAnyValue.FromBytes(bytes),
        string[] items => OtlpAnyValue.FromArray(items.Select(i => (OtlpAnyValue?)OtlpAnyValue.FromString(i)).ToList()),
        OtlpKeyValue[] entries => OtlpAnyValue.FromKeyValues(entries),
        object[] items => OtlpAnyValue.FromArray(items.Select(i => (OtlpAnyValue?)Value(i)).ToList()),
        _ => throw new ArgumentException($"unsupported attribute value {value.GetType()}"),
    };

    public static byte[] TraceId(ulong high, ulong low)
    {
        var id = new byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(id, high);
        BinaryPrimitives.WriteUInt64BigEndian(id.AsSpan(8), low);
        return id;
    }

    public static byte[] SpanId(ulong id)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, id);
        return bytes;
    }

    public static OtlpSpan Span(
        string name = "span",
        OtlpSpanKind kind = OtlpSpanKind.Internal,
        ulong traceIdLow = 0x1111,
        ulong spanId = 0x2222,
        ulong parentId = 0,
        ulong traceIdHigh = 0,
        params OtlpKeyValue[] attributes)
    {
        var span = new OtlpSpan
        {
            Name = name,
            Kind = (int)kind,
            TraceId = TraceId(traceIdHigh, traceIdLow),
            SpanId = SpanId(spanId),
            ParentSpanId = parentId == 0 ? [] : SpanId(parentId),
            StartTimeUnixNano = DefaultStart,
            EndTimeUnixNano = DefaultStart + 1_500_000,
        };
        span.Attributes.AddRange(attributes);
        return span;
    }

    public static OtlpExportRequest Request(IEnumerable<OtlpKeyValue>? resource, string? scope, params OtlpSpan[] spans)
    {
        var resourceSpans = new OtlpResourceSpans { Resource = new OtlpResource() };
        resourceSpans.Resource.Attributes.AddRange(resource ?? [Attr("service.name", "test-service")]);
        var scopeSpans = new OtlpScopeSpans { Scope = scope is null ? null : new OtlpScope { Name = scope } };
        scopeSpans.Spans.AddRange(spans);
        resourceSpans.ScopeSpans.Add(scopeSpans);
        var request = new OtlpExportRequest();
        request.ResourceSpans.Add(resourceSpans);
        return request;
    }

    /// <summary>Maps a request as the emulator does, with a fixed clock.</summary>
    public static IReadOnlyList<DatadogSpan> Map(OtlpExportRequest request, ExtensionEmulatorOptions? options = null)
    {
        options ??= new ExtensionEmulatorOptions();
        options.TimeProvider = new FakeTimeProvider(Now);
        return new DatadogTraceMapper(options).Map(request) ?? [];
    }

    /// <summary>Maps one span with a default resource (<c>service.name=test-service</c>) and scope.</summary>
    public static DatadogSpan MapOne(OtlpSpan span, IEnumerable<OtlpKeyValue>? resource = null, string scope = DefaultScope, ExtensionEmulatorOptions? options = null) =>
        Assert.Single(Map(Request(resource, scope, span), options));
}
