// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0
//
// Stand-in for aws/aws-lambda-dotnet Libraries/src/Amazon.Lambda.Serialization.SystemTextJson/
// SourceGeneratorLambdaJsonSerializer.cs at 831492165a694825e0e762d68ec74f3e36b628c0 (3.0.0). The user's context is
// constructed with Lambda's options (its constructor taking JsonSerializerOptions), so the options' naming policy, not
// the context's [JsonSourceGenerationOptions], decides the names: PascalCase for members without [JsonPropertyName].
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Amazon.Lambda.Core;

namespace Amazon.Lambda.Serialization.SystemTextJson;

public class SourceGeneratorLambdaJsonSerializer<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TSGContext> : AbstractLambdaJsonSerializer, ILambdaSerializer
    where TSGContext : JsonSerializerContext
{
    private readonly TSGContext jsonSerializerContext;

    public SourceGeneratorLambdaJsonSerializer()
        : this(null, null)
    {
    }

    public SourceGeneratorLambdaJsonSerializer(Action<JsonSerializerOptions> customizer)
        : this(customizer, null)
    {
    }

    public SourceGeneratorLambdaJsonSerializer(Action<JsonSerializerOptions> customizer, Action<JsonWriterOptions> jsonWriterCustomizer)
        : base(jsonWriterCustomizer)
    {
        this.SerializerOptions = this.CreateDefaultJsonSerializationOptions();
        customizer?.Invoke(this.SerializerOptions);
        var constructor = typeof(TSGContext).GetConstructor([typeof(JsonSerializerOptions)])
            ?? throw new InvalidOperationException($"The serializer {typeof(TSGContext).FullName} is missing a constructor that takes in JsonSerializerOptions object");
        this.jsonSerializerContext = (TSGContext)constructor.Invoke([this.SerializerOptions]);
    }

    protected JsonSerializerOptions SerializerOptions { get; }

    protected override void InternalSerialize<T>(Utf8JsonWriter writer, T response) => JsonSerializer.Serialize(writer, response, this.TypeInfo<T>());

    protected override T InternalDeserialize<T>(byte[] utf8Json) => JsonSerializer.Deserialize(utf8Json, this.TypeInfo<T>());

    private JsonTypeInfo<T> TypeInfo<T>() =>
        this.jsonSerializerContext.GetTypeInfo(typeof(T)) as JsonTypeInfo<T>
            ?? throw new JsonSerializerException($"No JsonTypeInfo registered in {this.jsonSerializerContext.GetType().FullName} for type {typeof(T).FullName}.");
}
