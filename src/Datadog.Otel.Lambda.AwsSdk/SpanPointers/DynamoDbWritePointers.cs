// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda.SpanPointers;

namespace Datadog.Otel.Lambda.AwsSdk.SpanPointers;

/// <summary>
/// The item hashes of a successful DynamoDB write, from its marshalled JSON request: <c>UpdateItem</c>/<c>DeleteItem</c>
/// (<c>Key</c>), <c>PutItem</c> (<c>Item</c>, with the table's key names from the settings), <c>BatchWriteItem</c>
/// (every <c>PutRequest</c> and <c>DeleteRequest</c>) and <c>TransactWriteItems</c> (<c>Put</c>, <c>Update</c>,
/// <c>Delete</c>; <c>ConditionCheck</c> writes nothing). Binary keys are hashed as their raw bytes, as the producers of
/// Datadog's libraries do. Items whose keys cannot be hashed are left out.
/// </summary>
internal static class DynamoDbWritePointers
{
    public static void Collect(string operation, byte[] body, DynamoDbPrimaryKeys primaryKeys, List<string> hashes)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        switch (operation)
        {
            case "PutItem" when Table(root) is { } table && root.TryGetProperty("Item"u8, out var item):
                AddItem(table, item, primaryKeys, hashes);
                break;
            case "UpdateItem" or "DeleteItem" when Table(root) is { } table && root.TryGetProperty("Key"u8, out var key):
                AddKey(table, key, null, hashes);
                break;
            case "BatchWriteItem" when root.TryGetProperty("RequestItems"u8, out var tables) && tables.ValueKind == JsonValueKind.Object:
                foreach (var table in tables.EnumerateObject())
                {
                    if (table.Value.ValueKind != JsonValueKind.Array)
                    {
                        continue;
                    }

                    foreach (var write in table.Value.EnumerateArray())
                    {
                        if (write.TryGetProperty("PutRequest"u8, out var put) && put.TryGetProperty("Item"u8, out var putItem))
                        {
                            AddItem(table.Name, putItem, primaryKeys, hashes);
                        }
                        else if (write.TryGetProperty("DeleteRequest"u8, out var delete) && delete.TryGetProperty("Key"u8, out var deleteKey))
                        {
                            AddKey(table.Name, deleteKey, null, hashes);
                        }
                    }
                }

                break;
            case "TransactWriteItems" when root.TryGetProperty("TransactItems"u8, out var items) && items.ValueKind == JsonValueKind.Array:
                foreach (var write in items.EnumerateArray())
                {
                    if (write.TryGetProperty("Put"u8, out var put) && Table(put) is { } putTable && put.TryGetProperty("Item"u8, out var putItem))
                    {
                        AddItem(putTable, putItem, primaryKeys, hashes);
                    }
                    else if ((write.TryGetProperty("Update"u8, out var change) || write.TryGetProperty("Delete"u8, out change))
                        && Table(change) is { } changeTable && change.TryGetProperty("Key"u8, out var changeKey))
                    {
                        AddKey(changeTable, changeKey, null, hashes);
                    }
                }

                break;
        }
    }

    private static string? Table(JsonElement request) =>
        request.ValueKind == JsonValueKind.Object && request.TryGetProperty("TableName"u8, out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null;

    private static void AddItem(string table, JsonElement item, DynamoDbPrimaryKeys primaryKeys, List<string> hashes)
    {
        if (primaryKeys.TryGet(table, out var names))
        {
            AddKey(table, item, names, hashes);
        }
    }

    /// <summary>Hashes the 1–2 key attributes: all of <paramref name="map"/>, or the named ones of an item.</summary>
    private static void AddKey(string table, JsonElement map, string[]? names, List<string> hashes)
    {
        if (map.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        Span<DynamoDbKeyValue> keys = new DynamoDbKeyValue[2];
        var count = 0;
        if (names is null)
        {
            foreach (var attribute in map.EnumerateObject())
            {
                if (count == 2 || !TryRead(attribute.Name, attribute.Value, out keys[count]))
                {
                    return;
                }

                count++;
            }
        }
        else
        {
            foreach (var name in names)
            {
                if (!map.TryGetProperty(name, out var value) || !TryRead(name, value, out keys[count]))
                {
                    return;
                }

                count++;
            }
        }

        if (count > 0 && DynamoDbSpanPointer.TryComputeHash(table, keys[..count], out var hash))
        {
            hashes.Add(hash);
        }
    }

    private static bool TryRead(string name, JsonElement value, out DynamoDbKeyValue key)
    {
        key = default;
        if (value.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        if (value.TryGetProperty("S"u8, out var text) && text.ValueKind == JsonValueKind.String)
        {
            key = DynamoDbKeyValue.FromString(name, text.GetString()!);
            return true;
        }

        if (value.TryGetProperty("N"u8, out var number) && number.ValueKind == JsonValueKind.String)
        {
            key = DynamoDbKeyValue.FromNumber(name, number.GetString()!);
            return true;
        }

        if (value.TryGetProperty("B"u8, out var binary) && binary.ValueKind == JsonValueKind.String && binary.TryGetBytesFromBase64(out var bytes))
        {
            key = DynamoDbKeyValue.FromBinary(name, bytes);
            return true;
        }

        return false;
    }
}
