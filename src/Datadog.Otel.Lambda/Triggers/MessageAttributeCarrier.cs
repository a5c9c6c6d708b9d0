// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Diagnostics;
using Datadog.Otel.Lambda.Events;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// The <c>_datadog</c> message attribute — a JSON map of trace headers — in the two spellings AWS delivers: SQS records
/// (<c>dataType</c>, <c>stringValue</c> / base64 <c>binaryValue</c>) and SNS messages (<c>Type</c>, <c>Value</c>: JSON text
/// for <c>String</c>, base64 for <c>Binary</c>). Other data types (Number) are ignored. Declared at a path of a schema
/// (a record's, or an envelope's), decoded into the invocation's buffers without a string in between.
/// </summary>
internal sealed class MessageAttributeCarrier
{
    /// <summary>Attributes are at most 256 KB; a larger one is not decoded.</summary>
    private const int MaxEncodedLength = 1 << 20;

    private readonly int attribute;
    private readonly int dataType;
    private readonly int type;
    private readonly int upperDataType;
    private readonly int stringValue;
    private readonly int value;
    private readonly int upperStringValue;
    private readonly int binaryValue;
    private readonly int upperBinaryValue;

    /// <param name="schema">The schema the attribute is read with.</param>
    /// <param name="path">The path of the <c>_datadog</c> attribute object.</param>
    public MessageAttributeCarrier(EventSchema schema, params string[] path)
    {
        this.attribute = schema.Field(path);
        this.dataType = schema.Field([.. path, "dataType"]);
        this.type = schema.Field([.. path, "Type"]);
        this.upperDataType = schema.Field([.. path, "DataType"]);
        this.stringValue = schema.Field([.. path, "stringValue"]);
        this.value = schema.Field([.. path, "Value"]);
        this.upperStringValue = schema.Field([.. path, "StringValue"]);
        this.binaryValue = schema.Field([.. path, "binaryValue"]);
        this.upperBinaryValue = schema.Field([.. path, "BinaryValue"]);
    }

    /// <summary>The attribute's header map; null when there is no attribute or it cannot be read (with a diagnostic saying why).</summary>
    public HeaderMap? TryDecode(TriggerContext context, in EventView view)
    {
        if (!view.IsObject(this.attribute))
        {
            return null;
        }

        var typeField = First(view, this.dataType, this.type, this.upperDataType);
        if (typeField < 0 || StartsWith(view, typeField, "String"u8))
        {
            var text = First(view, this.stringValue, this.value, this.upperStringValue);
            if (text < 0)
            {
                return null;
            }

            var map = EmbeddedJson.TryGetObjectText(context, view, text, MaxEncodedLength, out var json) ? EmbeddedJson.ObjectMap(context, json) : null;
            if (map is null)
            {
                Diag.ExtractionSkipped("_datadog attribute", "not a JSON object");
            }

            return map;
        }

        if (StartsWith(view, typeField, "Binary"u8))
        {
            var base64 = First(view, this.binaryValue, this.value, this.upperBinaryValue);
            if (base64 < 0)
            {
                return null;
            }

            if (view.Raw(base64).Length > MaxEncodedLength && (view.String(base64)?.Length ?? 0) > MaxEncodedLength)
            {
                Diag.ExtractionSkipped("_datadog attribute", "too large");
                return null;
            }

            if (!EmbeddedJson.TryDecodeBase64(context, view, base64, MaxEncodedLength, out var bytes))
            {
                Diag.ExtractionSkipped("_datadog attribute", "not valid base64");
                return null;
            }

            var map = EmbeddedJson.ObjectMap(context, bytes, EmbeddedJson.MaxObjectChars);
            if (map is null)
            {
                Diag.ExtractionSkipped("_datadog attribute", "not a JSON object");
            }

            return map;
        }

        Diag.ExtractionSkipped("_datadog attribute", "its data type is not String or Binary");
        return null;
    }

    /// <summary>The first of the fields that holds a string; -1 when none does.</summary>
    private static int First(in EventView view, int a, int b, int c) =>
        view.IsString(a) ? a : view.IsString(b) ? b : view.IsString(c) ? c : -1;

    private static bool StartsWith(in EventView view, int field, ReadOnlySpan<byte> prefix)
    {
        if (!view.IsEscaped(field))
        {
            return view.Raw(field).StartsWith(prefix);
        }

        return view.String(field)!.StartsWith(System.Text.Encoding.UTF8.GetString(prefix), StringComparison.Ordinal);
    }
}
