// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0
//
// Added to your project by the Datadog.Otel.Lambda.AspNetCoreServer package, beside DatadogAspNetCoreLambda.cs, for
// ASP.NET Core minimal APIs hosted in Lambda by Amazon.Lambda.AspNetCoreServer.Hosting (AddAWSLambdaHosting). It is
// compiled only when your project references that package: the package's build file defines
// DATADOG_LAMBDA_ASPNETCORE_HOSTING when Amazon.Lambda.AspNetCoreServer.Hosting.dll is among the project's references, so
// a class-based function (Amazon.Lambda.AspNetCoreServer alone) does not need the Hosting package.
//
//     builder.Services.AddOpenTelemetry().WithTracing(t => t.AddDatadogLambda().AddAspNetCoreInstrumentation());
//     builder.Services.AddDatadogAWSLambdaHosting(LambdaEventSource.HttpApi);   // instead of AddAWSLambdaHosting
//
// The hosting server hands the Lambda runtime client a handler of the raw event stream: it is traced from that stream,
// then deserialized with the registered serializer, as the hosting package does. The handler is registered with that
// serializer, which serializes the response: the runtime client then puts it on every invocation's
// ILambdaContext.Serializer, as for the hosting package's own servers (a raw-stream handler would leave it null).
//
// Checked against Amazon.Lambda.AspNetCoreServer.Hosting 2.1.0, Amazon.Lambda.RuntimeSupport 2.1.2 and
// Amazon.Lambda.AspNetCoreServer 10.1.1 (docs/aspnetcore.md, "Versions").
#nullable enable

#if DATADOG_LAMBDA_ASPNETCORE_HOSTING
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

/// <summary>The raw-event handlers of the hosting servers.</summary>
internal static partial class DatadogAspNetCoreLambda
{
    /// <summary>Traces a raw REST API (or WebSocket) event: a Lambda handler of its own, for the hosting server.</summary>
    internal static Task<APIGatewayProxyResponse> TraceAsync(TracerProvider? tracing, Stream input, ILambdaContext context, ILambdaSerializer serializer, Func<APIGatewayProxyRequest, ILambdaContext, Task<APIGatewayProxyResponse>> handler) =>
        TraceStreamAsync(tracing, input, context, serializer, handler, static r => (r.Headers, r.MultiValueHeaders));

    /// <summary>Traces a raw HTTP API (payload v2) or Function URL event.</summary>
    internal static Task<APIGatewayHttpApiV2ProxyResponse> TraceAsync(TracerProvider? tracing, Stream input, ILambdaContext context, ILambdaSerializer serializer, Func<APIGatewayHttpApiV2ProxyRequest, ILambdaContext, Task<APIGatewayHttpApiV2ProxyResponse>> handler) =>
        TraceStreamAsync(tracing, input, context, serializer, handler, static r => (r.Headers, null));

    /// <summary>Traces a raw Application Load Balancer event.</summary>
    internal static Task<ApplicationLoadBalancerResponse> TraceAsync(TracerProvider? tracing, Stream input, ILambdaContext context, ILambdaSerializer serializer, Func<ApplicationLoadBalancerRequest, ILambdaContext, Task<ApplicationLoadBalancerResponse>> handler) =>
        TraceStreamAsync(tracing, input, context, serializer, handler, static r => (r.Headers, r.MultiValueHeaders));

