// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Amazon.Lambda.AspNetCoreServer.Hosting.Internal;
using Amazon.Lambda.Serialization.SystemTextJson;
using Amazon.Lambda.RuntimeSupport;
using Datadog.Otel.Lambda.AspNetCoreServer.Tests.TestSupport;
using Datadog.Otel.Lambda.ExtensionEmulator;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;

namespace Datadog.Otel.Lambda.AspNetCoreServer.Tests;

/// <summary>
/// A minimal API hosted with AddDatadogAWSLambdaHosting instead of AddAWSLambdaHosting: the hosting server's Lambda
/// handler is traced from the raw event, and the pipeline continues aws.lambda.
/// </summary>
[Collection("AspNetCore")]
public sealed class MinimalApiHostingTests : IDisposable
{
    private readonly string? previousFunctionName = Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME");

    public MinimalApiHostingTests()
    {
        // AddAWSLambdaHosting decides from the process environment whether it runs in Lambda.
        Environment.SetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME", "orders-api");
    }

    public void Dispose() => Environment.SetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME", this.previousFunctionName);

    [Fact]
    public async Task HttpApiInvocationIsOneTraceThroughThePipeline()
    {
        await using var app = await OrdersApp.StartAsync(b => b.Services.AddDatadogAWSLambdaHosting(LambdaEventSource.HttpApi));

        var response = await InvokeAsync(app, LambdaEvents.HttpApi("GET", "/orders/5", "/orders/{id}"), "min-http");

        Assert.Equal(200, response.GetProperty("statusCode").GetInt32());
        var trace = await TraceAssert.InvocationAsync(app.Emulator, "min-http");
        var (inferred, lambda, server) = TraceAssert.Chain(app.Emulator, trace, "aws.httpapi");
        Assert.Equal(0UL, inferred.ParentId);
        Assert.Equal("/orders/{id}", server.GetMeta("http.route"));
        Assert.Equal("200", lambda.GetMeta("http.status_code"));
        Assert.Equal("true", lambda.GetMeta("cold_start"));
        Assert.Single(trace.Spans, s => s.Name == "http.client.request");
    }

