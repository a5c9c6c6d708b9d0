// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using Datadog.Otel.Lambda.SpanPointers;

namespace Datadog.Otel.Lambda.Tests.SpanPointers;

/// <summary>The DynamoDB vectors of spec section 7, from JSON key maps and from the key model.</summary>
public class DynamoDbSpanPointerTests
{
    [Theory]
    [InlineData("some-table", """{"some-key": {"S": "some-value"}}""", "7f1aee721472bcb48701d45c7c7f7821")]
    [InlineData("some-table", """{"some-key": {"B": "c29tZS12YWx1ZQo="}}""", "cc789e5ea89c317ac58af92d7a1ba2c2")]
    [InlineData("some-table", """{"some-key": {"N": "123.456"}}""", "434a6dba3997ce4dbbadc98d87a0cc24")]
    [InlineData("some-table", """{"some-key": {"S": "some-value"}, "other-key": {"N": "123"}}""", "7aa1b80b0e49bd2078a5453399f4dd67")]
    [InlineData("some-table", """{"other-key": {"N": "123"}, "some-key": {"S": "some-value"}}""", "7aa1b80b0e49bd2078a5453399f4dd67")]
    [InlineData("OneKeyTable", """{"name": {"S": "test1"}}""", "27f424c8202ab35efbf8b0b444b1928f")]
    public void JsonVectors(string table, string keys, string expected)
    {
        Assert.True(DynamoDbSpanPointer.TryComputeHashFromJson(table, Encoding.UTF8.GetBytes(keys), out var hash));
        Assert.Equal(expected, hash);
    }

    [Fact]
    public void ModelVectors()
    {
        Assert.True(DynamoDbSpanPointer.TryComputeHash("some-table", [DynamoDbKeyValue.FromString("some-key", "some-value")], out var single));
        Assert.Equal("7f1aee721472bcb48701d45c7c7f7821", single);

        Assert.True(DynamoDbSpanPointer.TryComputeHash("some-table", [DynamoDbKeyValue.FromNumber("other-key", "123"), DynamoDbKeyValue.FromString("some-key", "some-value")], out var two));
        Assert.Equal("7aa1b80b0e49bd2078a5453399f4dd67", two);

        Assert.True(DynamoDbSpanPointer.TryComputeHash("some-table", [DynamoDbKeyValue.FromBinaryText("some-key", "c29tZS12YWx1ZQo=")], out var binaryText));
        Assert.Equal("cc789e5ea89c317ac58af92d7a1ba2c2", binaryText);

        // dd-trace's TwoKeyTable: raw bytes of a B key given as bytes (the SDK side).
        Assert.True(DynamoDbSpanPointer.TryComputeHash(
            "TwoKeyTable",
            [DynamoDbKeyValue.FromNumber("id", "1"), DynamoDbKeyValue.FromBinary("binary", Encoding.UTF8.GetBytes("Hello world 1"))],
            out var rawBinary));
        Assert.Equal("cc32f0e49ee05d3f2820ccc999bfe306", rawBinary);
    }

    [Fact]
    public void NumbersAreHashedAsWritten()
    {
        Assert.True(DynamoDbSpanPointer.TryComputeHash("t", [DynamoDbKeyValue.FromNumber("k", "1.0")], out var a));
        Assert.True(DynamoDbSpanPointer.TryComputeHash("t", [DynamoDbKeyValue.FromNumber("k", "1")], out var b));
        Assert.NotEqual(a, b);
        Assert.True(SpanPointerHash.TryCompute(["t", "k", "1.0", string.Empty, string.Empty], out var expected));
        Assert.Equal(expected, a);
    }

