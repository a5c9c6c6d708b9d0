// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using System.Text;
using Datadog.Otel.Lambda;
using Datadog.Otel.Lambda.ExtensionEmulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using OrderApi;

// The local demo: an API Gateway request with upstream Datadog headers goes through a traced function that calls a
// downstream service; the spans go over OTLP to the extension emulator, which prints what Datadog would show.
Console.WriteLine("Datadog.Otel.Lambda local demo");
Console.WriteLine();

await using var extension = await ExtensionEmulator.StartAsync(new ExtensionEmulatorOptions { Port = 0, Service = "order-api", Env = "demo" });
Console.WriteLine($"Extension emulator (OTLP receiver) on {extension.TracesEndpoint}");

await using var inventory = await StartInventoryServiceAsync();
var inventoryUri = new Uri(inventory.Urls.First() + "/");
Console.WriteLine($"Inventory service on {inventoryUri}");
Console.WriteLine();

// What Lambda and the function's configuration would set.
Environment.SetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME", "order-api");
Environment.SetEnvironmentVariable("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
Environment.SetEnvironmentVariable("AWS_REGION", "us-east-1");
Environment.SetEnvironmentVariable("DD_SERVICE", "order-api");
Environment.SetEnvironmentVariable("DD_ENV", "demo");

using var function = new OrderApiFunction(inventoryUri, o => o.Endpoint = extension.TracesEndpoint);
var invocations = new (string RequestId, string Title, string Body)[]
{
    ("req-cold", "cold start: the first invocation of the sandbox", "{\"item\":\"book\"}"),
    ("req-warm", "warm invocation", "{\"item\":\"lamp\"}"),
    ("req-error", "a handler error", "{}"),
};

foreach (var (requestId, title, body) in invocations)
{
    var context = new DatadogLambdaContext
    {
        AwsRequestId = requestId,
        InvokedFunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:order-api",
        FunctionName = "order-api",
        MemoryLimitInMB = 512,
        Deadline = DateTimeOffset.UtcNow.AddSeconds(10),
    };

    string outcome;
    try
    {
        var response = await function.HandleAsync(ApiGatewayEvent(body), context);
        outcome = "response " + await new StreamReader(response).ReadToEndAsync();
    }
    catch (ArgumentException ex)
    {
        outcome = "threw " + ex.GetType().Name + ": " + ex.Message;
    }

    // The spans were exported before HandleAsync returned.
    var trace = await extension.WaitForTraceAsync(t => t.Spans.Any(s => s.Name == "aws.lambda" && s.GetMeta("request_id") == requestId), TimeSpan.FromSeconds(10));
    Console.WriteLine($"── {title} ({requestId}): {outcome}");
    Console.WriteLine(TraceRenderer.RenderWaterfall(trace));
}

Console.WriteLine($"{extension.Requests.Count} OTLP requests, {extension.Spans.Count} spans received by the emulator.");
return 0;

static MemoryStream ApiGatewayEvent(string body)
{
    var now = DateTimeOffset.UtcNow.AddMilliseconds(-30).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
    var json = $$"""
        {
          "resource": "/orders", "path": "/orders", "httpMethod": "POST",
          "headers": {
            "Host": "api.example.com", "User-Agent": "demo-client/1.0",
            "x-datadog-trace-id": "4930460624832908817", "x-datadog-parent-id": "1234567890123456789",
            "x-datadog-sampling-priority": "1", "x-datadog-origin": "rum"
          },
          "requestContext": {
            "resourcePath": "/orders", "httpMethod": "POST", "path": "/prod/orders", "stage": "prod",
            "requestId": "{{Guid.NewGuid()}}", "requestTimeEpoch": {{now}}, "apiId": "a1b2c3d4e5",
            "domainName": "api.example.com", "identity": { "userAgent": "demo-client/1.0" }
          },
          "body": {{System.Text.Json.JsonSerializer.Serialize(body, DemoJson.Default.String)}}
        }
        """;
    return new MemoryStream(Encoding.UTF8.GetBytes(json));
}

static async Task<WebApplication> StartInventoryServiceAsync()
{
    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.ClearProviders();
    builder.WebHost.UseUrls("http://127.0.0.1:0");
    var app = builder.Build();
    app.MapGet("/stock/{item}", (string item) => item.Length.ToString(CultureInfo.InvariantCulture));
    await app.StartAsync();
    return app;
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class DemoJson : System.Text.Json.Serialization.JsonSerializerContext
{
}
