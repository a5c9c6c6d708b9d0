// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0
//
// Stand-in for aws/aws-lambda-dotnet Libraries/src/Amazon.Lambda.Core/{ILambdaSerializer,LambdaSerializerAttribute}.cs
// at 831492165a694825e0e762d68ec74f3e36b628c0 (Amazon.Lambda.Core 3.2.0).
namespace Amazon.Lambda.Core;

public interface ILambdaSerializer
{
    T Deserialize<T>(Stream requestStream);

    void Serialize<T>(T response, Stream responseStream);
}

[AttributeUsage(AttributeTargets.Method | AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class LambdaSerializerAttribute : Attribute
{
    public LambdaSerializerAttribute(Type serializerType)
    {
        this.SerializerType = serializerType;
    }

    public Type SerializerType { get; set; }
}
