// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json.Serialization;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.Core;
using Amazon.Lambda.Serialization.SystemTextJson;

namespace Datadog.Otel.Lambda.AspNetCoreServer.Tests.TestSupport;

/// <summary>
/// The serializers a class-based function may run with (its [LambdaSerializer]): the managed runtime deserializes the
/// event with it before FunctionHandlerAsync runs. DefaultLambdaJsonSerializer (the base class's attribute) and
/// SourceGeneratorLambdaJsonSerializer (Native AOT) read and write the request types' names in PascalCase,
/// CamelCaseLambdaJsonSerializer in camelCase.
/// </summary>
internal static class FunctionSerializers
{
    public const string Default = nameof(DefaultLambdaJsonSerializer);
    public const string CamelCase = nameof(CamelCaseLambdaJsonSerializer);
    public const string SourceGenerated = "SourceGeneratorLambdaJsonSerializer";

    public static TheoryData<string> All => [Default, CamelCase, SourceGenerated];

    /// <summary>The runtime's part: the event as the function's serializer gives it to FunctionHandlerAsync.</summary>
    public static T Deserialize<T>(string serializer, Stream @event) => Create(serializer).Deserialize<T>(@event);

    public static ILambdaSerializer Create(string serializer) => serializer switch
    {
        Default => new DefaultLambdaJsonSerializer(),
        CamelCase => new CamelCaseLambdaJsonSerializer(),
        SourceGenerated => new SourceGeneratedSerializers(),
        _ => throw new ArgumentOutOfRangeException(nameof(serializer), serializer, null),
    };

    /// <summary>A function's source-generated serializer, as AWS's Native AOT template writes it: one context per event family.</summary>
    private sealed class SourceGeneratedSerializers : ILambdaSerializer
    {
        private readonly SourceGeneratorLambdaJsonSerializer<RestApiFunctionJson> rest = new();
        private readonly SourceGeneratorLambdaJsonSerializer<HttpApiFunctionJson> http = new();

        public T Deserialize<T>(Stream requestStream) =>
            typeof(T) == typeof(APIGatewayHttpApiV2ProxyRequest) ? this.http.Deserialize<T>(requestStream) : this.rest.Deserialize<T>(requestStream);

        public void Serialize<T>(T response, Stream responseStream)
        {
            if (typeof(T) == typeof(APIGatewayHttpApiV2ProxyResponse))
            {
                this.http.Serialize(response, responseStream);
            }
            else
            {
                this.rest.Serialize(response, responseStream);
            }
        }
    }
}

[JsonSerializable(typeof(APIGatewayProxyRequest))]
[JsonSerializable(typeof(APIGatewayProxyResponse))]
internal sealed partial class RestApiFunctionJson : JsonSerializerContext;

[JsonSerializable(typeof(APIGatewayHttpApiV2ProxyRequest))]
[JsonSerializable(typeof(APIGatewayHttpApiV2ProxyResponse))]
internal sealed partial class HttpApiFunctionJson : JsonSerializerContext;
