// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using System.Text.Json;
using Datadog.Otel.Lambda.Events;
using Datadog.Otel.Lambda.Internal;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// JSON that an event holds in a string (an SQS body, a <c>_datadog</c> attribute) or in base64 (a binary attribute,
/// Kinesis data, an authorizer's context), decoded once into a buffer of the invocation and read from there with the
/// parser's default bounds (64 levels, <see cref="SafeJson.MaxTokens"/> tokens). Never throws.
/// </summary>
internal static class EmbeddedJson
{
    /// <summary>Embedded JSON larger than this (in characters) is not read (SQS and EventBridge payloads are at most 1 MB).</summary>
    public const int MaxObjectChars = 1 << 20;

    /// <summary>The text of the string member <paramref name="field"/>, unescaped, when it may be a JSON object of at most <paramref name="maxChars"/> characters.</summary>
    public static bool TryGetObjectText(TriggerContext context, in EventView view, int field, int maxChars, out ReadOnlyMemory<byte> json)
    {
        json = default;
        return view.IsString(field) && TryGetObjectText(context, view.RawMemory(field), view.IsEscaped(field), maxChars, out json);
    }

    /// <summary>
    /// As the other overload, for a JSON string value found some other way: <paramref name="raw"/> is its text between
    /// the quotes, <paramref name="escaped"/> whether it holds escapes.
    /// </summary>
    public static bool TryGetObjectText(TriggerContext context, ReadOnlyMemory<byte> raw, bool escaped, int maxChars, out ReadOnlyMemory<byte> json)
    {
        json = default;
        if (raw.Length > maxChars && Encoding.UTF8.GetCharCount(raw.Span) > maxChars)
        {
            return false;
        }

        if (!escaped)
        {
            json = raw;
        }
        else
        {
            var buffer = context.RentBuffer(raw.Length);
            json = buffer.AsMemory(0, JsonText.Unescape(raw.Span, buffer));
        }

        return StartsAnObject(json.Span);
    }

    /// <summary>The bytes the base64 string member <paramref name="field"/> encodes, when it has at most <paramref name="maxChars"/> characters.</summary>
    public static bool TryDecodeBase64(TriggerContext context, in EventView view, int field, int maxChars, out ReadOnlyMemory<byte> bytes)
    {
        bytes = default;
        if (!view.IsString(field))
        {
            return false;
        }

        var raw = view.Raw(field);
        if (view.IsEscaped(field) || !Ascii.IsValid(raw))
        {
            return TryDecodeBase64(context, view.String(field)!, maxChars, out bytes);
        }

        if (raw.Length > maxChars)
        {
            return false;
        }

        // Base64 is ASCII: its characters are its bytes.
        var chars = raw.Length <= 1024 ? stackalloc char[raw.Length] : new char[raw.Length];
        Encoding.ASCII.GetChars(raw, chars);
        var buffer = context.RentBuffer((raw.Length * 3 / 4) + 3);
        if (!Convert.TryFromBase64Chars(chars, buffer, out var length))
        {
            return false;
        }

        bytes = buffer.AsMemory(0, length);
        return true;
    }

    /// <summary>The bytes <paramref name="base64"/> encodes, when it has at most <paramref name="maxChars"/> characters.</summary>
    public static bool TryDecodeBase64(TriggerContext context, string base64, int maxChars, out ReadOnlyMemory<byte> bytes)
    {
        bytes = default;
        if (base64.Length > maxChars)
        {
            return false;
        }

        var buffer = context.RentBuffer((base64.Length * 3 / 4) + 3);
        if (!Convert.TryFromBase64String(base64, buffer, out var length))
        {
            return false;
        }

        bytes = buffer.AsMemory(0, length);
        return true;
    }

    /// <summary>
    /// A header map over decoded JSON that must be one object; null when it is not, has more than <paramref name="maxBytes"/>
    /// bytes, or is larger than one bounded parse.
    /// </summary>
    public static HeaderMap? ObjectMap(TriggerContext context, ReadOnlyMemory<byte> json, int maxBytes = int.MaxValue)
    {
        if (!StartsAnObject(json.Span) || json.Length > maxBytes || !FitsOneParse(json.Span))
        {
            return null;
        }

        return context.Map(json, EventReader.EmbeddedOptions);
    }

    /// <summary>Whether the text's first character after JSON whitespace is <c>{</c>.</summary>
    public static bool StartsAnObject(ReadOnlySpan<byte> json)
    {
        var at = json.IndexOfAnyExcept(" \t\r\n"u8);
        return at >= 0 && json[at] == (byte)'{';
    }

    /// <summary>Whether one bounded parse can read <paramref name="json"/> (<see cref="SafeJson.FitsOneParse"/>; false for invalid JSON).</summary>
    public static bool FitsOneParse(ReadOnlySpan<byte> json)
    {
        try
        {
            return SafeJson.FitsOneParse(json, default);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
