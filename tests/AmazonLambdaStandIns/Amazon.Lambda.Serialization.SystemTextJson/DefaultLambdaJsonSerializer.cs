// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0
//
// Stand-in for aws/aws-lambda-dotnet Libraries/src/Amazon.Lambda.Serialization.SystemTextJson/{DefaultLambdaJsonSerializer,
// CamelCaseLambdaJsonSerializer}.cs at 831492165a694825e0e762d68ec74f3e36b628c0 (3.0.0): reflection-based, not trimmable.
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Amazon.Lambda.Core;

namespace Amazon.Lambda.Serialization.SystemTextJson;

[RequiresUnreferencedCode("DefaultLambdaJsonSerializer does not support trimming. For trimmed Lambda functions SourceGeneratorLambdaJsonSerializer passing in JsonSerializerContext should be used instead.")]
public class DefaultLambdaJsonSerializer : AbstractLambdaJsonSerializer, ILambdaSerializer
{
    public DefaultLambdaJsonSerializer()
        : this(null, null)
    {
    }

    public DefaultLambdaJsonSerializer(Action<JsonSerializerOptions> customizer)
        : this(customizer, null)
    {
    }

    public DefaultLambdaJsonSerializer(Action<JsonSerializerOptions> customizer, Action<JsonWriterOptions> jsonWriterCustomizer)
        : base(jsonWriterCustomizer)
    {
        this.SerializerOptions = this.CreateDefaultJsonSerializationOptions();
        customizer?.Invoke(this.SerializerOptions);
    }

    protected JsonSerializerOptions SerializerOptions { get; }

    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "The class itself requires unreferenced code, as the real one.")]
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The class itself requires unreferenced code, as the real one.")]
    protected override void InternalSerialize<T>(Utf8JsonWriter writer, T response) => JsonSerializer.Serialize(writer, response, this.SerializerOptions);

    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "The class itself requires unreferenced code, as the real one.")]
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The class itself requires unreferenced code, as the real one.")]
    protected override T InternalDeserialize<T>(byte[] utf8Json) => JsonSerializer.Deserialize<T>(utf8Json, this.SerializerOptions);
}

[RequiresUnreferencedCode("CamelCaseLambdaJsonSerializer does not support trimming. For trimmed Lambda functions SourceGeneratorLambdaJsonSerializer passing in JsonSerializerContext should be used instead.")]
public class CamelCaseLambdaJsonSerializer : DefaultLambdaJsonSerializer
{
    public CamelCaseLambdaJsonSerializer()
        : base(static options => options.PropertyNamingPolicy = new AwsNamingPolicy(JsonNamingPolicy.CamelCase))
    {
    }
}
