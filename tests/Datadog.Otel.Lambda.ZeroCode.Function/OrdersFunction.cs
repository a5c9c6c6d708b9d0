// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.Core;
using Amazon.Lambda.Serialization.SystemTextJson;
using Datadog.Otel.Lambda;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace ZeroCodeFunction;

/// <summary>
/// An API Gateway function with no tracing code: a span of its own (ActivitySource <see cref="SourceName"/>, which the
/// redirect's provider listens to through ConfigureTracing), an HttpClient call to the inventory service named by
/// <c>ORDERS_INVENTORY_URL</c> (when set), and an error for any path under <c>/fail</c>.
/// </summary>
public class OrdersFunction
{
    public const string SourceName = "ZeroCode.Orders";

    private static readonly ActivitySource Source = new(SourceName);
    private static readonly HttpClient Http = new();

    public async Task<APIGatewayProxyResponse> HandleAsync(APIGatewayProxyRequest request, ILambdaContext context)
    {
        using (var lookup = Source.StartActivity("orders.lookup"))
        {
            lookup?.SetTag("orders.path", request.Path);
            if (Environment.GetEnvironmentVariable("ORDERS_INVENTORY_URL") is { Length: > 0 } inventory)
            {
                using var response = await Http.GetAsync(new Uri(inventory)).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
            }
        }

        if (request.Path?.StartsWith("/fail", StringComparison.Ordinal) == true)
        {
            throw new InvalidOperationException("order " + request.Path + " failed");
        }

        return new APIGatewayProxyResponse { StatusCode = 201, Body = "{\"order\":\"" + request.Path + "\",\"requestId\":\"" + context.AwsRequestId + "\"}" };
    }
}

/// <summary>
/// The same function wrapped in code, as the README's quick start does it: a provider built once with what the
/// redirect builds, and a Stream handler around the same code, reading and writing with the same serializer.
/// </summary>
public class InCodeOrdersFunction
{
    private static readonly TracerProvider Tracing = Sdk.CreateTracerProviderBuilder()
        .AddDatadogLambda()
        .AddHttpClientInstrumentation()
        .AddDatadogAwsSdkInstrumentation()
        .AddSource(OrdersFunction.SourceName)
        .Build()!;

    private static readonly DefaultLambdaJsonSerializer Json = new();
    private readonly OrdersFunction orders = new();

    public Task<Stream> Handler(Stream input, ILambdaContext context) =>
        DatadogLambda.TraceAsync(Tracing, input, context.ToDatadog(), async (@event, _) =>
        {
            var response = await this.orders.HandleAsync(Json.Deserialize<APIGatewayProxyRequest>(@event), context).ConfigureAwait(false);
            var output = new MemoryStream();
            Json.Serialize(response, output);
            output.Position = 0;
            return (Stream)output;
        });
}
