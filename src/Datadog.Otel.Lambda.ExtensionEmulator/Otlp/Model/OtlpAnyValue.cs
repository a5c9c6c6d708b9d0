// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.ExtensionEmulator.Otlp.Model;

/// <summary>
/// An OTLP <c>AnyValue</c>. <see cref="OtlpAnyValueKind.None"/> is a present <c>AnyValue</c> message whose
/// <c>value</c> oneof is unset; the extension treats it as "no value".
/// </summary>
internal sealed class OtlpAnyValue
{
    public static readonly OtlpAnyValue Empty = new(OtlpAnyValueKind.None);

    private OtlpAnyValue(OtlpAnyValueKind kind) => Kind = kind;

    public OtlpAnyValueKind Kind { get; }

    public string StringValue { get; private init; } = string.Empty;

    public bool BoolValue { get; private init; }

    public long IntValue { get; private init; }

    public double DoubleValue { get; private init; }

    public byte[] BytesValue { get; private init; } = [];

    /// <summary>Gets the items of an array value (an item may itself be empty).</summary>
    public IReadOnlyList<OtlpAnyValue?> ArrayValues { get; private init; } = [];

    /// <summary>Gets the entries of a key/value list value.</summary>
    public IReadOnlyList<OtlpKeyValue> KeyValues { get; private init; } = [];

    public static OtlpAnyValue FromString(string value) => new(OtlpAnyValueKind.String) { StringValue = value };

    public static OtlpAnyValue FromBool(bool value) => new(OtlpAnyValueKind.Bool) { BoolValue = value };

    public static OtlpAnyValue FromInt(long value) => new(OtlpAnyValueKind.Int) { IntValue = value };

    public static OtlpAnyValue FromDouble(double value) => new(OtlpAnyValueKind.Double) { DoubleValue = value };

    public static OtlpAnyValue FromBytes(byte[] value) => new(OtlpAnyValueKind.Bytes) { BytesValue = value };

    public static OtlpAnyValue FromArray(IReadOnlyList<OtlpAnyValue?> values) => new(OtlpAnyValueKind.Array) { ArrayValues = values };

    public static OtlpAnyValue FromKeyValues(IReadOnlyList<OtlpKeyValue> values) => new(OtlpAnyValueKind.KeyValueList) { KeyValues = values };
}
