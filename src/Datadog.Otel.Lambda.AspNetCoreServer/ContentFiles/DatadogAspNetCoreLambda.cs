// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0
//
// Added to your project by the Datadog.Otel.Lambda.AspNetCoreServer package and compiled there, next to
// Amazon.Lambda.AspNetCoreServer (and .Hosting for minimal APIs), which the package cannot reference.
//
// One trace per request: aws.apigateway (or aws.httpapi, aws.lambda.url, aws.alb) -> aws.lambda -> the ASP.NET Core
// request span -> your HttpClient and AWS SDK spans. The raw event is traced first; then the trace headers of the
// request ASP.NET Core sees are pointed at aws.lambda, so ASP.NET Core and its OpenTelemetry instrumentation continue
// the invocation's trace instead of starting a sibling of it from the upstream headers.
//
// Minimal API (AddAWSLambdaHosting):
//     builder.Services.AddOpenTelemetry().WithTracing(t => t.AddDatadogLambda().AddAspNetCoreInstrumentation());
//     builder.Services.AddDatadogAWSLambdaHosting(LambdaEventSource.HttpApi);   // instead of AddAWSLambdaHosting
//
// Class-based (APIGatewayProxyFunction, APIGatewayHttpApiV2ProxyFunction, ApplicationLoadBalancerFunction): override
// the handler; the function's Lambda handler setting does not change:
//     private static readonly ILambdaSerializer Serializer = new DefaultLambdaJsonSerializer();
//     public override Task<APIGatewayProxyResponse> FunctionHandlerAsync(APIGatewayProxyRequest request, ILambdaContext lambdaContext) =>
//         DatadogAspNetCoreLambda.TraceAsync(request, lambdaContext, Serializer, base.FunctionHandlerAsync);
#nullable enable

using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Text.Json.Serialization;
using System.Threading.Tasks;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.ApplicationLoadBalancerEvents;
using Amazon.Lambda.AspNetCoreServer.Hosting;
using Amazon.Lambda.AspNetCoreServer.Hosting.Internal;
using Amazon.Lambda.Core;
using Amazon.Lambda.RuntimeSupport;
using Amazon.Lambda.Serialization.SystemTextJson;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda;

/// <summary>Traces ASP.NET Core Lambda invocations: the trigger's inferred span, <c>aws.lambda</c>, then the request pipeline.</summary>
internal static class DatadogAspNetCoreLambda
{
    /// <summary>Traces a REST API (or WebSocket) request handled by <c>APIGatewayProxyFunction.FunctionHandlerAsync</c>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The Lambda context.</param>
    /// <param name="serializer">The function's Lambda serializer (the raw event is what tracing reads).</param>
    /// <param name="handler">Usually <c>base.FunctionHandlerAsync</c>.</param>
    /// <param name="tracing">The provider built with <c>AddDatadogLambda()</c>; <see langword="null"/> uses the only one.</param>
    /// <returns>The handler's response, unchanged.</returns>
    public static Task<APIGatewayProxyResponse> TraceAsync(APIGatewayProxyRequest request, ILambdaContext context, ILambdaSerializer serializer, Func<APIGatewayProxyRequest, ILambdaContext, Task<APIGatewayProxyResponse>> handler, TracerProvider? tracing = null) =>
        TraceTypedAsync(tracing, request, context, serializer, handler, static r => (r.Headers, r.MultiValueHeaders));

    /// <summary>Traces an HTTP API (payload v2) or Function URL request handled by <c>APIGatewayHttpApiV2ProxyFunction.FunctionHandlerAsync</c>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The Lambda context.</param>
    /// <param name="serializer">The function's Lambda serializer (the raw event is what tracing reads).</param>
    /// <param name="handler">Usually <c>base.FunctionHandlerAsync</c>.</param>
    /// <param name="tracing">The provider built with <c>AddDatadogLambda()</c>; <see langword="null"/> uses the only one.</param>
    /// <returns>The handler's response, unchanged.</returns>
    public static Task<APIGatewayHttpApiV2ProxyResponse> TraceAsync(APIGatewayHttpApiV2ProxyRequest request, ILambdaContext context, ILambdaSerializer serializer, Func<APIGatewayHttpApiV2ProxyRequest, ILambdaContext, Task<APIGatewayHttpApiV2ProxyResponse>> handler, TracerProvider? tracing = null) =>
        TraceTypedAsync(tracing, request, context, serializer, handler, static r => (r.Headers, null));

