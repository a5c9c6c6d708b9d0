// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Amazon.Lambda.APIGatewayEvents;
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
        var request = FunctionSerializers.Deserialize<APIGatewayProxyRequest>(FunctionSerializers.Default, LambdaEvents.RestApi("GET", "/orders/3", "/orders/{id}"));
        request.Headers = null;
        request.MultiValueHeaders = null;

        var response = await function.FunctionHandlerAsync(request, new TestLambdaContext("no-headers"));

        Assert.Equal(200, response.StatusCode);
        var trace = await TraceAssert.InvocationAsync(app.Emulator, "no-headers");
        TraceAssert.Chain(app.Emulator, trace, "aws.apigateway");
    }

    [Fact]
    public async Task AuthorizerValuesOfAnyTypeAreReadAndTheRequestIsTraced()
    {
        await using var app = await OrdersApp.StartAsync(b => b.WebHost.UseTestServer());
        var function = new OrdersRestFunction(app.Services);
        var request = FunctionSerializers.Deserialize<APIGatewayProxyRequest>(FunctionSerializers.Default, LambdaEvents.RestApi("GET", "/orders/4", "/orders/{id}"));

        // What a function's own code or another serializer (Newtonsoft's JObject, ...) may have put in the context.
        request.RequestContext.Authorizer = new APIGatewayCustomAuthorizerContext
        {
            ["principalId"] = "user-1",
            ["scopes"] = new[] { "a", "b" },
            ["expires"] = DateTimeOffset.UnixEpoch,
            ["nothing"] = null!,
            ["count"] = 3L,
        };

        var response = await function.FunctionHandlerAsync(request, new TestLambdaContext("odd-authorizer"));

        Assert.Equal(200, response.StatusCode);
        Assert.Contains("\"id\":\"4\"", response.Body, StringComparison.Ordinal);
        var trace = await TraceAssert.InvocationAsync(app.Emulator, "odd-authorizer");
        TraceAssert.Chain(app.Emulator, trace, "aws.apigateway");
    }

    [Fact]
    public async Task HandlerExceptionPassesThroughUnchangedAndMarksTheLambdaSpan()
    {
        await using var app = await OrdersApp.StartAsync(b => b.WebHost.UseTestServer());
        var failure = new TimeoutException("downstream gave up");
        var request = FunctionSerializers.Deserialize<APIGatewayProxyRequest>(FunctionSerializers.Default, LambdaEvents.RestApi("GET", "/orders/5", "/orders/{id}"));

        var thrown = await Assert.ThrowsAsync<TimeoutException>(() => DatadogAspNetCoreLambda.TraceAsync(
            request,
            new TestLambdaContext("handler-throws"),
            (_, _) => Task.FromException<APIGatewayProxyResponse>(failure)));

        Assert.Same(failure, thrown);
        var lambda = Assert.Single(await app.Emulator.WaitForSpansAsync(s => s.Name == "aws.lambda", 1, TraceAssert.Wait));
        Assert.Equal(1, lambda.Error);
        Assert.Equal("System.TimeoutException", lambda.GetMeta("error.type"));
    }
}
