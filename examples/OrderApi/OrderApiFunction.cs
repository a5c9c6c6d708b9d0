// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text.Json;
using Datadog.Otel.Lambda;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace OrderApi;

/// <summary>
/// An API Gateway (REST) function traced with Datadog.Otel.Lambda. In Lambda, the entry point is
/// <c>public Task&lt;Stream&gt; Handler(Stream evt, ILambdaContext ctx) =&gt; function.HandleAsync(evt, ctx.ToDatadog());</c>
/// (<c>ToDatadog()</c> is the source file the package adds to your project).
/// </summary>
public sealed class OrderApiFunction : IDisposable
{
    private static readonly ActivitySource Source = new("OrderApi");

    private readonly HttpClient http;

    public OrderApiFunction(Uri? inventoryService = null, Action<DatadogLambdaOptions>? configure = null)
    {
        // Built once per sandbox, during init.
        this.Tracing = Sdk.CreateTracerProviderBuilder()
            .AddDatadogLambda(configure)
            .AddHttpClientInstrumentation()
            .AddSource(Source.Name)
            .Build()!;
        this.http = new HttpClient { BaseAddress = inventoryService };
    }

    public TracerProvider Tracing { get; }

    /// <summary>The Lambda handler: the raw API Gateway event in, the API Gateway response out.</summary>
    public Task<Stream> HandleAsync(Stream apiGatewayEvent, DatadogLambdaContext context) =>
        DatadogLambda.TraceAsync(this.Tracing, apiGatewayEvent, context, this.HandleOrderAsync);

    public void Dispose()
    {
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
