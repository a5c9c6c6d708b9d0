// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using Amazon.Lambda.APIGatewayEvents;
using Datadog.Otel.Lambda.AspNetCoreServer.Tests.TestSupport;
using Microsoft.AspNetCore.TestHost;

namespace Datadog.Otel.Lambda.AspNetCoreServer.Tests;

/// <summary>
/// A class-based function (APIGatewayProxyFunction / APIGatewayHttpApiV2ProxyFunction) whose FunctionHandlerAsync
/// override goes through DatadogAspNetCoreLambda.TraceAsync: one trace from the API Gateway inferred span through
/// aws.lambda to the ASP.NET Core request span and the HttpClient call it makes, whatever the upstream headers say and
/// whatever serializer the runtime deserialized the request with.
/// </summary>
[Collection("AspNetCore")]
public class ClassBasedFunctionTests
{
    private const string UpstreamTraceId = "1234567890123456789";
    private const string UpstreamParentId = "9876543210987654321";

    [Theory]
    [MemberData(nameof(FunctionSerializers.All), MemberType = typeof(FunctionSerializers))]
    public async Task RestApiWithUpstreamDatadogHeadersIsOneTraceUnderTheUpstreamSpan(string serializer)
    {
        await using var app = await OrdersApp.StartAsync(b => b.WebHost.UseTestServer());
        var function = new OrdersRestFunction(app.Services);
        var request = FunctionSerializers.Deserialize<APIGatewayProxyRequest>(serializer, LambdaEvents.RestApi("GET", "/orders/17", "/orders/{id}", new Dictionary<string, string>
        {
            ["x-datadog-trace-id"] = UpstreamTraceId,
            ["x-datadog-parent-id"] = UpstreamParentId,
            ["x-datadog-sampling-priority"] = "2",
        }));

        var response = await function.FunctionHandlerAsync(request, new TestLambdaContext("rest-dd"));

        Assert.Equal(200, response.StatusCode);
        Assert.Contains("\"stock\":\"7\"", response.Body, StringComparison.Ordinal);
        var trace = await TraceAssert.InvocationAsync(app.Emulator, "rest-dd");
        var (inferred, lambda, server) = TraceAssert.Chain(app.Emulator, trace, "aws.apigateway");
        Assert.Equal(ulong.Parse(UpstreamTraceId, CultureInfo.InvariantCulture), inferred.TraceId);
        Assert.Equal(ulong.Parse(UpstreamParentId, CultureInfo.InvariantCulture), inferred.ParentId);
        Assert.Equal(2, trace.SamplingPriority);
        Assert.Equal("GET /orders/{id}", inferred.Resource);
        Assert.Equal("/orders/{id}", server.GetMeta("http.route"));
        Assert.Equal(200d, server.GetMetric("http.response.status_code"));
        Assert.Equal("200", lambda.GetMeta("http.status_code"));

        // The HttpClient call from the endpoint, and the downstream service, continue the same trace.
        var client = Assert.Single(trace.Spans, s => s.Name == "http.client.request");
        Assert.Equal(server.SpanId, client.ParentId);
        var downstream = app.DownstreamRequests["17"];
        Assert.Equal(UpstreamTraceId, downstream["x-datadog-trace-id"].ToString());
        Assert.Equal(client.SpanId.ToString(CultureInfo.InvariantCulture), downstream["x-datadog-parent-id"].ToString());
        Assert.Equal("2", downstream["x-datadog-sampling-priority"].ToString());
    }

