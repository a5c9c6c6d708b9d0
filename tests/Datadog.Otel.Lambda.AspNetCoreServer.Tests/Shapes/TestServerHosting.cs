// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.ApplicationLoadBalancerEvents;
using Amazon.Lambda.AspNetCoreServer.Hosting.Internal;
using Amazon.Lambda.Core;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Datadog.Otel.Lambda.AspNetCoreServer.Tests;

/// <summary>
/// What Amazon.Lambda.AspNetCoreServer's function classes do with a request, played with ASP.NET Core's TestServer: the
/// Lambda request becomes an HttpContext (method, path, headers, body, and the Items the package sets:
/// <c>LambdaContext</c>, <c>LambdaRequestObject</c>), the pipeline runs in the invocation's async flow, an unhandled
/// exception becomes a 500 response (the package logs it and answers 500), and the response becomes the Lambda response.
/// </summary>
internal static class TestServerHosting
{
    public const string LambdaContextKey = "LambdaContext";
    public const string LambdaRequestObjectKey = "LambdaRequestObject";

    public static async Task<APIGatewayProxyResponse> ProcessRestApiAsync(IServiceProvider services, APIGatewayProxyRequest request, ILambdaContext lambdaContext)
    {
        var headers = request.MultiValueHeaders?.ToDictionary(h => h.Key, h => string.Join(',', h.Value)) ?? request.Headers;
        var (status, body) = await ProcessAsync(services, request.HttpMethod ?? "GET", request.Path ?? "/", headers, request.Body, request, lambdaContext);
        return new APIGatewayProxyResponse { StatusCode = status, Body = body };
    }

    public static async Task<APIGatewayHttpApiV2ProxyResponse> ProcessHttpApiAsync(IServiceProvider services, APIGatewayHttpApiV2ProxyRequest request, ILambdaContext lambdaContext)
    {
        var (status, body) = await ProcessAsync(services, request.RequestContext?.Http?.Method ?? "GET", request.RawPath ?? "/", request.Headers, request.Body, request, lambdaContext);
        return new APIGatewayHttpApiV2ProxyResponse { StatusCode = status, Body = body };
    }

    public static async Task<ApplicationLoadBalancerResponse> ProcessAlbAsync(IServiceProvider services, ApplicationLoadBalancerRequest request, ILambdaContext lambdaContext)
    {
        var headers = request.MultiValueHeaders?.ToDictionary(h => h.Key, h => string.Join(',', h.Value)) ?? request.Headers;
        var (status, body) = await ProcessAsync(services, request.HttpMethod ?? "GET", request.Path ?? "/", headers, request.Body, request, lambdaContext);
        return new ApplicationLoadBalancerResponse { StatusCode = status, Body = body };
    }

    /// <summary>The server running the application: the Lambda hosting server, or a TestServer for a class-based function.</summary>
    private static TestServer ServerOf(IServiceProvider services) => services.GetRequiredService<IServer>() switch
    {
        LambdaRuntimeSupportServer lambda => lambda.Application,
        TestServer test => test,
        var other => throw new InvalidOperationException("Unexpected server " + other.GetType()),
    };

    private static async Task<(int Status, string Body)> ProcessAsync(IServiceProvider services, string method, string path, IDictionary<string, string>? headers, string? body, object request, ILambdaContext lambdaContext)
    {
        var server = ServerOf(services);
        server.PreserveExecutionContext = true;
        HttpContext? sent = null;
        try
        {
            var context = await server.SendAsync(http =>
            {
                sent = http;
                http.Request.Method = method;
                http.Request.Path = path;
                foreach (var header in headers ?? new Dictionary<string, string>())
                {
                    http.Request.Headers[header.Key] = header.Value;
                }

                if (body is not null)
                {
                    http.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
                }

                http.Items[LambdaContextKey] = lambdaContext;
                http.Items[LambdaRequestObjectKey] = request;
            });
            return (context.Response.StatusCode, await new StreamReader(context.Response.Body).ReadToEndAsync());
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await RequestEndedAsync(sent);
            return (StatusCodes.Status500InternalServerError, string.Empty);
        }
    }

    /// <summary>
    /// The hosting package ends the request (and its span, with the exception) before it answers. TestServer hands the
    /// exception to the caller first and ends the request on another thread: wait for the request span to stop.
    /// </summary>
    private static async Task RequestEndedAsync(HttpContext? http)
    {
        if (http?.Features.Get<IHttpActivityFeature>()?.Activity is not { } request)
        {
            return;
        }

        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Added after the tracer provider's listener, so it hears the stop after the provider's processors ran.
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == request.Source.Name,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.None,
            ActivityStopped = activity =>
            {
                if (ReferenceEquals(activity, request))
                {
                    stopped.TrySetResult();
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        if (!request.IsStopped)
        {
            await stopped.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}
