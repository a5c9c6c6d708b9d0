// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0
//
// Stand-in for aws/aws-lambda-dotnet Libraries/src/Amazon.Lambda.AspNetCoreServer/{APIGatewayProxyFunction,
// APIGatewayHttpApiV2ProxyFunction,ApplicationLoadBalancerFunction}{,{TStartup}}.cs at
// 831492165a694825e0e762d68ec74f3e36b628c0 (10.1.1): the three function classes, their Startup-generic forms and
// constructors. What each marshals from its request (method, path, headers) is what the real one reads.
using System.Diagnostics.CodeAnalysis;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.ApplicationLoadBalancerEvents;
using Amazon.Lambda.AspNetCoreServer.Internal;
using Amazon.Lambda.Core;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;

namespace Amazon.Lambda.AspNetCoreServer;

public abstract class APIGatewayProxyFunction : AbstractAspNetCoreFunction<APIGatewayProxyRequest, APIGatewayProxyResponse>
{
    public new const string LAMBDA_CONTEXT = AbstractAspNetCoreFunction.LAMBDA_CONTEXT;

    public const string APIGATEWAY_REQUEST = AbstractAspNetCoreFunction.LAMBDA_REQUEST_OBJECT;

    protected APIGatewayProxyFunction()
    {
    }

    protected APIGatewayProxyFunction(StartupMode startupMode)
        : base(startupMode)
    {
    }

    protected APIGatewayProxyFunction(IServiceProvider hostedServices)
        : base(hostedServices)
    {
    }

    private protected override async Task<APIGatewayProxyResponse> ProcessAsync(TestServer server, APIGatewayProxyRequest request, ILambdaContext lambdaContext)
    {
        // The real package prefers multiValueHeaders and joins their values.
        var headers = request.MultiValueHeaders?.ToDictionary(h => h.Key, h => string.Join(',', h.Value)) ?? request.Headers;
        var (status, body) = await TestServerMarshalling.ProcessAsync(server, request.HttpMethod ?? "GET", request.Path ?? "/", headers, request.Body, request, lambdaContext).ConfigureAwait(false);
        return new APIGatewayProxyResponse { StatusCode = status, Body = body };
    }
}

public abstract class APIGatewayProxyFunction<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.PublicConstructors)] TStartup> : APIGatewayProxyFunction
    where TStartup : class
{
    protected APIGatewayProxyFunction()
    {
    }

    protected APIGatewayProxyFunction(StartupMode startupMode)
        : base(startupMode)
    {
    }

    protected override void Init(IWebHostBuilder builder) => builder.UseStartup<TStartup>();
}

public abstract class APIGatewayHttpApiV2ProxyFunction : AbstractAspNetCoreFunction<APIGatewayHttpApiV2ProxyRequest, APIGatewayHttpApiV2ProxyResponse>
{
    protected APIGatewayHttpApiV2ProxyFunction()
    {
    }

    protected APIGatewayHttpApiV2ProxyFunction(StartupMode startupMode)
        : base(startupMode)
    {
    }

    protected APIGatewayHttpApiV2ProxyFunction(IServiceProvider hostedServices)
        : base(hostedServices)
    {
    }

    private protected override async Task<APIGatewayHttpApiV2ProxyResponse> ProcessAsync(TestServer server, APIGatewayHttpApiV2ProxyRequest request, ILambdaContext lambdaContext)
    {
        var (status, body) = await TestServerMarshalling.ProcessAsync(server, request.RequestContext?.Http?.Method ?? "GET", request.RawPath ?? "/", request.Headers, request.Body, request, lambdaContext).ConfigureAwait(false);
        return new APIGatewayHttpApiV2ProxyResponse { StatusCode = status, Body = body };
    }
}

public abstract class APIGatewayHttpApiV2ProxyFunction<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.PublicConstructors)] TStartup> : APIGatewayHttpApiV2ProxyFunction
    where TStartup : class
{
    protected APIGatewayHttpApiV2ProxyFunction()
    {
    }

    protected APIGatewayHttpApiV2ProxyFunction(StartupMode startupMode)
        : base(startupMode)
    {
    }

    protected override void Init(IWebHostBuilder builder) => builder.UseStartup<TStartup>();
}

public abstract class ApplicationLoadBalancerFunction : AbstractAspNetCoreFunction<ApplicationLoadBalancerRequest, ApplicationLoadBalancerResponse>
{
    protected ApplicationLoadBalancerFunction()
    {
    }

    protected ApplicationLoadBalancerFunction(StartupMode startupMode)
        : base(startupMode)
    {
    }

    protected ApplicationLoadBalancerFunction(IServiceProvider hostedServices)
        : base(hostedServices)
    {
    }

    private protected override async Task<ApplicationLoadBalancerResponse> ProcessAsync(TestServer server, ApplicationLoadBalancerRequest request, ILambdaContext lambdaContext)
    {
        var headers = request.MultiValueHeaders?.ToDictionary(h => h.Key, h => string.Join(',', h.Value)) ?? request.Headers;
        var (status, body) = await TestServerMarshalling.ProcessAsync(server, request.HttpMethod ?? "GET", request.Path ?? "/", headers, request.Body, request, lambdaContext).ConfigureAwait(false);
        return new ApplicationLoadBalancerResponse { StatusCode = status, Body = body };
    }
}

public abstract class ApplicationLoadBalancerFunction<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.PublicConstructors)] TStartup> : ApplicationLoadBalancerFunction
    where TStartup : class
{
    protected ApplicationLoadBalancerFunction()
    {
    }

    protected ApplicationLoadBalancerFunction(StartupMode startupMode)
        : base(startupMode)
    {
    }

    protected override void Init(IWebHostBuilder builder) => builder.UseStartup<TStartup>();
}