    [Fact]
    public async Task RestApiInvocationWithUpstreamW3CHeadersContinuesTheUpstreamTrace()
    {
        await using var app = await OrdersApp.StartAsync(b => b.Services.AddDatadogAWSLambdaHosting(LambdaEventSource.RestApi));
        var headers = new Dictionary<string, string> { ["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" };

        var response = await InvokeAsync(app, LambdaEvents.RestApi("POST", "/orders", "/orders", headers, "{}"), "min-rest");

        Assert.Equal(201, response.GetProperty("statusCode").GetInt32());
        var trace = await TraceAssert.InvocationAsync(app.Emulator, "min-rest");
        var (inferred, lambda, _) = TraceAssert.Chain(app.Emulator, trace, "aws.apigateway");
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", inferred.TraceIdHex);
        Assert.Equal(0xb7ad6b7169203331UL, inferred.ParentId);
        Assert.Equal("201", lambda.GetMeta("http.status_code"));
    }

    [Fact]
    public async Task FunctionUrlInvocationGetsTheFunctionUrlInferredSpan()
    {
        await using var app = await OrdersApp.StartAsync(b => b.Services.AddDatadogAWSLambdaHosting(LambdaEventSource.HttpApi));

        var response = await InvokeAsync(app, LambdaEvents.FunctionUrl("GET", "/orders/6"), "min-url");

        Assert.Equal(200, response.GetProperty("statusCode").GetInt32());
        var trace = await TraceAssert.InvocationAsync(app.Emulator, "min-url");
        TraceAssert.Chain(app.Emulator, trace, "aws.lambda.url");
    }

    [Fact]
    public async Task ControllerExceptionMarksTheLambdaSpan()
    {
        await using var app = await OrdersApp.StartAsync(b => b.Services.AddDatadogAWSLambdaHosting(LambdaEventSource.HttpApi));

        var response = await InvokeAsync(app, LambdaEvents.HttpApi("GET", "/api/inventory/sku-1", "/api/inventory/{sku}"), "min-error");

        Assert.Equal(500, response.GetProperty("statusCode").GetInt32());
        var trace = await TraceAssert.InvocationAsync(app.Emulator, "min-error");
        var (_, lambda, _) = TraceAssert.Chain(app.Emulator, trace, "aws.httpapi");
        Assert.Equal(1, lambda.Error);
        Assert.Equal("System.InvalidOperationException", lambda.GetMeta("error.type"));
    }

    [Fact]
    public async Task InvocationsThroughTheRuntimeApiAreTracedAsTheHostingServerRunsThem()
    {
        // As in Lambda: the hosting server starts RuntimeSupport's bootstrap loop against AWS_LAMBDA_RUNTIME_API.
        await using var runtimeApi = await RuntimeApiEmulator.StartAsync();
        var previous = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API");
        Environment.SetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API", runtimeApi.Address);
        try
        {
            await using var app = await OrdersApp.StartAsync(
                b => b.Services.AddDatadogAWSLambdaHosting(LambdaEventSource.RestApi),
                new() { ["AWS_LAMBDA_RUNTIME_API"] = runtimeApi.Address });
            using var reader = new StreamReader(LambdaEvents.RestApi("GET", "/orders/21", "/orders/{id}", new Dictionary<string, string>
            {
                ["x-datadog-trace-id"] = "1234567890123456789",
                ["x-datadog-parent-id"] = "9876543210987654321",
                ["x-datadog-sampling-priority"] = "2",
            }));
            var invocation = new RuntimeApiInvocation { EventJson = await reader.ReadToEndAsync(), RequestId = "min-runtime-api", InvokedFunctionArn = TestLambdaContext.FunctionArn };

            using var timeout = new CancellationTokenSource(TraceAssert.Wait);

            var result = await runtimeApi.InvokeAsync(invocation, timeout.Token);

            Assert.False(result.IsError, result.Body);
            Assert.Equal(200, JsonDocument.Parse(result.Body).RootElement.GetProperty("statusCode").GetInt32());
            var trace = await TraceAssert.InvocationAsync(app.Emulator, "min-runtime-api");
            var (inferred, lambda, _) = TraceAssert.Chain(app.Emulator, trace, "aws.apigateway");
            Assert.Equal(1234567890123456789UL, inferred.TraceId);
            Assert.Equal(2, trace.SamplingPriority);
            Assert.Equal("200", lambda.GetMeta("http.status_code"));
            Assert.Equal(TestLambdaContext.FunctionArn, lambda.GetMeta("function_arn"));

            // The runtime client's own calls to the Runtime API are not traced.
            Assert.DoesNotContain(app.Emulator.Spans, s => s.GetMeta("http.url")?.Contains(runtimeApi.Address, StringComparison.Ordinal) == true
                || s.GetMeta("url.full")?.Contains(runtimeApi.Address, StringComparison.Ordinal) == true);

            // An event the function's serializer cannot read is the function's error, reported as Lambda reports it.
            var failed = await runtimeApi.InvokeAsync(new RuntimeApiInvocation { EventJson = "not json", RequestId = "min-bad-event" }, timeout.Token);
            Assert.True(failed.IsError);
            Assert.Equal("JsonSerializerException", failed.ErrorType);
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API", previous);
        }
    }

    [Theory]
    [InlineData(LambdaEventSource.HttpApi, true)]
    [InlineData(LambdaEventSource.RestApi, false)]
    public async Task HostingServerSurfacesTheRegisteredSerializerOnTheContext(LambdaEventSource eventSource, bool sourceGenerated)
    {
        // RuntimeSupport's LambdaBootstrap puts the serializer of the handler wrapper on every invocation's context
        // (ILambdaContext.Serializer); tracing must leave it as AddAWSLambdaHosting's own server has it. Either the
        // serializer passed to the registration or, without one, the default.
        Action<IServiceCollection> untraced = sourceGenerated
            ? s => s.AddAWSLambdaHosting(eventSource, new SourceGeneratorLambdaJsonSerializer<HttpApiFunctionJson>())
            : s => s.AddAWSLambdaHosting(eventSource);
        Action<IServiceCollection> traced = sourceGenerated
            ? s => s.AddDatadogAWSLambdaHosting(eventSource, new SourceGeneratorLambdaJsonSerializer<HttpApiFunctionJson>())
            : s => s.AddDatadogAWSLambdaHosting(eventSource);
        var expected = sourceGenerated ? typeof(SourceGeneratorLambdaJsonSerializer<HttpApiFunctionJson>) : typeof(DefaultLambdaJsonSerializer);

        var withoutTracing = await ResponseThroughTheRuntimeApiAsync(untraced, eventSource, "min-serializer-untraced");
        var withTracing = await ResponseThroughTheRuntimeApiAsync(traced, eventSource, "min-serializer-traced");

        Assert.Equal(expected.FullName, Body(withoutTracing));

        // The whole Lambda response, as the runtime client posts it, is the one the untraced server gives.
        Assert.Equal(withoutTracing, withTracing);
    }

    [Fact]
    public void OutsideLambdaKestrelStaysTheServer()
    {
        Environment.SetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME", null);
        var services = new ServiceCollection();
        services.AddSingleton<IServer, KestrelServerStandIn>();

        services.AddDatadogAWSLambdaHosting(LambdaEventSource.HttpApi);

        Assert.Equal(typeof(KestrelServerStandIn), Assert.Single(services, d => d.ServiceType == typeof(IServer)).ImplementationType);
    }

    private static string? Body(string response) => JsonDocument.Parse(response).RootElement.GetProperty("body").GetString();

    /// <summary>
    /// The Lambda response of an endpoint that returns the type of the ILambdaContext.Serializer it sees, when the
    /// hosting server runs under the bootstrap loop.
    /// </summary>
    private static async Task<string> ResponseThroughTheRuntimeApiAsync(Action<IServiceCollection> hosting, LambdaEventSource eventSource, string requestId)
    {
        await using var runtimeApi = await RuntimeApiEmulator.StartAsync();
        var previous = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API");
        Environment.SetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API", runtimeApi.Address);
        try
        {
            await using var app = await OrdersApp.StartAsync(b => hosting(b.Services), new() { ["AWS_LAMBDA_RUNTIME_API"] = runtimeApi.Address });
            using var reader = new StreamReader(eventSource == LambdaEventSource.HttpApi
                ? LambdaEvents.HttpApi("GET", "/lambda-serializer", "/lambda-serializer")
                : LambdaEvents.RestApi("GET", "/lambda-serializer", "/lambda-serializer"));
            var invocation = new RuntimeApiInvocation { EventJson = await reader.ReadToEndAsync(), RequestId = requestId, InvokedFunctionArn = TestLambdaContext.FunctionArn };
            using var timeout = new CancellationTokenSource(TraceAssert.Wait);

            var result = await runtimeApi.InvokeAsync(invocation, timeout.Token);

            Assert.False(result.IsError, result.Body);
            Assert.Equal(200, JsonDocument.Parse(result.Body).RootElement.GetProperty("statusCode").GetInt32());
            return result.Body;
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API", previous);
        }
    }

    private static async Task<JsonElement> InvokeAsync(OrdersApp app, Stream @event, string requestId)
    {
        var server = Assert.IsAssignableFrom<LambdaRuntimeSupportServer>(app.Services.GetRequiredService<IServer>());
        Assert.StartsWith("Traced", server.GetType().Name, StringComparison.Ordinal);
        using var invocation = new InvocationRequest { InputStream = @event, LambdaContext = new TestLambdaContext(requestId) };
        var response = await server.HandlerWrapper!.Handler(invocation);
        return JsonDocument.Parse(response.OutputStream).RootElement.Clone();
    }

    private sealed class KestrelServerStandIn : IServer
    {
        public Microsoft.AspNetCore.Http.Features.IFeatureCollection Features { get; } = new Microsoft.AspNetCore.Http.Features.FeatureCollection();

        public void Dispose()
        {
        }

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
