// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using System.Text;
using Datadog.Otel.Lambda;
using Datadog.Otel.Lambda.ExtensionEmulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using Datadog.Otel.Lambda.TestSupport;
using Microsoft.Extensions.Logging;
using OrderApi;

// The local demo, the whole story in one run: an API Gateway request with upstream Datadog headers (a browser traced by
// RUM) invokes function A (order-api), which calls an inventory service with HttpClient and queues the order on SQS
// with the AWS SDK; the message triggers function B (fulfillment), which logs a line. Everything is real except AWS:
// the spans go over OTLP to the extension emulator, SQS is the fauxqs emulator (npm, installed on first run), and the
// SQS event for B is built from the message as Lambda builds it. The emulator prints what Datadog would show and writes
// an HTML waterfall and flame graph of each trace.
Console.WriteLine("Datadog.Otel.Lambda local demo");
Console.WriteLine();

var htmlReport = RepositoryPaths.Combine("artifacts", "local-demo-traces.html");
await using var extension = await ExtensionEmulator.StartAsync(new ExtensionEmulatorOptions { Port = 0, Service = "order-api", Env = "demo", HtmlReportPath = htmlReport });
Console.WriteLine($"Extension emulator (OTLP receiver) on {extension.TracesEndpoint}");

await using var inventory = await StartInventoryServiceAsync();
var inventoryUri = new Uri(inventory.Urls.First() + "/");
Console.WriteLine($"Inventory service on {inventoryUri}");

Console.WriteLine("Starting the SQS emulator (fauxqs, installed by npm when the demo was built)...");
await using var aws = await NpmAwsEmulators.StartAsync(dynamoDb: false);
var credentials = new BasicAWSCredentials("demo", "demo");
AmazonSQSClient NewSqsClient() => new(credentials, new AmazonSQSConfig { ServiceURL = aws.Fauxqs.ToString(), AuthenticationRegion = "us-east-1" });
using var demoSqs = NewSqsClient();
var queueUrl = (await demoSqs.CreateQueueAsync("orders")).QueueUrl;
Console.WriteLine($"SQS queue {queueUrl}");
Console.WriteLine();

// What Lambda and the functions' configuration would set.
Environment.SetEnvironmentVariable("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
Environment.SetEnvironmentVariable("AWS_REGION", "us-east-1");
Environment.SetEnvironmentVariable("DD_ENV", "demo");

using var orderApi = new OrderApiFunction(inventoryUri, (NewSqsClient, queueUrl), o =>
{
    o.Endpoint = extension.TracesEndpoint;
    o.ServiceName = "order-api";
});
using var fulfillment = new FulfillmentFunction(o =>
{
    o.Endpoint = extension.TracesEndpoint;
    o.ServiceName = "fulfillment";
});

var invocations = new (string RequestId, string Title, string Body)[]
{
    ("req-cold", "cold start: the first order", "{\"item\":\"book\"}"),
    ("req-warm", "warm invocation: a second order", "{\"item\":\"lamp\"}"),
    ("req-error", "a handler error: an order without an item", "{}"),
};

var connected = 0;
foreach (var (requestId, title, body) in invocations)
{
    string outcome;
    try
    {
        var response = await orderApi.HandleAsync(ApiGatewayEvent(body), Context(requestId, "order-api"));
        outcome = "response " + await new StreamReader(response).ReadToEndAsync();
    }
    catch (ArgumentException ex)
    {
        outcome = "threw " + ex.GetType().Name + ": " + ex.Message;
    }

    Console.WriteLine($"── {title} ({requestId}): {outcome}");

    // Lambda's SQS poller: receive what A sent and invoke B with it.
    var received = await demoSqs.ReceiveMessageAsync(new ReceiveMessageRequest(queueUrl) { MessageAttributeNames = ["All"], MessageSystemAttributeNames = ["All"], WaitTimeSeconds = 0, MaxNumberOfMessages = 10 });
    if (received.Messages is { Count: > 0 } messages)
    {
        var fulfillmentRequest = requestId + "-fulfillment";
        await fulfillment.HandleAsync(SqsLambdaEvent.From(messages, "arn:aws:sqs:us-east-1:123456789012:orders"), Context(fulfillmentRequest, "fulfillment"));
        foreach (var message in messages)
        {
            await demoSqs.DeleteMessageAsync(queueUrl, message.ReceiptHandle);
        }

        // Both functions exported before returning: the trace is complete now.
        var trace = await extension.WaitForTraceAsync(t => t.Spans.Any(s => s.GetMeta("request_id") == requestId) && t.Spans.Any(s => s.GetMeta("request_id") == fulfillmentRequest), TimeSpan.FromSeconds(10));
        Console.WriteLine(TraceRenderer.RenderWaterfall(trace));
        connected++;
    }
    else
    {
        var trace = await extension.WaitForTraceAsync(t => t.Spans.Any(s => s.Name == "aws.lambda" && s.GetMeta("request_id") == requestId), TimeSpan.FromSeconds(10));
        Console.WriteLine(TraceRenderer.RenderWaterfall(trace));
    }
}

Console.WriteLine($"{extension.Requests.Count} OTLP requests, {extension.Spans.Count} spans received by the emulator; {connected} orders traced from the API request to fulfillment in one trace.");
return connected == 2 ? 0 : 1;

static DatadogLambdaContext Context(string requestId, string function) => new()
{
    AwsRequestId = requestId,
    InvokedFunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:" + function,
    FunctionName = function,
    MemoryLimitInMB = 512,
    Deadline = DateTimeOffset.UtcNow.AddSeconds(10),
};

// Each request comes from its own browser session: its own upstream trace (RUM) and parent span.
static MemoryStream ApiGatewayEvent(string body)
{
    var upstreamTrace = System.Security.Cryptography.RandomNumberGenerator.GetInt32(1, int.MaxValue).ToString(CultureInfo.InvariantCulture) + "0001";
    var upstreamParent = System.Security.Cryptography.RandomNumberGenerator.GetInt32(1, int.MaxValue).ToString(CultureInfo.InvariantCulture);
    var now = DateTimeOffset.UtcNow.AddMilliseconds(-30).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
    var json = $$"""
        {
          "resource": "/orders", "path": "/orders", "httpMethod": "POST",
          "headers": {
            "Host": "api.example.com", "User-Agent": "demo-client/1.0",
            "x-datadog-trace-id": "{{upstreamTrace}}", "x-datadog-parent-id": "{{upstreamParent}}",
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