    private static async Task<TResponse> TraceStreamAsync<TRequest, TResponse>(
        TracerProvider? tracing,
        Stream input,
        ILambdaContext context,
        ILambdaSerializer serializer,
        Func<TRequest, ILambdaContext, Task<TResponse>> handler,
        Func<TRequest, (IDictionary<string, string>? Headers, IDictionary<string, IList<string>>? MultiValueHeaders)> headers)
    {
        var response = default(TResponse)!;
        var status = await DatadogLambda.TraceAsync(tracing, input, context.ToDatadog(), async (stream, _) =>
        {
            var request = serializer.Deserialize<TRequest>(stream);
            PointHeadersAtInvocation(request, headers);
            response = await handler(request, context).ConfigureAwait(false);

            // Tracing reads the status code ASP.NET Core produced (and the payload, when captured) from the response as
            // the function's serializer writes it; serializing here also keeps a serializer failure inside the trace.
            // The runtime client serializes the response again for Lambda: it is handed the typed response, so that the
            // handler can be registered with the serializer that Lambda puts on the context.
            var output = new MemoryStream();
            serializer.Serialize(response, output);
            output.Position = 0;
            return output;
        }).ConfigureAwait(false);
        await status.DisposeAsync().ConfigureAwait(false);
        return response;
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

        // Constructed here rather than activated by the container: no reflection, nothing for the trimmer to keep.
        switch (eventSource)
        {
            case LambdaEventSource.HttpApi:
                services.Replace(ServiceDescriptor.Singleton<IServer>(static s => new TracedHttpApiServer(s)));
                break;
            case LambdaEventSource.RestApi:
                services.Replace(ServiceDescriptor.Singleton<IServer>(static s => new TracedRestApiServer(s)));
                break;
            case LambdaEventSource.ApplicationLoadBalancer:
                services.Replace(ServiceDescriptor.Singleton<IServer>(static s => new TracedApplicationLoadBalancerServer(s)));
                break;
            case LambdaEventSource.WebsocketApi:
                services.Replace(ServiceDescriptor.Singleton<IServer>(static s => new TracedWebsocketApiServer(s)));
                break;
        }

        return services;
    }

    private static TracerProvider? Tracing(IServiceProvider services) => services.GetService<TracerProvider>();

    // Response streaming (HostingOptions.EnableResponseStreaming) is left to the untraced hosting server: its handler does
    // not return the response, so there is no status to read and nothing to wait for before the flush. The option is
    // [RequiresPreviewFeatures] (CA2252, an error by default): reading it here only keeps the preview feature out of
    // tracing, so the diagnostic is suppressed for this one read.
#pragma warning disable CA2252
    private static bool Streams(IServiceProvider services) => services.GetService<HostingOptions>()?.EnableResponseStreaming == true;
#pragma warning restore CA2252

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
            Func<Stream, ILambdaContext, Task<APIGatewayHttpApiV2ProxyResponse>> traced = (input, context) =>
                DatadogAspNetCoreLambda.TraceAsync(tracing, input, context, serializer, (APIGatewayHttpApiV2ProxyRequest r, ILambdaContext c) => application.FunctionHandlerAsync(r, c));
            return HandlerWrapper.GetHandlerWrapper<APIGatewayHttpApiV2ProxyResponse>(traced, serializer);
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
            Func<Stream, ILambdaContext, Task<APIGatewayProxyResponse>> traced = (input, context) =>
                DatadogAspNetCoreLambda.TraceAsync(tracing, input, context, serializer, (APIGatewayProxyRequest r, ILambdaContext c) => application.FunctionHandlerAsync(r, c));
            return HandlerWrapper.GetHandlerWrapper<APIGatewayProxyResponse>(traced, serializer);
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
            Func<Stream, ILambdaContext, Task<APIGatewayProxyResponse>> traced = (input, context) =>
                DatadogAspNetCoreLambda.TraceAsync(tracing, input, context, serializer, (APIGatewayProxyRequest r, ILambdaContext c) => application.FunctionHandlerAsync(r, c));
            return HandlerWrapper.GetHandlerWrapper<APIGatewayProxyResponse>(traced, serializer);
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
            Func<Stream, ILambdaContext, Task<ApplicationLoadBalancerResponse>> traced = (input, context) =>
                DatadogAspNetCoreLambda.TraceAsync(tracing, input, context, serializer, (ApplicationLoadBalancerRequest r, ILambdaContext c) => application.FunctionHandlerAsync(r, c));
            return HandlerWrapper.GetHandlerWrapper<ApplicationLoadBalancerResponse>(traced, serializer);
        }
    }
}
#endif