    /// <summary>Traces an Application Load Balancer request handled by <c>ApplicationLoadBalancerFunction.FunctionHandlerAsync</c>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The Lambda context.</param>
    /// <param name="serializer">The function's Lambda serializer (the raw event is what tracing reads).</param>
    /// <param name="handler">Usually <c>base.FunctionHandlerAsync</c>.</param>
    /// <param name="tracing">The provider built with <c>AddDatadogLambda()</c>; <see langword="null"/> uses the only one.</param>
    /// <returns>The handler's response, unchanged.</returns>
    public static Task<ApplicationLoadBalancerResponse> TraceAsync(ApplicationLoadBalancerRequest request, ILambdaContext context, ILambdaSerializer serializer, Func<ApplicationLoadBalancerRequest, ILambdaContext, Task<ApplicationLoadBalancerResponse>> handler, TracerProvider? tracing = null) =>
        TraceTypedAsync(tracing, request, context, serializer, handler, static r => (r.Headers, r.MultiValueHeaders));

    /// <summary>Traces a raw REST API (or WebSocket) event: a Lambda handler of its own, for the hosting server.</summary>
    internal static Task<Stream> TraceAsync(TracerProvider? tracing, Stream input, ILambdaContext context, ILambdaSerializer serializer, Func<APIGatewayProxyRequest, ILambdaContext, Task<APIGatewayProxyResponse>> handler) =>
        TraceStreamAsync(tracing, input, context, serializer, handler, static r => (r.Headers, r.MultiValueHeaders));

    /// <summary>Traces a raw HTTP API (payload v2) or Function URL event.</summary>
    internal static Task<Stream> TraceAsync(TracerProvider? tracing, Stream input, ILambdaContext context, ILambdaSerializer serializer, Func<APIGatewayHttpApiV2ProxyRequest, ILambdaContext, Task<APIGatewayHttpApiV2ProxyResponse>> handler) =>
        TraceStreamAsync(tracing, input, context, serializer, handler, static r => (r.Headers, null));

    /// <summary>Traces a raw Application Load Balancer event.</summary>
    internal static Task<Stream> TraceAsync(TracerProvider? tracing, Stream input, ILambdaContext context, ILambdaSerializer serializer, Func<ApplicationLoadBalancerRequest, ILambdaContext, Task<ApplicationLoadBalancerResponse>> handler) =>
        TraceStreamAsync(tracing, input, context, serializer, handler, static r => (r.Headers, r.MultiValueHeaders));

    private static Task<Stream> TraceStreamAsync<TRequest, TResponse>(
        TracerProvider? tracing,
        Stream input,
        ILambdaContext context,
        ILambdaSerializer serializer,
        Func<TRequest, ILambdaContext, Task<TResponse>> handler,
        Func<TRequest, (IDictionary<string, string>? Headers, IDictionary<string, IList<string>>? MultiValueHeaders)> headers) =>
        DatadogLambda.TraceAsync(tracing, input, context.ToDatadog(), async (stream, _) =>
        {
            var request = serializer.Deserialize<TRequest>(stream);
            PointHeadersAtInvocation(request, headers);
            var response = await handler(request, context).ConfigureAwait(false);

            // The Lambda response is a stream here anyway; the wrapper reads the status code ASP.NET Core produced from it.
            var output = new MemoryStream();
            serializer.Serialize(response, output);
            output.Position = 0;
            return (Stream)output;
        });

