// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;
using Datadog.Otel.Lambda;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace OrderApi;

/// <summary>
/// An API Gateway (REST) function traced with Datadog.Otel.Lambda: it validates an order, asks the inventory service for
/// stock (HttpClient, traced) and queues the order on SQS (AWS SDK, traced, with the trace context injected into the
/// message for <see cref="FulfillmentFunction"/>). In Lambda, the entry point is
/// <c>public Task&lt;Stream&gt; Handler(Stream evt, ILambdaContext ctx) =&gt; function.HandleAsync(evt, ctx.ToDatadog());</c>
/// (<c>ToDatadog()</c> is the source file the package adds to your project).
/// </summary>
public sealed class OrderApiFunction : IDisposable
{
    private static readonly ActivitySource Source = new("OrderApi");

    private readonly HttpClient http;
    private readonly Func<IAmazonSQS>? createQueueClient;
    private readonly string? queueUrl;
    private IAmazonSQS? queue;

    /// <param name="inventoryService">The inventory service's base address (none: stock is "unknown").</param>
    /// <param name="orderQueue">The SQS client factory and queue URL for placed orders (none: orders are not queued).</param>
    /// <param name="configure">Options for AddDatadogLambda.</param>
    public OrderApiFunction(Uri? inventoryService = null, (Func<IAmazonSQS> CreateClient, string QueueUrl)? orderQueue = null, Action<DatadogLambdaOptions>? configure = null)
    {
        // Built once per sandbox, during init, before any AWS client: the AWS SDK instrumentation hooks clients as
        // they are created.
        this.Tracing = Sdk.CreateTracerProviderBuilder()
            .AddDatadogLambda(configure)
            .AddDatadogAwsSdkInstrumentation()
            .AddHttpClientInstrumentation()
            .AddSource(Source.Name)
            .Build()!;
        this.http = new HttpClient { BaseAddress = inventoryService };
        this.createQueueClient = orderQueue?.CreateClient;
        this.queueUrl = orderQueue?.QueueUrl;
    }

    public TracerProvider Tracing { get; }

    /// <summary>The Lambda handler: the raw API Gateway event in, the API Gateway response out.</summary>
    public Task<Stream> HandleAsync(Stream apiGatewayEvent, DatadogLambdaContext context) =>
        DatadogLambda.TraceAsync(this.Tracing, apiGatewayEvent, context, this.HandleOrderAsync);

    public void Dispose()
    {
        this.queue?.Dispose();
        this.http.Dispose();
        this.Tracing.Dispose();
    }

    private async Task<Stream> HandleOrderAsync(Stream apiGatewayEvent, DatadogLambdaContext context)
    {
        using var request = await JsonDocument.ParseAsync(apiGatewayEvent);
        var body = request.RootElement.TryGetProperty("body", out var raw) && raw.ValueKind == JsonValueKind.String ? raw.GetString() : null;
        using var order = JsonDocument.Parse(body ?? "{}");
        var item = order.RootElement.TryGetProperty("item", out var value) ? value.GetString() : null;

        using (var validate = Source.StartActivity("validate order"))
        {
            // Datadog's names for your own span, set first: the operation (what kind of work) and the resource (which
            // one). Without them the extension shows an internal span as operation SPAN_KIND_INTERNAL, resource
            // "validate order" (the span's name).
            validate?.SetTag("operation.name", "order.validate");
            validate?.SetTag("resource.name", "POST /orders");
            validate?.SetTag("order.item", item);
            if (string.IsNullOrEmpty(item))
            {
                throw new ArgumentException("The order has no item.");
            }
        }

        var stock = "unknown";
        if (this.http.BaseAddress is not null)
        {
            stock = await this.http.GetStringAsync(new Uri("stock/" + Uri.EscapeDataString(item), UriKind.Relative));
        }

        if (this.createQueueClient is not null)
        {
            this.queue ??= this.createQueueClient();
            var placed = new System.Text.Json.Nodes.JsonObject { ["item"] = item, ["stock"] = stock };
            await this.queue.SendMessageAsync(new SendMessageRequest(this.queueUrl, placed.ToJsonString()));
        }

        var response = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(response, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("statusCode", 201);
            writer.WriteString("body", $"{{\"item\":\"{item}\",\"stock\":\"{stock}\"}}");
            writer.WriteEndObject();
        }

        response.Position = 0;
        return response;
    }
}