    [Theory]
    [MemberData(nameof(FunctionSerializers.All), MemberType = typeof(FunctionSerializers))]
    public async Task HttpApiWithUpstreamW3CHeadersIsOneTraceUnderTheUpstreamSpan(string serializer)
    {
        await using var app = await OrdersApp.StartAsync(b => b.WebHost.UseTestServer());
        var function = new OrdersHttpApiFunction(app.Services);
        var request = FunctionSerializers.Deserialize<APIGatewayHttpApiV2ProxyRequest>(serializer, LambdaEvents.HttpApi("GET", "/orders/18", "/orders/{id}", new Dictionary<string, string>
        {
            ["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            ["tracestate"] = "dd=s:2;o:rum,congo=t61rcWkgMzE",
        }));

        var response = await function.FunctionHandlerAsync(request, new TestLambdaContext("http-w3c"));

        Assert.Equal(200, response.StatusCode);
        var trace = await TraceAssert.InvocationAsync(app.Emulator, "http-w3c");
        var (inferred, lambda, server) = TraceAssert.Chain(app.Emulator, trace, "aws.httpapi");
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", inferred.TraceIdHex);
        Assert.Equal(0xb7ad6b7169203331UL, inferred.ParentId);
        Assert.Equal("lambda", lambda.GetMeta("_dd.origin"));
        Assert.Equal(2, trace.SamplingPriority);
        Assert.Equal("200", lambda.GetMeta("http.status_code"));
        Assert.Equal("GET", server.GetMeta("http.request.method") ?? server.GetMeta("http.method"));
        var downstream = app.DownstreamRequests["18"];
        Assert.StartsWith("00-0af7651916cd43dd8448eb211c80319c-", downstream["traceparent"].ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(FunctionSerializers.All), MemberType = typeof(FunctionSerializers))]
    public async Task RequestWithoutTraceHeadersStartsTheTraceAtTheInferredSpan(string serializer)
    {
        await using var app = await OrdersApp.StartAsync(b => b.WebHost.UseTestServer());
        var function = new OrdersRestFunction(app.Services);
        var request = FunctionSerializers.Deserialize<APIGatewayProxyRequest>(serializer, LambdaEvents.RestApi("POST", "/orders", "/orders", body: "{\"sku\":\"a\"}"));

        var response = await function.FunctionHandlerAsync(request, new TestLambdaContext("rest-none"));

        Assert.Equal(201, response.StatusCode);
        var trace = await TraceAssert.InvocationAsync(app.Emulator, "rest-none");
        var (inferred, lambda, _) = TraceAssert.Chain(app.Emulator, trace, "aws.apigateway");
        Assert.Equal(0UL, inferred.ParentId);
        Assert.Equal("201", lambda.GetMeta("http.status_code"));
        Assert.Equal(0, lambda.Error);
    }

    [Theory]
    [MemberData(nameof(FunctionSerializers.All), MemberType = typeof(FunctionSerializers))]
    public async Task ControllerExceptionMarksTheLambdaSpan(string serializer)
    {
        await using var app = await OrdersApp.StartAsync(b => b.WebHost.UseTestServer());
        var function = new OrdersRestFunction(app.Services);
        var request = FunctionSerializers.Deserialize<APIGatewayProxyRequest>(serializer, LambdaEvents.RestApi("GET", "/api/inventory/sku-9", "/api/inventory/{sku}"));

        var response = await function.FunctionHandlerAsync(request, new TestLambdaContext("rest-error"));

        Assert.Equal(500, response.StatusCode);
        var trace = await TraceAssert.InvocationAsync(app.Emulator, "rest-error");
        var (_, lambda, server) = TraceAssert.Chain(app.Emulator, trace, "aws.apigateway");
        Assert.Equal(1, server.Error);
        Assert.Equal(1, lambda.Error);
        Assert.Equal("500", lambda.GetMeta("http.status_code"));
        Assert.Equal("System.InvalidOperationException", lambda.GetMeta("error.type"));
        Assert.Equal("api/inventory/{sku}", server.GetMeta("http.route"));
    }

    [Fact]
    public async Task HandlerResultAndItemsPassThroughUnchanged()
    {
        await using var app = await OrdersApp.StartAsync(b => b.WebHost.UseTestServer());
        var function = new OrdersRestFunction(app.Services);
        var request = FunctionSerializers.Deserialize<APIGatewayProxyRequest>(FunctionSerializers.Default, LambdaEvents.RestApi("GET", "/lambda-items", "/lambda-items"));

        var response = await function.FunctionHandlerAsync(request, new TestLambdaContext("rest-items"));

        Assert.Equal(200, response.StatusCode);
        Assert.Contains("\"requestId\":\"rest-items\"", response.Body, StringComparison.Ordinal);
        Assert.Contains("\"request\":\"APIGatewayProxyRequest\"", response.Body, StringComparison.Ordinal);
    }
}

[CollectionDefinition("AspNetCore", DisableParallelization = true)]
public sealed class AspNetCoreCollection
{
}
