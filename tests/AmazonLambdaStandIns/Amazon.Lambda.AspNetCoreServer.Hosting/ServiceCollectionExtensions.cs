// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0
//
// Stand-in for aws/aws-lambda-dotnet Libraries/src/Amazon.Lambda.AspNetCoreServer.Hosting/ServiceCollectionExtensions.cs
// at 831492165a694825e0e762d68ec74f3e36b628c0 (2.1.0): outside Lambda (AWS_LAMBDA_FUNCTION_NAME unset) nothing changes;
// in Lambda the options and serializer are registered and the event source's server becomes the only IServer.
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Amazon.Lambda.AspNetCoreServer.Hosting;
using Amazon.Lambda.AspNetCoreServer.Hosting.Internal;
using Amazon.Lambda.AspNetCoreServer.Internal;
using Amazon.Lambda.Core;
using Amazon.Lambda.Serialization.SystemTextJson;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

public enum LambdaEventSource
{
    RestApi,
    HttpApi,
    ApplicationLoadBalancer,
    WebsocketApi,
}

public static class ServiceCollectionExtensions
{
    [RequiresUnreferencedCode("For Native AOT the overload passing in a SourceGeneratorLambdaJsonSerializer instance must be used to avoid reflection with JSON serialization.")]
    public static IServiceCollection AddAWSLambdaHosting(this IServiceCollection services, LambdaEventSource eventSource) =>
        services.AddAWSLambdaHosting(eventSource, (Action<HostingOptions>?)null);

    [RequiresUnreferencedCode("For Native AOT the overload passing in a SourceGeneratorLambdaJsonSerializer instance must be used to avoid reflection with JSON serialization.")]
    public static IServiceCollection AddAWSLambdaHosting(this IServiceCollection services, LambdaEventSource eventSource, Action<HostingOptions>? configure = null)
    {
        if (TryLambdaSetup(services, eventSource, configure, out var options))
        {
            services.TryAddSingleton<ILambdaSerializer>(options!.Serializer ?? new DefaultLambdaJsonSerializer());
        }

        return services;
    }

    public static IServiceCollection AddAWSLambdaHosting<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(this IServiceCollection services, LambdaEventSource eventSource, SourceGeneratorLambdaJsonSerializer<T> serializer, Action<HostingOptions>? configure = null)
        where T : JsonSerializerContext
    {
        if (TryLambdaSetup(services, eventSource, configure, out var options))
        {
            services.TryAddSingleton<ILambdaSerializer>((ILambdaSerializer?)serializer ?? options!.Serializer ?? throw new ArgumentNullException(nameof(serializer)));
        }

        return services;
    }

    private static bool TryLambdaSetup(IServiceCollection services, LambdaEventSource eventSource, Action<HostingOptions>? configure, out HostingOptions? options)
    {
        options = null;
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME")))
        {
            return false;
        }

        options = new HostingOptions();
        configure?.Invoke(options);
        services.TryAddSingleton(options);
        var serverType = eventSource switch
        {
            LambdaEventSource.HttpApi => typeof(APIGatewayHttpApiV2LambdaRuntimeSupportServer),
            LambdaEventSource.RestApi => typeof(APIGatewayRestApiLambdaRuntimeSupportServer),
            LambdaEventSource.ApplicationLoadBalancer => typeof(ApplicationLoadBalancerLambdaRuntimeSupportServer),
            LambdaEventSource.WebsocketApi => typeof(APIGatewayWebsocketApiLambdaRuntimeSupportServer),
            _ => throw new ArgumentException($"Event source type {eventSource} unknown"),
        };
        Utilities.EnsureLambdaServerRegistered(services, serverType);
        return true;
    }
}
