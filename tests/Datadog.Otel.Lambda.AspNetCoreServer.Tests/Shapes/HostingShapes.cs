// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

// Test-only types with the public names and members of Amazon.Lambda.AspNetCoreServer(.Hosting) and
// Amazon.Lambda.Serialization.SystemTextJson that the shipped source file uses. Request handling is played by ASP.NET
// Core's TestServer (TestServerHosting), in the caller's async flow, as the hosting package runs the pipeline inline in
// the invocation.
#pragma warning disable SA1402, SA1649, CA1034, CA1711, CA1822, CA1812
namespace Microsoft.Extensions.DependencyInjection
{
    using System.Diagnostics.CodeAnalysis;
    using System.Text.Json.Serialization;
    using Amazon.Lambda.AspNetCoreServer.Hosting;
    using Amazon.Lambda.AspNetCoreServer.Hosting.Internal;
    using Amazon.Lambda.Core;
    using Amazon.Lambda.Serialization.SystemTextJson;
    using Microsoft.AspNetCore.Hosting.Server;
    using Microsoft.Extensions.DependencyInjection.Extensions;

    public enum LambdaEventSource
    {
        RestApi,
        HttpApi,
        ApplicationLoadBalancer,
        WebsocketApi,
    }

    public static class ServiceCollectionExtensions
    {
        [RequiresUnreferencedCode("For Native AOT the overload passing in a SourceGeneratorLambdaJsonSerializer instance must be used.")]
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
            if (TryLambdaSetup(services, eventSource, configure, out _))
            {
                services.TryAddSingleton<ILambdaSerializer>(serializer);
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

            // The real package removes every other IServer (Kestrel) and registers its own.
            services.RemoveAll<IServer>();
            switch (eventSource)
            {
                case LambdaEventSource.HttpApi:
                    services.AddSingleton<IServer, APIGatewayHttpApiV2LambdaRuntimeSupportServer>();
                    break;
                case LambdaEventSource.ApplicationLoadBalancer:
                    services.AddSingleton<IServer, ApplicationLoadBalancerLambdaRuntimeSupportServer>();
                    break;
                case LambdaEventSource.WebsocketApi:
                    services.AddSingleton<IServer, APIGatewayWebsocketApiLambdaRuntimeSupportServer>();
                    break;
                default:
                    services.AddSingleton<IServer, APIGatewayRestApiLambdaRuntimeSupportServer>();
                    break;
            }

            return true;
        }
    }
}

namespace Amazon.Lambda.Serialization.SystemTextJson
{
    using System.Diagnostics.CodeAnalysis;
    using System.Text.Json;
    using System.Text.Json.Serialization;
    using Amazon.Lambda.Core;

    /// <summary>Camel-cased JSON as the real serializer writes Lambda events and responses. Reflection-based, as the real one.</summary>
    [RequiresUnreferencedCode("DefaultLambdaJsonSerializer does not support trimming.")]
    public class DefaultLambdaJsonSerializer : ILambdaSerializer
    {
        private static readonly JsonSerializerOptions Options = new()
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            PropertyNameCaseInsensitive = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };

        public T Deserialize<T>(Stream requestStream) => JsonSerializer.Deserialize<T>(requestStream, Options)!;

        public void Serialize<T>(T response, Stream responseStream) => JsonSerializer.Serialize(responseStream, response, Options);
    }

    public class SourceGeneratorLambdaJsonSerializer<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TSGContext> : ILambdaSerializer
        where TSGContext : JsonSerializerContext
    {
        public T Deserialize<T>(Stream requestStream) => throw new NotSupportedException("test shape");

        public void Serialize<T>(T response, Stream responseStream) => throw new NotSupportedException("test shape");
    }
}

namespace Amazon.Lambda.AspNetCoreServer
{
    using Amazon.Lambda.APIGatewayEvents;
    using Amazon.Lambda.ApplicationLoadBalancerEvents;
    using Amazon.Lambda.Core;
    using Datadog.Otel.Lambda.AspNetCoreServer.Tests;

    public abstract class APIGatewayProxyFunction
    {
        private readonly IServiceProvider services;

        protected APIGatewayProxyFunction(IServiceProvider hostedServices) => this.services = hostedServices;

        public virtual Task<APIGatewayProxyResponse> FunctionHandlerAsync(APIGatewayProxyRequest request, ILambdaContext lambdaContext) =>
            TestServerHosting.ProcessRestApiAsync(this.services, request, lambdaContext);
    }

    public abstract class APIGatewayHttpApiV2ProxyFunction
    {
        private readonly IServiceProvider services;

        protected APIGatewayHttpApiV2ProxyFunction(IServiceProvider hostedServices) => this.services = hostedServices;

        public virtual Task<APIGatewayHttpApiV2ProxyResponse> FunctionHandlerAsync(APIGatewayHttpApiV2ProxyRequest request, ILambdaContext lambdaContext) =>
            TestServerHosting.ProcessHttpApiAsync(this.services, request, lambdaContext);
    }

    public abstract class ApplicationLoadBalancerFunction
    {
        private readonly IServiceProvider services;

        protected ApplicationLoadBalancerFunction(IServiceProvider hostedServices) => this.services = hostedServices;

        public virtual Task<ApplicationLoadBalancerResponse> FunctionHandlerAsync(ApplicationLoadBalancerRequest request, ILambdaContext lambdaContext) =>
            TestServerHosting.ProcessAlbAsync(this.services, request, lambdaContext);
    }
}

namespace Amazon.Lambda.AspNetCoreServer.Hosting
{
    using Amazon.Lambda.Core;