    private static async Task<TResponse> TraceTypedAsync<TRequest, TResponse>(
        TracerProvider? tracing,
        TRequest request,
        ILambdaContext context,
        ILambdaSerializer serializer,
        Func<TRequest, ILambdaContext, Task<TResponse>> handler,
        Func<TRequest, (IDictionary<string, string>? Headers, IDictionary<string, IList<string>>? MultiValueHeaders)> headers)
    {
        // Tracing reads the trigger from the raw event, which the runtime has already deserialized: write it back once.
        MemoryStream input;
        try
        {
            input = new MemoryStream();
            serializer.Serialize(request, input);
            input.Position = 0;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Console.Error.WriteLine("Datadog.Otel.Lambda: the request could not be serialized for tracing; the invocation runs untraced: " + ex.GetType().Name);
            return await handler(request, context).ConfigureAwait(false);
        }

        var response = default(TResponse)!;
        await DatadogLambda.TraceAsync(tracing, input, context.ToDatadog(), async (_, _) =>
        {
            PointHeadersAtInvocation(request, headers);
            response = await handler(request, context).ConfigureAwait(false);
            return StatusSource(serializer, response);
        }).ConfigureAwait(false);
        return response;
    }

    private static void PointHeadersAtInvocation<TRequest>(TRequest request, Func<TRequest, (IDictionary<string, string>? Headers, IDictionary<string, IList<string>>? MultiValueHeaders)> headers)
    {
        if (request is null)
        {
            return;
        }

        var (single, multi) = headers(request);
        DatadogPropagation.ReplaceTraceHeaders(single, multi);
    }

    /// <summary>The response as the runtime will send it, for the wrapper to read the status code (and payload, when captured) from.</summary>
    private static Stream StatusSource<TResponse>(ILambdaSerializer serializer, TResponse response)
    {
        try
        {
            var output = new MemoryStream();
            serializer.Serialize(response, output);
            output.Position = 0;
            return output;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The runtime will fail on this response itself; tracing reports what it can.
            return Stream.Null;
        }
    }
}

/// <summary>Registers ASP.NET Core's Lambda hosting with every invocation traced.</summary>
internal static class DatadogLambdaHostingExtensions
{
    /// <summary>Like <c>AddAWSLambdaHosting</c>, with the invocations traced by Datadog.Otel.Lambda.</summary>
    /// <param name="services">The services.</param>
    /// <param name="eventSource">The Lambda event source in front of the application.</param>
    /// <param name="configure">Hosting options, as for <c>AddAWSLambdaHosting</c>.</param>
    /// <returns>The services.</returns>
    [RequiresUnreferencedCode("AddAWSLambdaHosting's default serializer uses reflection: for Native AOT pass a SourceGeneratorLambdaJsonSerializer.")]
    public static IServiceCollection AddDatadogAWSLambdaHosting(this IServiceCollection services, LambdaEventSource eventSource, Action<HostingOptions>? configure = null)
    {
        services.AddAWSLambdaHosting(eventSource, configure);
        return UseTracedServer(services, eventSource);
    }

    /// <summary>Like <c>AddAWSLambdaHosting</c> with a source-generated serializer (Native AOT), with the invocations traced by Datadog.Otel.Lambda.</summary>
    /// <typeparam name="T">The serializer's JSON context.</typeparam>
    /// <param name="services">The services.</param>
    /// <param name="eventSource">The Lambda event source in front of the application.</param>
    /// <param name="serializer">The source-generated Lambda serializer.</param>
    /// <param name="configure">Hosting options, as for <c>AddAWSLambdaHosting</c>.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddDatadogAWSLambdaHosting<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(this IServiceCollection services, LambdaEventSource eventSource, SourceGeneratorLambdaJsonSerializer<T> serializer, Action<HostingOptions>? configure = null)
        where T : JsonSerializerContext
    {
        services.AddAWSLambdaHosting(eventSource, serializer, configure);
        return UseTracedServer(services, eventSource);
    }

    private static IServiceCollection UseTracedServer(IServiceCollection services, LambdaEventSource eventSource)
    {
        // Outside Lambda, AddAWSLambdaHosting leaves Kestrel in place and so do we.
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME")))
        {
            return services;
        }

        switch (eventSource)
        {
            case LambdaEventSource.HttpApi:
                services.Replace(ServiceDescriptor.Singleton<IServer, TracedHttpApiServer>());
                break;
            case LambdaEventSource.RestApi:
                services.Replace(ServiceDescriptor.Singleton<IServer, TracedRestApiServer>());
                break;
            case LambdaEventSource.ApplicationLoadBalancer:
                services.Replace(ServiceDescriptor.Singleton<IServer, TracedApplicationLoadBalancerServer>());
                break;
            case LambdaEventSource.WebsocketApi:
                services.Replace(ServiceDescriptor.Singleton<IServer, TracedWebsocketApiServer>());
                break;
        }

        return services;
    }

