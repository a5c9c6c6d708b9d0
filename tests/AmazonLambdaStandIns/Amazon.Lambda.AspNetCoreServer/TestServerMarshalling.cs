// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0
//
// What Amazon.Lambda.AspNetCoreServer's function classes do with a request (AbstractAspNetCoreFunction.ProcessRequest
// at 831492165a694825e0e762d68ec74f3e36b628c0), played with ASP.NET Core's TestServer: the Lambda request becomes an
// HttpContext (method, path, headers, body, and the Items LambdaContext and LambdaRequestObject), the pipeline runs in the
// invocation's async flow, the request has ended (its span stopped) before the Lambda response is returned, as the
// real package disposes the hosting context first, an unhandled exception becomes a 500 response (the real package logs
// it, answers 500 and disposes the context with the exception), and the response becomes the Lambda response.
using System.Diagnostics;
using System.Text;
using Amazon.Lambda.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.TestHost;

namespace Amazon.Lambda.AspNetCoreServer.Internal;

internal static class TestServerMarshalling
{
    public static async Task<(int Status, string Body)> ProcessAsync(TestServer server, string method, string path, IDictionary<string, string> headers, string body, object request, ILambdaContext lambdaContext)
    {
        server.PreserveExecutionContext = true;
        HttpContext sent = null;
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

                http.Items[AbstractAspNetCoreFunction.LAMBDA_CONTEXT] = lambdaContext;
                http.Items[AbstractAspNetCoreFunction.LAMBDA_REQUEST_OBJECT] = request;
            }).ConfigureAwait(false);
            await RequestEndedAsync(context).ConfigureAwait(false);
            using var reader = new StreamReader(context.Response.Body);
            return (context.Response.StatusCode, await reader.ReadToEndAsync().ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await RequestEndedAsync(sent).ConfigureAwait(false);
            return (StatusCodes.Status500InternalServerError, string.Empty);
        }
    }

    /// <summary>
    /// The real package ends the request (and its span, with the exception if any) before it answers: it disposes the
    /// hosting context, then returns the response. TestServer hands the response or the exception to the caller first
    /// and may end the request on another thread afterwards: wait for the request activity to stop.
    /// </summary>
    private static async Task RequestEndedAsync(HttpContext http)
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
            await stopped.Task.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
    }
}
