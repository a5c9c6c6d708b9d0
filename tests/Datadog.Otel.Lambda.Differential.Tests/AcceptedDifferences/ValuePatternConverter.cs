// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Datadog.Otel.Lambda.Differential.Tests.AcceptedDifferences;

/// <summary>Reads a value pattern from a JSON string, or JSON <c>null</c> for "absent" (an omitted property means "any value").</summary>
internal sealed class ValuePatternConverter : JsonConverter<ValuePattern>
{
    public override bool HandleNull => true;

    public override ValuePattern Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Null => new ValuePattern(null),
            JsonTokenType.String => new ValuePattern(reader.GetString()),
            _ => throw new JsonException("a value pattern is a string or null"),
        };

    public override void Write(Utf8JsonWriter writer, ValuePattern value, JsonSerializerOptions options) => writer.WriteStringValue(value.Text);
}
