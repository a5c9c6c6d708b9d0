// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda.Diagnostics;

namespace Datadog.Otel.Lambda.AwsSdk.SpanPointers;

/// <summary>
/// The primary key names of DynamoDB tables, from <c>DD_TRACE_DYNAMODB_TABLE_PRIMARY_KEYS</c> (or dd-trace-py's
/// <c>DD_BOTOCORE_DYNAMODB_TABLE_PRIMARY_KEYS</c>): <c>{"Orders": ["pk", "sk"], "Users": ["id"]}</c>. A PutItem request
/// carries the whole item, not its key, so its span pointer needs to know which attributes form the key. UpdateItem,
/// DeleteItem and the other writes name the key themselves and do not need this.
/// </summary>
internal sealed class DynamoDbPrimaryKeys
{
    public static readonly DynamoDbPrimaryKeys None = new(new Dictionary<string, string[]>(StringComparer.Ordinal));

    private readonly Dictionary<string, string[]> tables;

    private DynamoDbPrimaryKeys(Dictionary<string, string[]> tables)
    {
        this.tables = tables;
    }

    public int Count => this.tables.Count;

    public bool TryGet(string table, out string[] keyNames) => this.tables.TryGetValue(table, out keyNames!);

    /// <summary>
    /// Parses the JSON object; a table whose value is not an array of one or two distinct non-empty names is ignored with
    /// a diagnostic, and so is the whole value when it is not a JSON object.
    /// </summary>
    public static DynamoDbPrimaryKeys Parse(string variable, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return None;
        }

        var tables = new Dictionary<string, string[]>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(value);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                Diag.InvalidSetting(variable, value, "expected a JSON object of table names to arrays of key names");
                return None;
            }

            foreach (var table in document.RootElement.EnumerateObject())
            {
                if (TryReadNames(table.Value, out var names) && table.Name.Length > 0)
                {
                    tables[table.Name] = names;
                }
                else
                {
                    Diag.InvalidSetting(variable, table.Name, "a table needs an array of one or two distinct key names; this table is ignored");
                }
            }
        }
        catch (JsonException exception)
        {
            Diag.InvalidSetting(variable, value, $"not valid JSON ({Internal.ExceptionText.Message(exception, diagnostic: true)})");
            return None;
        }

        return tables.Count == 0 ? None : new DynamoDbPrimaryKeys(tables);
    }

    private static bool TryReadNames(JsonElement value, out string[] names)
    {
        names = [];
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() is not (1 or 2))
        {
            return false;
        }

        var list = new string[value.GetArrayLength()];
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString() is not { Length: > 0 } name)
            {
                return false;
            }

            list[index++] = name;
        }

        if (list.Length == 2 && list[0] == list[1])
        {
            return false;
        }

        names = list;
        return true;
    }
}
