// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0
//
// Stand-in for aws/aws-lambda-dotnet Libraries/src/Amazon.Lambda.AspNetCoreServer.Hosting/Internal/
// LambdaRuntimeSupportServer.cs at 831492165a694825e0e762d68ec74f3e36b628c0 (2.1.0): the abstract server, its four event
// source servers with their public nested function classes, CreateHandlerWrapper as the extension point, and the
// handler wrapped with the registered ILambdaSerializer. The real StartAsync runs RuntimeSupport's LambdaBootstrap and
// only returns when the loop ends; here the loop runs in the background when AWS_LAMBDA_RUNTIME_API is set (a test's
// Runtime API emulator) and stops with the server, and the handler is also exposed to tests that invoke it directly.
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.ApplicationLoadBalancerEvents;
using Amazon.Lambda.AspNetCoreServer.Internal;
using Amazon.Lambda.Core;
using Amazon.Lambda.RuntimeSupport;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;

namespace Amazon.Lambda.AspNetCoreServer.Hosting.Internal;

public abstract class LambdaRuntimeSupportServer : LambdaServer
{
    private readonly IServiceProvider serviceProvider;
    private readonly CancellationTokenSource stopping = new();
    private Task? bootstrap;

    protected LambdaRuntimeSupportServer(IServiceProvider serviceProvider)
        : base(serviceProvider)
    {
        this.serviceProvider = serviceProvider;
        this.Serializer = serviceProvider.GetRequiredService<ILambdaSerializer>();
    }

    /// <summary>Gets the handler the server handed to the Lambda runtime client when it started (stand-in only).</summary>
    public HandlerWrapper? HandlerWrapper { get; private set; }

    internal ILambdaSerializer Serializer { get; }

    public override async Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
    {
        await base.StartAsync(application, cancellationToken).ConfigureAwait(false);
        this.HandlerWrapper = this.CreateHandlerWrapper(this.serviceProvider);
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API")))
        {
            var loop = new LambdaBootstrap(this.HandlerWrapper);
            this.bootstrap = Task.Run(async () =>
            {
                using (loop)
                {
                    await loop.RunAsync(this.stopping.Token).ConfigureAwait(false);
                }
            });
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await this.stopping.CancelAsync().ConfigureAwait(false);
        if (this.bootstrap is not null)
        {
            try
            {
                await this.bootstrap.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // The loop ended on its own (a Runtime API error); the server stops either way.
            }
        }

        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected abstract HandlerWrapper CreateHandlerWrapper(IServiceProvider serviceProvider);
}

public class APIGatewayHttpApiV2LambdaRuntimeSupportServer : LambdaRuntimeSupportServer
{
    public APIGatewayHttpApiV2LambdaRuntimeSupportServer(IServiceProvider serviceProvider)
        : base(serviceProvider)
    {
    }

    protected override HandlerWrapper CreateHandlerWrapper(IServiceProvider serviceProvider)
    {
        var handler = new APIGatewayHttpApiV2MinimalApi(serviceProvider);
#pragma warning disable CA2252 // As the real package.
        handler.EnableResponseStreaming = serviceProvider.GetService<HostingOptions>()?.EnableResponseStreaming ?? false;
#pragma warning restore CA2252
        Func<APIGatewayHttpApiV2ProxyRequest, ILambdaContext, Task<APIGatewayHttpApiV2ProxyResponse>> buffered = handler.FunctionHandlerAsync;
        return HandlerWrapper.GetHandlerWrapper(buffered, this.Serializer);
    }

    public class APIGatewayHttpApiV2MinimalApi : APIGatewayHttpApiV2ProxyFunction
    {
        public APIGatewayHttpApiV2MinimalApi(IServiceProvider serviceProvider)
            : base(serviceProvider)
        {
        }
    }
}

public class APIGatewayRestApiLambdaRuntimeSupportServer : LambdaRuntimeSupportServer
{
    public APIGatewayRestApiLambdaRuntimeSupportServer(IServiceProvider serviceProvider)
        : base(serviceProvider)
    {
    }

    protected override HandlerWrapper CreateHandlerWrapper(IServiceProvider serviceProvider)
    {
        var handler = new APIGatewayRestApiMinimalApi(serviceProvider);
#pragma warning disable CA2252 // As the real package.
        handler.EnableResponseStreaming = serviceProvider.GetService<HostingOptions>()?.EnableResponseStreaming ?? false;
#pragma warning restore CA2252
        Func<APIGatewayProxyRequest, ILambdaContext, Task<APIGatewayProxyResponse>> buffered = handler.FunctionHandlerAsync;
        return HandlerWrapper.GetHandlerWrapper(buffered, this.Serializer);
    }

    public class APIGatewayRestApiMinimalApi : APIGatewayProxyFunction
    {
        public APIGatewayRestApiMinimalApi(IServiceProvider serviceProvider)
            : base(serviceProvider)
        {
        }
    }
}

public class ApplicationLoadBalancerLambdaRuntimeSupportServer : LambdaRuntimeSupportServer
{
    public ApplicationLoadBalancerLambdaRuntimeSupportServer(IServiceProvider serviceProvider)
        : base(serviceProvider)
    {
    }

    protected override HandlerWrapper CreateHandlerWrapper(IServiceProvider serviceProvider)
    {
        var handler = new ApplicationLoadBalancerMinimalApi(serviceProvider);
#pragma warning disable CA2252 // As the real package.
        handler.EnableResponseStreaming = serviceProvider.GetService<HostingOptions>()?.EnableResponseStreaming ?? false;
#pragma warning restore CA2252
        Func<ApplicationLoadBalancerRequest, ILambdaContext, Task<ApplicationLoadBalancerResponse>> buffered = handler.FunctionHandlerAsync;
        return HandlerWrapper.GetHandlerWrapper(buffered, this.Serializer);
    }

    public class ApplicationLoadBalancerMinimalApi : ApplicationLoadBalancerFunction
    {
        public ApplicationLoadBalancerMinimalApi(IServiceProvider serviceProvider)
            : base(serviceProvider)
        {
        }
    }
}

public class APIGatewayWebsocketApiLambdaRuntimeSupportServer : APIGatewayRestApiLambdaRuntimeSupportServer
{
    public APIGatewayWebsocketApiLambdaRuntimeSupportServer(IServiceProvider serviceProvider)
        : base(serviceProvider)
    {
    }

    protected override HandlerWrapper CreateHandlerWrapper(IServiceProvider serviceProvider)
    {
        var handler = new APIGatewayWebsocketMinimalApi(serviceProvider);
#pragma warning disable CA2252 // As the real package.
        handler.EnableResponseStreaming = serviceProvider.GetService<HostingOptions>()?.EnableResponseStreaming ?? false;
#pragma warning restore CA2252
        Func<APIGatewayProxyRequest, ILambdaContext, Task<APIGatewayProxyResponse>> buffered = handler.FunctionHandlerAsync;
        return HandlerWrapper.GetHandlerWrapper(buffered, this.Serializer);
    }

    public class APIGatewayWebsocketMinimalApi : APIGatewayRestApiMinimalApi
    {
        public APIGatewayWebsocketMinimalApi(IServiceProvider serviceProvider)
            : base(serviceProvider)
        {
        }
    }
}
