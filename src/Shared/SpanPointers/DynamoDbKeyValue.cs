// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.SpanPointers;

/// <summary>The attribute types a DynamoDB key can have.</summary>
internal enum DynamoDbKeyType : byte
{
    /// <summary><c>S</c>: hashed as UTF-8.</summary>
    String,

    /// <summary><c>N</c>: hashed as the ASCII of the number exactly as written (no normalisation).</summary>
    Number,

    /// <summary><c>B</c>: hashed as raw bytes, or as the base64 text's bytes when only the text is known.</summary>
    Binary,
}

/// <summary>
/// One primary-key attribute of a DynamoDB item, as the span-pointer hash needs it. Built from an AWS SDK
/// <c>AttributeValue</c> by the producer, or from a stream record's <c>Keys</c> JSON by the consumer.
/// </summary>
internal readonly struct DynamoDbKeyValue
{
    private DynamoDbKeyValue(string name, DynamoDbKeyType type, string? text, ReadOnlyMemory<byte> bytes)
    {
        Name = name;
        Type = type;
        Text = text;
        Bytes = bytes;
    }

    public string Name { get; }

    public DynamoDbKeyType Type { get; }

    /// <summary>The value as text (<c>S</c>, <c>N</c>, or <c>B</c> given as base64 text); null for raw binary.</summary>
    public string? Text { get; }

    /// <summary>Raw bytes of a <c>B</c> value given as bytes.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    public static DynamoDbKeyValue FromString(string name, string value) => new(name, DynamoDbKeyType.String, value, default);

    public static DynamoDbKeyValue FromNumber(string name, string value) => new(name, DynamoDbKeyType.Number, value, default);

    /// <summary>
    /// A binary key known only as its base64 text (DynamoDB Streams events): the text's bytes are hashed, not the
    /// decoded bytes. This is what both Datadog libraries do, so it is what the other side of the pointer hashes.
    /// </summary>
    public static DynamoDbKeyValue FromBinaryText(string name, string base64Text) => new(name, DynamoDbKeyType.Binary, base64Text, default);

    /// <summary>A binary key known as raw bytes (an AWS SDK request's <c>AttributeValue.B</c>).</summary>
    public static DynamoDbKeyValue FromBinary(string name, ReadOnlyMemory<byte> value) => new(name, DynamoDbKeyType.Binary, null, value);
}
