// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.ExtensionEmulator.Mapping;

/// <summary>OTLP span kinds as the extension reads them.</summary>
internal static class SpanKinds
{
    /// <summary>
    /// The kind the mapping rules see: a value outside the OTLP enum reads as <see cref="OtlpSpanKind.Unspecified"/>,
    /// as prost's generated <c>kind()</c> accessor returns the default for unknown values.
    /// </summary>
    public static OtlpSpanKind Effective(int rawKind) =>
        rawKind is >= 0 and <= (int)OtlpSpanKind.Consumer ? (OtlpSpanKind)rawKind : OtlpSpanKind.Unspecified;

    /// <summary>The lower-case kind name the extension writes into meta <c>span.type</c>.</summary>
    public static string LowerCaseName(OtlpSpanKind kind) => kind switch
    {
        OtlpSpanKind.Server => "server",
        OtlpSpanKind.Client => "client",
        OtlpSpanKind.Consumer => "consumer",
        OtlpSpanKind.Producer => "producer",
        OtlpSpanKind.Internal => "internal",
        _ => "unspecified",
    };

    /// <summary>The protobuf enum value name (<c>SPAN_KIND_INTERNAL</c>…), the last-resort operation name.</summary>
    public static string ProtoEnumName(OtlpSpanKind kind) => kind switch
    {
        OtlpSpanKind.Server => "SPAN_KIND_SERVER",
        OtlpSpanKind.Client => "SPAN_KIND_CLIENT",
        OtlpSpanKind.Producer => "SPAN_KIND_PRODUCER",
        OtlpSpanKind.Consumer => "SPAN_KIND_CONSUMER",
        OtlpSpanKind.Internal => "SPAN_KIND_INTERNAL",
        _ => "SPAN_KIND_UNSPECIFIED",
    };
}