    private static TracerProvider? Tracing(IServiceProvider services) => services.GetService<TracerProvider>();

    // Response streaming (HostingOptions.EnableResponseStreaming) is left to the untraced hosting server: its handler does
    // not return the response, so there is no status to read and nothing to wait for before the flush.
    private static bool Streams(IServiceProvider services) => services.GetService<HostingOptions>()?.EnableResponseStreaming == true;

    private sealed class TracedHttpApiServer(IServiceProvider services) : APIGatewayHttpApiV2LambdaRuntimeSupportServer(services)
    {
        protected override HandlerWrapper CreateHandlerWrapper(IServiceProvider serviceProvider)
        {
            if (Streams(serviceProvider))
            {
                return base.CreateHandlerWrapper(serviceProvider);
            }

            var application = new APIGatewayHttpApiV2MinimalApi(serviceProvider);
            var serializer = serviceProvider.GetRequiredService<ILambdaSerializer>();
            var tracing = Tracing(serviceProvider);
            return HandlerWrapper.GetHandlerWrapper((Stream input, ILambdaContext context) =>
                DatadogAspNetCoreLambda.TraceAsync(tracing, input, context, serializer, (APIGatewayHttpApiV2ProxyRequest r, ILambdaContext c) => application.FunctionHandlerAsync(r, c)));
        }
    }

    private sealed class TracedRestApiServer(IServiceProvider services) : APIGatewayRestApiLambdaRuntimeSupportServer(services)
    {
        protected override HandlerWrapper CreateHandlerWrapper(IServiceProvider serviceProvider)
        {
            if (Streams(serviceProvider))
            {
                return base.CreateHandlerWrapper(serviceProvider);
            }

            var application = new APIGatewayRestApiMinimalApi(serviceProvider);
            var serializer = serviceProvider.GetRequiredService<ILambdaSerializer>();
            var tracing = Tracing(serviceProvider);
            return HandlerWrapper.GetHandlerWrapper((Stream input, ILambdaContext context) =>
                DatadogAspNetCoreLambda.TraceAsync(tracing, input, context, serializer, (APIGatewayProxyRequest r, ILambdaContext c) => application.FunctionHandlerAsync(r, c)));
        }
    }

    private sealed class TracedWebsocketApiServer(IServiceProvider services) : APIGatewayWebsocketApiLambdaRuntimeSupportServer(services)
    {
        protected override HandlerWrapper CreateHandlerWrapper(IServiceProvider serviceProvider)
        {
            if (Streams(serviceProvider))
            {
                return base.CreateHandlerWrapper(serviceProvider);
            }

            var application = new APIGatewayWebsocketMinimalApi(serviceProvider);
            var serializer = serviceProvider.GetRequiredService<ILambdaSerializer>();
            var tracing = Tracing(serviceProvider);
            return HandlerWrapper.GetHandlerWrapper((Stream input, ILambdaContext context) =>
                DatadogAspNetCoreLambda.TraceAsync(tracing, input, context, serializer, (APIGatewayProxyRequest r, ILambdaContext c) => application.FunctionHandlerAsync(r, c)));
        }
    }

    private sealed class TracedApplicationLoadBalancerServer(IServiceProvider services) : ApplicationLoadBalancerLambdaRuntimeSupportServer(services)
    {
        protected override HandlerWrapper CreateHandlerWrapper(IServiceProvider serviceProvider)
        {
            if (Streams(serviceProvider))
            {
                return base.CreateHandlerWrapper(serviceProvider);
            }

            var application = new ApplicationLoadBalancerMinimalApi(serviceProvider);
            var serializer = serviceProvider.GetRequiredService<ILambdaSerializer>();
            var tracing = Tracing(serviceProvider);
            return HandlerWrapper.GetHandlerWrapper((Stream input, ILambdaContext context) =>
                DatadogAspNetCoreLambda.TraceAsync(tracing, input, context, serializer, (ApplicationLoadBalancerRequest r, ILambdaContext c) => application.FunctionHandlerAsync(r, c)));
        }
    }
}
