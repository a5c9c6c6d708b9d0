// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using System.Text.Json;

namespace Datadog.Otel.Lambda.Internal;

/// <summary>
/// Tolerant reads from event JSON: a missing member, a member of the wrong type, or a non-object parent all read as
/// "absent" instead of throwing, so malformed events degrade to less trace data, never to an exception.
/// </summary>
internal static class EventJson
{
    public static bool TryGet(this JsonElement element, string name, out JsonElement value)
    {
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out value))
        {
            return true;
        }

        value = default;
        return false;
    }

    public static bool TryGetObject(this JsonElement element, string name, out JsonElement value) =>
        element.TryGet(name, out value) && value.ValueKind == JsonValueKind.Object;

    public static bool TryGetArray(this JsonElement element, string name, out JsonElement value) =>
        element.TryGet(name, out value) && value.ValueKind == JsonValueKind.Array;

    public static bool Has(this JsonElement element, string name) => element.TryGet(name, out _);

    /// <summary>True when the member exists and is not null, false, an empty string, or an empty object/array (Python's truthiness).</summary>
    public static bool IsTruthy(this JsonElement element, string name)
    {
        if (!element.TryGet(name, out var value))
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!.Length > 0,
            JsonValueKind.Object => value.EnumerateObject().MoveNext(),
            JsonValueKind.Array => value.GetArrayLength() > 0,
            JsonValueKind.Number or JsonValueKind.True => true,
            _ => false,
        };
    }

    public static string? GetString(this JsonElement element, string name) =>
        element.TryGet(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static bool StringEquals(this JsonElement element, string name, string expected) =>
        element.TryGet(name, out var value) && value.ValueKind == JsonValueKind.String && value.ValueEquals(expected);

    /// <summary>The first element of an array member, when it is an object.</summary>
    public static bool TryGetFirstRecord(this JsonElement element, string name, out JsonElement record)
    {
        if (element.TryGetArray(name, out var array) && array.GetArrayLength() > 0)
        {
            record = array[0];
            return record.ValueKind == JsonValueKind.Object;
        }

        record = default;
        return false;
    }

    /// <summary>A number, or a string holding one (AWS sends some timestamps as strings).</summary>
    public static bool TryGetDouble(this JsonElement element, string name, out double value)
    {
        value = 0;
        if (!element.TryGet(name, out var member))
        {
            return false;
        }

        return member.ValueKind switch
        {
            JsonValueKind.Number => member.TryGetDouble(out value),
            JsonValueKind.String => double.TryParse(member.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value),
            _ => false,
        };
    }

    /// <summary>A scalar as text: strings as they are, numbers and booleans in their JSON form.</summary>
    public static string? GetScalarText(this JsonElement element, string name)
    {
        if (!element.TryGet(name, out var member))
        {
            return null;
        }

        return member.ValueKind switch
        {
            JsonValueKind.String => member.GetString(),
            JsonValueKind.Number => member.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
    }
}
