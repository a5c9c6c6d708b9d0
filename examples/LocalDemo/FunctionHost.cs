// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.SQS;
using Datadog.Otel.Lambda;
using OrderApi;

namespace LocalDemo;

/// <summary>
/// One function's sandbox process, as Lambda runs it: initialization (the function's constructor builds its tracer
/// provider), then the Runtime API loop at <c>AWS_LAMBDA_RUNTIME_API</c>: get the next event, run the handler, post its
/// response or error. What Amazon.Lambda.RuntimeSupport does in a deployed function; that package is not in this
/// repository's package registry, so the loop speaks the Runtime API itself. It ends when the Runtime API goes away.
/// </summary>
internal static class FunctionHost
{
    public const string Argument = "--function";

    public static async Task<int> RunAsync(string function)
    {
        var api = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API")
            ?? throw new InvalidOperationException("AWS_LAMBDA_RUNTIME_API is not set");
        using var runtime = new HttpClient { BaseAddress = new Uri($"http://{api}/2018-06-01/runtime/"), Timeout = Timeout.InfiniteTimeSpan };
        switch (function)
        {
            case "order-api":
            {
                var sqs = new Uri(Environment.GetEnvironmentVariable("DEMO_SQS_URL")!);
                var queueUrl = Environment.GetEnvironmentVariable("DEMO_ORDERS_QUEUE_URL")!;
                var inventory = new Uri(Environment.GetEnvironmentVariable("DEMO_INVENTORY_URL")!);
                var credentials = new BasicAWSCredentials("demo", "demo");
                using var orderApi = new OrderApiFunction(inventory, (() => new AmazonSQSClient(credentials, new AmazonSQSConfig { ServiceURL = sqs.ToString(), AuthenticationRegion = "us-east-1" }), queueUrl));
                await LoopAsync(runtime, async (evt, ctx) =>
                {
                    await using var response = await orderApi.HandleAsync(evt, ctx);
                    using var copy = new MemoryStream();
                    await response.CopyToAsync(copy);
                    return copy.ToArray();
                });
                return 0;
            }

            case "fulfillment":
            {
                using var fulfillment = new FulfillmentFunction();
                await LoopAsync(runtime, async (evt, ctx) => Encoding.UTF8.GetBytes((await fulfillment.HandleAsync(evt, ctx)).ToString(CultureInfo.InvariantCulture)));
                return 0;
            }

            default:
                await Console.Error.WriteLineAsync("unknown function " + function);
                return 2;
        }
    }

    private static async Task LoopAsync(HttpClient runtime, Func<Stream, DatadogLambdaContext, Task<byte[]>> handler)
    {
        while (true)
        {
            HttpResponseMessage next;
            try
            {
                next = await runtime.GetAsync("invocation/next", HttpCompletionOption.ResponseHeadersRead);
            }
            catch (HttpRequestException)
            {
                return; // the sandbox is shut down
            }

            using (next)
            {
                if (!next.IsSuccessStatusCode)
                {
                    return;
                }

                var requestId = Header(next.Headers, "Lambda-Runtime-Aws-Request-Id") ?? throw new InvalidOperationException("no request id");
                var context = new DatadogLambdaContext
                {
                    AwsRequestId = requestId,
                    InvokedFunctionArn = Header(next.Headers, "Lambda-Runtime-Invoked-Function-Arn"),
                    FunctionName = Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME"),
                    FunctionVersion = Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_VERSION"),
                    MemoryLimitInMB = int.TryParse(Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"), out var memory) ? memory : 0,
                    Deadline = long.TryParse(Header(next.Headers, "Lambda-Runtime-Deadline-Ms"), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
                        ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
                        : DateTimeOffset.UtcNow.AddSeconds(30),
                    XRayTraceHeader = Header(next.Headers, "Lambda-Runtime-Trace-Id"),
                };

                // The whole event in memory, as Amazon.Lambda.RuntimeSupport hands it to a handler: a seekable stream.
                using var body = new MemoryStream(await next.Content.ReadAsByteArrayAsync());
                HttpContent posted;
                string path;
                try
                {
                    posted = new ByteArrayContent(await handler(body, context));
                    path = $"invocation/{requestId}/response";
                }
                catch (Exception ex)
                {
                    posted = new StringContent(JsonSerializer.Serialize(new LambdaError(ex.GetType().Name, ex.Message), FunctionHostJson.Default.LambdaError));
                    path = $"invocation/{requestId}/error";
                }

                using (posted)
                using (var acknowledged = await runtime.PostAsync(path, posted))
                {
                    acknowledged.EnsureSuccessStatusCode();
                }
            }
        }
    }

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}

/// <summary>The error object a runtime posts to <c>/invocation/{id}/error</c>.</summary>
internal sealed record LambdaError(string ErrorType, string ErrorMessage);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(LambdaError))]
internal sealed partial class FunctionHostJson : System.Text.Json.Serialization.JsonSerializerContext;
