// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;

namespace Datadog.Otel.Lambda.AwsSdk.Pipeline;

/// <summary>Reads one top-level string member of a marshalled JSON body without building a document.</summary>
internal static class TopLevelJson
{
    public static string? GetString(byte[]? content, ReadOnlySpan<byte> name)
    {
        if (content is not { Length: > 1 } || content[0] != (byte)'{')
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(content);
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var match = reader.ValueTextEquals(name);
                reader.Read();
                if (match)
                {
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not JSON after all (a protocol this reader does not know): no tag.
        }

        return null;
    }
}
