// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.Core;
using Datadog.Otel.Lambda.AspNetCoreServer.Tests.TestSupport;
using Microsoft.AspNetCore.TestHost;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.AspNetCoreServer.Tests;

/// <summary>Requests the integration does not expect still reach the application unchanged, traced as far as possible.</summary>
[Collection("AspNetCore")]
public class BadInputTests
{
    [Fact]
    public async Task RequestThatDidNotComeThroughLambdaIsServedAndTracedAsAPlainRequest()
    {
        await using var app = await OrdersApp.StartAsync(b => b.WebHost.UseTestServer());
        using var client = app.App.GetTestClient();

        var body = await client.GetStringAsync(new Uri("/lambda-items", UriKind.Relative));

        Assert.Equal("{\"requestId\":null,\"request\":null}", body);
        Assert.True(app.Tracing.ForceFlush(10_000));
        var server = await app.Emulator.WaitForSpansAsync(TraceAssert.IsAspNetCoreRequest, 1, TraceAssert.Wait);
        Assert.Equal(0UL, Assert.Single(server).ParentId);
        Assert.DoesNotContain(app.Emulator.Spans, s => s.Name == "aws.lambda");
    }

    [Fact]
    public async Task RequestWithoutHeadersIsTraced()
    {
        await using var app = await OrdersApp.StartAsync(b => b.WebHost.UseTestServer());
        var function = new OrdersRestFunction(app.Services);
        var request = OrdersRestFunction.Serializer.Deserialize<APIGatewayProxyRequest>(LambdaEvents.RestApi("GET", "/orders/3", "/orders/{id}"));
        request.Headers = null;
        request.MultiValueHeaders = null;

        var response = await function.FunctionHandlerAsync(request, new TestLambdaContext("no-headers"));

        Assert.Equal(200, response.StatusCode);
        var trace = await TraceAssert.InvocationAsync(app.Emulator, "no-headers");
        TraceAssert.Chain(app.Emulator, trace, "aws.apigateway");
    }

    [Fact]
    public async Task SerializerThatFailsLeavesTheInvocationUntracedButServed()
    {
        await using var app = await OrdersApp.StartAsync(b => b.WebHost.UseTestServer());
        var function = new FailingSerializerFunction(app.Services);
        var request = OrdersRestFunction.Serializer.Deserialize<APIGatewayProxyRequest>(LambdaEvents.RestApi("GET", "/orders/4", "/orders/{id}"));

        var response = await function.FunctionHandlerAsync(request, new TestLambdaContext("bad-serializer"));

        Assert.Equal(200, response.StatusCode);
        Assert.Contains("\"id\":\"4\"", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandlerExceptionPassesThroughUnchangedAndMarksTheLambdaSpan()
    {
        await using var app = await OrdersApp.StartAsync(b => b.WebHost.UseTestServer());
        var failure = new TimeoutException("downstream gave up");
        var request = OrdersRestFunction.Serializer.Deserialize<APIGatewayProxyRequest>(LambdaEvents.RestApi("GET", "/orders/5", "/orders/{id}"));

        var thrown = await Assert.ThrowsAsync<TimeoutException>(() => DatadogAspNetCoreLambda.TraceAsync(
            request,
            new TestLambdaContext("handler-throws"),
            OrdersRestFunction.Serializer,
            (_, _) => Task.FromException<APIGatewayProxyResponse>(failure)));

        Assert.Same(failure, thrown);
        var lambda = Assert.Single(await app.Emulator.WaitForSpansAsync(s => s.Name == "aws.lambda", 1, TraceAssert.Wait));
        Assert.Equal(1, lambda.Error);
        Assert.Equal("System.TimeoutException", lambda.GetMeta("error.type"));
    }

    private sealed class FailingSerializerFunction(IServiceProvider services) : Amazon.Lambda.AspNetCoreServer.APIGatewayProxyFunction(services)
    {
        public override Task<APIGatewayProxyResponse> FunctionHandlerAsync(APIGatewayProxyRequest request, ILambdaContext lambdaContext) =>
            DatadogAspNetCoreLambda.TraceAsync(request, lambdaContext, new FailingSerializer(), base.FunctionHandlerAsync);
    }

    private sealed class FailingSerializer : ILambdaSerializer
    {
        public T Deserialize<T>(Stream requestStream) => throw new NotSupportedException("no");

        public void Serialize<T>(T response, Stream responseStream) => throw new NotSupportedException("no");
    }
}
