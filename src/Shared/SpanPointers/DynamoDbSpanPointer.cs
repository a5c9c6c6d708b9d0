// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;

namespace Datadog.Otel.Lambda.SpanPointers;

/// <summary>
/// Span-pointer hash of a DynamoDB item: table | key1 name | key1 value | key2 name | key2 value, the keys sorted by
/// name in UTF-8 byte order; a table with a partition key only uses empty key2 name and value (<c>table|k|v||</c>).
/// More than two keys, a key type other than S/N/B, or a missing part gives no pointer.
/// </summary>
internal static class DynamoDbSpanPointer
{
    private const string TableMarker = ":table/";

    /// <summary>Hash from one or two key attributes in any order.</summary>
    public static bool TryComputeHash(string? tableName, ReadOnlySpan<DynamoDbKeyValue> keys, [NotNullWhen(true)] out string? hash)
    {
        hash = null;
        return keys.Length is 1 or 2 && TryComputeHash(tableName, keys[0], keys.Length == 2 ? keys[1] : null, out hash);
    }

    /// <summary>
    /// Hash from a DynamoDB JSON key map, as in a stream record's <c>dynamodb.Keys</c>:
    /// <c>{"id":{"N":"1"},"name":{"S":"x"}}</c>. Each value must be an object with exactly one of <c>S</c>,
    /// <c>N</c>, <c>B</c> holding a string (<c>B</c> is base64 text and hashed as text). Malformed JSON gives no pointer.
    /// </summary>
    public static bool TryComputeHashFromJson(string? tableName, ReadOnlySpan<byte> keys, [NotNullWhen(true)] out string? hash)
    {
        hash = null;
        DynamoDbKeyValue first = default;
        DynamoDbKeyValue? second = null;
        var count = 0;
        try
        {
            var reader = new Utf8JsonReader(keys, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                if (count == 2 || !TryReadAttribute(ref reader, name, out var key))
                {
                    return false;
                }

                if (count++ == 0)
                {
                    first = key;
                }
                else
                {
                    second = key;
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return false; // not JSON, or text that is not UTF-8
        }

        return count > 0 && TryComputeHash(tableName, first, second, out hash);
    }

    private static bool TryComputeHash(string? tableName, DynamoDbKeyValue first, DynamoDbKeyValue? second, [NotNullWhen(true)] out string? hash)
    {
        hash = null;
        if (string.IsNullOrEmpty(tableName) || !IsUsable(first) || (second is { } s && !IsUsable(s)))
        {
            return false;
        }

        if (second is { } other)
        {
            var order = CompareUtf8(first.Name, other.Name);
            if (order == 0)
            {
                return false; // the same attribute twice is not a primary key
            }

            if (order > 0)
            {
                (first, second) = (other, first);
            }
        }

        var builder = new SpanPointerHash.Builder(stackalloc byte[SpanPointerHash.Builder.StackBytes]);
        try
        {
            builder.Add(tableName);
            AddKey(ref builder, first);
            if (second is { } sorted)
            {
                AddKey(ref builder, sorted);
            }
            else
            {
                builder.Add(ReadOnlySpan<byte>.Empty);
                builder.Add(ReadOnlySpan<byte>.Empty);
            }

            if (!builder.TryFinish(out var computed))
            {
                return false;
            }

            hash = computed;
            return true;
        }
        finally
        {
            builder.Dispose();
        }
    }

    /// <summary>
    /// The table name in a DynamoDB Streams ARN: <c>arn:aws:dynamodb:{region}:{account}:table/{name}/stream/{label}</c>.
    /// </summary>
    public static bool TryGetTableName(string? streamArn, [NotNullWhen(true)] out string? tableName)
    {
        tableName = null;
        if (string.IsNullOrEmpty(streamArn))
        {
            return false;
        }

        var start = streamArn.IndexOf(TableMarker, StringComparison.Ordinal);
        if (start < 0)
        {
            return false;
        }

        start += TableMarker.Length;
        var end = streamArn.IndexOf('/', start);
        var length = (end < 0 ? streamArn.Length : end) - start;
        if (length <= 0)
        {
            return false;
        }

        tableName = streamArn.Substring(start, length);
        return true;
    }

    // One attribute's value: an object with exactly one type member holding text. Anything else (a map, a list, a
    // number given as a JSON number, two types) is not a key this hash can describe.
    private static bool TryReadAttribute(ref Utf8JsonReader reader, string name, out DynamoDbKeyValue value)
    {
        value = default;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        string? typeName = null;
        string? text = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (typeName is not null)
            {
                return false; // more than one type
            }

            typeName = reader.GetString();
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                return false; // a value that is not text
            }

            text = reader.GetString();
        }

        if (text is null)
        {
            return false;
        }

        switch (typeName)
        {
            case "S":
                value = DynamoDbKeyValue.FromString(name, text);
                return true;
            case "N":
                value = DynamoDbKeyValue.FromNumber(name, text);
                return true;
            case "B":
                value = DynamoDbKeyValue.FromBinaryText(name, text);
                return true;
            default:
                return false;
        }
    }

    private static bool IsUsable(DynamoDbKeyValue key)
    {
        if (string.IsNullOrEmpty(key.Name))
        {
            return false;
        }

        return key.Type switch
        {
            DynamoDbKeyType.String => key.Text is not null,
            DynamoDbKeyType.Number => key.Text is not null && Ascii.IsValid(key.Text),
            DynamoDbKeyType.Binary => true,
            _ => false,
        };
    }

    private static void AddKey(ref SpanPointerHash.Builder builder, DynamoDbKeyValue key)
    {
        builder.Add(key.Name);
        if (key.Text is not null)
        {
            builder.Add(key.Text);
        }
        else
        {
            builder.Add(key.Bytes.Span);
        }
    }

    /// <summary>
    /// Orders names as their UTF-8 bytes would sort (dd-trace-py's order), which is code-point order. Ordinal UTF-16
    /// comparison differs for characters above U+FFFF versus U+E000–U+FFFF, so compare scalar values instead.
    /// </summary>
    internal static int CompareUtf8(string left, string right)
    {
        var l = left.EnumerateRunes();
        var r = right.EnumerateRunes();
        while (true)
        {
            var hasLeft = l.MoveNext();
            var hasRight = r.MoveNext();
            if (!hasLeft || !hasRight)
            {
                return hasLeft ? 1 : hasRight ? -1 : 0;
            }

            var order = l.Current.Value.CompareTo(r.Current.Value);
            if (order != 0)
            {
                return order;
            }
        }
    }
}