    [Theory]
    [InlineData("""{"a": {"S": "1"}, "b": {"S": "2"}, "c": {"S": "3"}}""")] // more than two keys
    [InlineData("""{"a": {"BOOL": true}}""")] // other type
    [InlineData("""{"a": {"NULL": true}}""")]
    [InlineData("""{"a": {"SS": ["x"]}}""")]
    [InlineData("""{"a": {"S": "x", "N": "1"}}""")] // two types at once
    [InlineData("""{"a": {"N": 1}}""")] // number not given as text
    [InlineData("""{"a": {}}""")]
    [InlineData("""{"a": "x"}""")]
    [InlineData("""{}""")]
    [InlineData("""[{"a": {"S": "x"}}]""")]
    [InlineData("""{"a": {"S": "x"}, "a": {"S": "y"}}""")] // duplicate key names
    [InlineData("""{"a": {"N": "١٢٣"}}""")] // a number that is not ASCII
    [InlineData("""{"": {"S": "x"}}""")] // empty key name
    public void NoPointerForUnsupportedKeys(string keys)
    {
        Assert.False(DynamoDbSpanPointer.TryComputeHashFromJson("t", Encoding.UTF8.GetBytes(keys), out var hash));
        Assert.Null(hash);
    }

    [Fact]
    public void MissingTableOrKeysGiveNoPointer()
    {
        Assert.False(DynamoDbSpanPointer.TryComputeHash(null, [DynamoDbKeyValue.FromString("k", "v")], out _));
        Assert.False(DynamoDbSpanPointer.TryComputeHash(string.Empty, [DynamoDbKeyValue.FromString("k", "v")], out _));
        Assert.False(DynamoDbSpanPointer.TryComputeHash("t", ReadOnlySpan<DynamoDbKeyValue>.Empty, out _));
        Assert.False(DynamoDbSpanPointer.TryComputeHashFromJson("t", ReadOnlySpan<byte>.Empty, out _));
        Assert.False(DynamoDbSpanPointer.TryComputeHashFromJson("t", "{\"a\": {\"S\": "u8, out _)); // cut short
        Assert.False(DynamoDbSpanPointer.TryComputeHashFromJson("t", [(byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'{', (byte)'"', (byte)'S', (byte)'"', (byte)':', (byte)'"', 0xC3, (byte)'"', (byte)'}', (byte)'}'], out _)); // not UTF-8
        Assert.False(DynamoDbSpanPointer.TryComputeHash("t", [default], out _));
    }

    [Fact]
    public void KeysSortInUtf8ByteOrderNotUtf16Order()
    {
        // U+FF5E (UTF-8 EF BD 9E) sorts before U+1F600 (F0 9F 98 80) in UTF-8, but after its surrogates in UTF-16.
        var fullwidth = "\uFF5E";
        var emoji = "\U0001F600";
        Assert.True(string.CompareOrdinal(fullwidth, emoji) > 0);
        Assert.True(DynamoDbSpanPointer.CompareUtf8(fullwidth, emoji) < 0);

        Assert.True(DynamoDbSpanPointer.TryComputeHash("t", [DynamoDbKeyValue.FromString(emoji, "2"), DynamoDbKeyValue.FromString(fullwidth, "1")], out var hash));
        Assert.True(SpanPointerHash.TryCompute(["t", fullwidth, "1", emoji, "2"], out var expected));
        Assert.Equal(expected, hash);
        Assert.Equal(0, DynamoDbSpanPointer.CompareUtf8("abc", "abc"));
        Assert.True(DynamoDbSpanPointer.CompareUtf8("ab", "abc") < 0);
    }

    [Theory]
    [InlineData("arn:aws:dynamodb:us-east-1:123456789012:table/Music/stream/2024-01-01T00:00:00.000", "Music")]
    [InlineData("arn:aws:dynamodb:us-east-1:123456789012:table/Music", "Music")]
    public void TableNameFromStreamArn(string arn, string expected)
    {
        Assert.True(DynamoDbSpanPointer.TryGetTableName(arn, out var table));
        Assert.Equal(expected, table);
    }

    [Theory]
    [InlineData("arn:aws:dynamodb:us-east-1:123456789012:table//stream/x")]
    [InlineData("arn:aws:sqs:us-east-1:123456789012:queue")]
    [InlineData("")]
    [InlineData(null)]
    public void NoTableNameFromOtherArns(string? arn)
    {
        Assert.False(DynamoDbSpanPointer.TryGetTableName(arn, out _));
    }
}