    public class HostingOptions
    {
        public ILambdaSerializer? Serializer { get; set; }

        public bool EnableResponseStreaming { get; set; }
    }
}

namespace Amazon.Lambda.AspNetCoreServer.Hosting.Internal
{
    using Amazon.Lambda.APIGatewayEvents;
    using Amazon.Lambda.ApplicationLoadBalancerEvents;
    using Amazon.Lambda.AspNetCoreServer;
    using Amazon.Lambda.Core;
    using Amazon.Lambda.RuntimeSupport;
    using Microsoft.AspNetCore.Hosting.Server;
    using Microsoft.AspNetCore.Http.Features;
    using Microsoft.Extensions.DependencyInjection;

    /// <summary>
    /// The real server (a LambdaServer) holds the ASP.NET Core application that the function classes hand requests to, and
    /// starts the Lambda runtime client with <see cref="CreateHandlerWrapper"/>. Here a TestServer holds the application,
    /// and the test invokes the handler itself.
    /// </summary>
    public abstract class LambdaRuntimeSupportServer : IServer
    {
        private readonly IServiceProvider serviceProvider;

        protected LambdaRuntimeSupportServer(IServiceProvider serviceProvider)
        {
            this.serviceProvider = serviceProvider;
            _ = serviceProvider.GetRequiredService<ILambdaSerializer>();
            this.Application = new Microsoft.AspNetCore.TestHost.TestServer(serviceProvider) { PreserveExecutionContext = true };
        }

        public IFeatureCollection Features => this.Application.Features;

        /// <summary>Gets the server that runs the application's pipeline (test-only).</summary>
        public Microsoft.AspNetCore.TestHost.TestServer Application { get; }

        /// <summary>Gets the handler the server handed to the Lambda runtime client when it started (test-only).</summary>
        public HandlerWrapper? Handler { get; private set; }

        public async Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull
        {
            await ((IServer)this.Application).StartAsync(application, cancellationToken);
            this.Handler = this.CreateHandlerWrapper(this.serviceProvider);
        }

        public Task StopAsync(CancellationToken cancellationToken) => ((IServer)this.Application).StopAsync(cancellationToken);

        public void Dispose() => this.Application.Dispose();

        protected abstract HandlerWrapper CreateHandlerWrapper(IServiceProvider serviceProvider);
    }

    public class APIGatewayHttpApiV2LambdaRuntimeSupportServer(IServiceProvider serviceProvider) : LambdaRuntimeSupportServer(serviceProvider)
    {
        protected override HandlerWrapper CreateHandlerWrapper(IServiceProvider serviceProvider)
        {
            var handler = new APIGatewayHttpApiV2MinimalApi(serviceProvider);
            return HandlerWrapper.GetHandlerWrapper<APIGatewayHttpApiV2ProxyRequest, APIGatewayHttpApiV2ProxyResponse>(handler.FunctionHandlerAsync, serviceProvider.GetRequiredService<ILambdaSerializer>());
        }

        public class APIGatewayHttpApiV2MinimalApi(IServiceProvider serviceProvider) : APIGatewayHttpApiV2ProxyFunction(serviceProvider)
        {
        }
    }

    public class APIGatewayRestApiLambdaRuntimeSupportServer(IServiceProvider serviceProvider) : LambdaRuntimeSupportServer(serviceProvider)
    {
        protected override HandlerWrapper CreateHandlerWrapper(IServiceProvider serviceProvider)
        {
            var handler = new APIGatewayRestApiMinimalApi(serviceProvider);
            return HandlerWrapper.GetHandlerWrapper<APIGatewayProxyRequest, APIGatewayProxyResponse>(handler.FunctionHandlerAsync, serviceProvider.GetRequiredService<ILambdaSerializer>());
        }

        public class APIGatewayRestApiMinimalApi(IServiceProvider serviceProvider) : APIGatewayProxyFunction(serviceProvider)
        {
        }
    }

    public class APIGatewayWebsocketApiLambdaRuntimeSupportServer(IServiceProvider serviceProvider) : APIGatewayRestApiLambdaRuntimeSupportServer(serviceProvider)
    {
        protected override HandlerWrapper CreateHandlerWrapper(IServiceProvider serviceProvider)
        {
            var handler = new APIGatewayWebsocketMinimalApi(serviceProvider);
            return HandlerWrapper.GetHandlerWrapper<APIGatewayProxyRequest, APIGatewayProxyResponse>(handler.FunctionHandlerAsync, serviceProvider.GetRequiredService<ILambdaSerializer>());
        }

        public class APIGatewayWebsocketMinimalApi(IServiceProvider serviceProvider) : APIGatewayRestApiMinimalApi(serviceProvider)
        {
        }
    }

    public class ApplicationLoadBalancerLambdaRuntimeSupportServer(IServiceProvider serviceProvider) : LambdaRuntimeSupportServer(serviceProvider)
    {
        protected override HandlerWrapper CreateHandlerWrapper(IServiceProvider serviceProvider)
        {
            var handler = new ApplicationLoadBalancerMinimalApi(serviceProvider);
            return HandlerWrapper.GetHandlerWrapper<ApplicationLoadBalancerRequest, ApplicationLoadBalancerResponse>(handler.FunctionHandlerAsync, serviceProvider.GetRequiredService<ILambdaSerializer>());
        }

        public class ApplicationLoadBalancerMinimalApi(IServiceProvider serviceProvider) : ApplicationLoadBalancerFunction(serviceProvider)
        {
        }
    }
}
