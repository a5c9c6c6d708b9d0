// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using System.Text;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using Datadog.Otel.Lambda.ExtensionEmulator;
using Datadog.Otel.Lambda.TestSupport;
using LocalDemo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

// The local demo, the whole story in one run: an API Gateway request with upstream Datadog headers (a browser traced by
// RUM) invokes function A (order-api), which calls an inventory service with HttpClient and queues the order on SQS
// with the AWS SDK; the message triggers function B (fulfillment), which logs a line. Each function runs as Lambda runs
// it: in its own process, started by its first invocation (a real cold start), polling its own Runtime API, and sending
// its spans to its own extension (the extension emulator, with the function's DD_SERVICE). This process plays Lambda
// and its SQS poller and is not traced itself. SQS is the fauxqs emulator (npm, installed when the demo is built), and
// the SQS event for B is built from the received message as Lambda builds it. The extensions' spans are joined into
// traces as Datadog's backend joins them, printed, and drawn in an HTML trace view.
if (args is [FunctionHost.Argument, var function])
{
    return await FunctionHost.RunAsync(function);
}

Console.WriteLine("Datadog.Otel.Lambda local demo");
Console.WriteLine();

var htmlReport = RepositoryPaths.Combine("artifacts", "local-demo-traces.html");
await using var inventory = await StartInventoryServiceAsync();
var inventoryUri = new Uri(inventory.Urls.First() + "/");
Console.WriteLine($"Inventory service on {inventoryUri}");

Console.WriteLine("Starting the SQS emulator (fauxqs, installed by npm when the demo was built)...");
await using var aws = await NpmAwsEmulators.StartAsync(dynamoDb: false);
using var poller = new AmazonSQSClient(new BasicAWSCredentials("demo", "demo"), new AmazonSQSConfig { ServiceURL = aws.Fauxqs.ToString(), AuthenticationRegion = "us-east-1" });
var queueUrl = (await poller.CreateQueueAsync("orders")).QueueUrl;
Console.WriteLine($"SQS queue {queueUrl}");

await using var orderApi = await LambdaSandbox.CreateAsync("order-api", new Dictionary<string, string>
{
    ["DEMO_INVENTORY_URL"] = inventoryUri.AbsoluteUri,
    ["DEMO_SQS_URL"] = aws.Fauxqs.AbsoluteUri,
    ["DEMO_ORDERS_QUEUE_URL"] = queueUrl,
});
await using var fulfillment = await LambdaSandbox.CreateAsync("fulfillment", new Dictionary<string, string>());
foreach (var sandbox in new[] { orderApi, fulfillment })
{
    Console.WriteLine($"Function {sandbox.FunctionName}: its own process, Runtime API and extension (emulator) on {sandbox.Extension.TracesEndpoint}");
}

Console.WriteLine();

var invocations = new (string RequestId, string Title, string Body)[]
{
    ("req-cold", "cold start: the first order", "{\"item\":\"book\"}"),
    ("req-warm", "warm invocation: a second order", "{\"item\":\"lamp\"}"),
    ("req-error", "a handler error: an order without an item", "{}"),
};

var connected = 0;
foreach (var (requestId, title, body) in invocations)
{
    var result = await orderApi.InvokeAsync(ApiGatewayEvent(body), requestId);
    var outcome = result.IsError ? "error " + result.Body : "response " + result.Body;
    Console.WriteLine($"── {title} ({requestId}): {outcome}");

    // Lambda's SQS poller (this process, untraced: its work is Lambda's, not the function's): receive what A sent
    // and invoke B with it.
    var received = await poller.ReceiveMessageAsync(new ReceiveMessageRequest(queueUrl) { MessageAttributeNames = ["All"], MessageSystemAttributeNames = ["All"], WaitTimeSeconds = 0, MaxNumberOfMessages = 10 });
    var fulfillmentRequest = requestId + "-fulfillment";
    if (received.Messages is { Count: > 0 } messages)
    {
        using var sqsEvent = SqsLambdaEvent.From(messages, "arn:aws:sqs:us-east-1:123456789012:orders");
        await fulfillment.InvokeAsync(Encoding.UTF8.GetString(sqsEvent.ToArray()), fulfillmentRequest);
        foreach (var message in messages)
        {
            await poller.DeleteMessageAsync(queueUrl, message.ReceiptHandle);
        }
    }

    // Both functions exported before they responded: the trace is complete, joined across the two extensions.
    var trace = Traces().First(t => t.Spans.Any(s => s.Name == "aws.lambda" && s.GetMeta("request_id") == requestId));
    Console.WriteLine(TraceRenderer.RenderWaterfall(trace));
    if (trace.Spans.Any(s => s.Name == "aws.lambda" && s.GetMeta("request_id") == fulfillmentRequest))
    {
        connected++;
    }
}

var traces = Traces();
var written = TraceHtmlRenderer.WriteHtml(htmlReport, traces, "Datadog.Otel.Lambda local demo");
var requests = orderApi.Extension.Requests.Count + fulfillment.Extension.Requests.Count;
Console.WriteLine($"{requests} OTLP requests; the extensions received {orderApi.Extension.Spans.Count} spans from order-api and {fulfillment.Extension.Spans.Count} from fulfillment.");
Console.WriteLine($"{connected} orders traced from the API request to fulfillment in one trace.");
Console.WriteLine($"Trace view: {traces.Count} traces, {traces.Sum(t => t.Spans.Count)} spans: {new Uri(written).AbsoluteUri}");
return connected == 2 ? 0 : 1;

// Datadog joins the spans that each function's extension sends into traces by trace id.
IReadOnlyList<DatadogTrace> Traces() => DatadogTrace.Group(orderApi.Extension.Spans.Concat(fulfillment.Extension.Spans));

// Each request comes from its own browser session: its own upstream trace (RUM) and parent span.
static string ApiGatewayEvent(string body)
{
    var upstreamTrace = System.Security.Cryptography.RandomNumberGenerator.GetInt32(1, int.MaxValue).ToString(CultureInfo.InvariantCulture) + "0001";
    var upstreamParent = System.Security.Cryptography.RandomNumberGenerator.GetInt32(1, int.MaxValue).ToString(CultureInfo.InvariantCulture);
    // API Gateway received the request a moment before Lambda starts or wakes the function for it.
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
    return json;
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
