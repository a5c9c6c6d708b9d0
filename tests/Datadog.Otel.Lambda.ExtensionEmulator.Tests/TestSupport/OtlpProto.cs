// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.ExtensionEmulator.Tests.TestSupport;

/// <summary>Writes OTLP trace messages with <see cref="ProtoWriter"/>, field numbers from opentelemetry-proto.</summary>
internal static class OtlpProto
{
    public static Action<ProtoWriter> StringAttribute(string key, string value) =>
        kv => kv.String(1, key).Message(2, v => v.String(1, value));

    /// <summary>A request with one resource (<c>service.name</c>), one scope and the given spans.</summary>
    public static byte[] Request(string service, string scope, bool padLengths, params Action<ProtoWriter>[] spans) =>
        new ProtoWriter { PadLengths = padLengths }
            .Message(1, rs => rs
                .Message(1, r => r.Message(1, StringAttribute("service.name", service)))
                .Message(2, ss =>
                {
                    ss.Message(1, s => s.String(1, scope).String(2, "1.0.0"));
                    foreach (var span in spans)
                    {
                        ss.Message(2, span);
                    }
                }))
            .ToArray();

    /// <summary>A minimal span: ids, name, kind, times.</summary>
    public static Action<ProtoWriter> Span(string name, byte[] traceId, byte[] spanId, byte[]? parentId = null, int kind = 1, Action<ProtoWriter>? more = null) =>
        s =>
        {
            s.Bytes(1, traceId).Bytes(2, spanId);
            if (parentId is not null)
            {
                s.Bytes(4, parentId);
            }

            s.String(5, name).Varint(6, (ulong)kind).Fixed64(7, OtlpModel.DefaultStart).Fixed64(8, OtlpModel.DefaultStart + 2_000_000);
            more?.Invoke(s);
        };
}
