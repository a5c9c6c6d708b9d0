// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Amazon.Lambda.Core;
using Amazon.Lambda.Serialization.SystemTextJson;

namespace Datadog.Otel.Lambda.Benchmarks.Contrib;

/// <summary>The Lambda context every handler of the benchmarks gets, as the runtime fills it for one invocation.</summary>
internal sealed class BenchmarkLambdaContext : ILambdaContext
{
    public string AwsRequestId => "c6af9ac6-7b61-11e6-9a41-93e8deadbeef";

    public IClientContext ClientContext => null!;

    public string FunctionName => "benchmark";

    public string FunctionVersion => "$LATEST";

    public ICognitoIdentity Identity => null!;

    public string InvokedFunctionArn => "arn:aws:lambda:us-east-1:123456789012:function:benchmark";

    public ILambdaLogger Logger => null!;

    public string LogGroupName => "/aws/lambda/benchmark";

    public string LogStreamName => "2026/11/25/[$LATEST]0123456789abcdef0123456789abcdef";

    public int MemoryLimitInMB => 512;

    public TimeSpan RemainingTime => TimeSpan.FromMinutes(15);
}

/// <summary>
/// Lambda's default serializer (Amazon.Lambda.Serialization.SystemTextJson, the stand-in of tests/AmazonLambdaStandIns),
/// with its options exposed so that the traced typed path deserializes with exactly the same metadata.
/// </summary>
#pragma warning disable IL2026 // The benchmarks run with the JIT; the serializer is the reflection-based default of most functions.
internal sealed class BenchmarkLambdaSerializer : DefaultLambdaJsonSerializer
#pragma warning restore IL2026
{
    public JsonTypeInfo<T> TypeInfo<T>()
    {
        this.SerializerOptions.MakeReadOnly(populateMissingResolver: true);
        return (JsonTypeInfo<T>)this.SerializerOptions.GetTypeInfo(typeof(T));
    }

    public JsonSerializerOptions Options => this.SerializerOptions;
}
