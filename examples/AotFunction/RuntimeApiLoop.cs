// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Datadog.Otel.Lambda;

namespace AotFunction;

/// <summary>
/// The Lambda Runtime API loop of a custom runtime (what Amazon.Lambda.RuntimeSupport's LambdaBootstrap does): get the
/// next event, run the handler, post its response or error. Kept minimal: one invocation at a time.
/// </summary>
internal static class RuntimeApiLoop
{
    public static async Task RunAsync<TResult>(Func<Stream, DatadogLambdaContext, Task<TResult>> handler, JsonTypeInfo<TResult> resultType, int maxInvocations)
    {
        var api = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API")
            ?? throw new InvalidOperationException("AWS_LAMBDA_RUNTIME_API is not set: run this inside Lambda or against a Runtime API emulator.");
        using var http = new HttpClient { BaseAddress = new Uri($"http://{api}/2018-06-01/runtime/"), Timeout = Timeout.InfiniteTimeSpan };
        for (var i = 0; i < maxInvocations; i++)
        {
            using var next = await http.GetAsync("invocation/next", HttpCompletionOption.ResponseHeadersRead);
            next.EnsureSuccessStatusCode();
            var headers = next.Headers;
            var requestId = Header(headers, "Lambda-Runtime-Aws-Request-Id") ?? throw new InvalidOperationException("no request id");
            var deadline = long.TryParse(Header(headers, "Lambda-Runtime-Deadline-Ms"), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
                ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
                : DateTimeOffset.UtcNow.AddSeconds(30);
            var context = new DatadogLambdaContext
            {
                AwsRequestId = requestId,
                InvokedFunctionArn = Header(headers, "Lambda-Runtime-Invoked-Function-Arn"),
                FunctionName = Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME"),
                FunctionVersion = Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_VERSION"),
                Deadline = deadline,
                XRayTraceHeader = Header(headers, "Lambda-Runtime-Trace-Id"),
            };

            await using var body = await next.Content.ReadAsStreamAsync();
            HttpContent content;
            string path;
            try
            {
                var result = await handler(body, context);
                content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(result, resultType));
                path = $"invocation/{requestId}/response";
            }
            catch (Exception ex)
            {
                content = new StringContent($"{{\"errorType\":\"{ex.GetType().Name}\",\"errorMessage\":{JsonSerializer.Serialize(ex.Message, FunctionJsonStrings.Default.String)}}}");
                path = $"invocation/{requestId}/error";
            }

            using (content)
            using (var posted = await http.PostAsync(path, content))
            {
                posted.EnsureSuccessStatusCode();
            }
        }
    }

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class FunctionJsonStrings : System.Text.Json.Serialization.JsonSerializerContext;
