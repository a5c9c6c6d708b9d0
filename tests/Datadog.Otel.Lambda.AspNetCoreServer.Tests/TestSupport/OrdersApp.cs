// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Collections.Concurrent;
using Amazon.Lambda.AspNetCoreServer;
using Datadog.Otel.Lambda.ExtensionEmulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using AspNetCoreApi;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.AspNetCoreServer.Tests.TestSupport;

/// <summary>
/// An ASP.NET Core application as users host it in Lambda: minimal API endpoints and a controller, traced with
/// AddDatadogLambda + the ASP.NET Core and HttpClient instrumentations, exporting to the extension emulator on loopback.
/// Endpoints call a downstream service on loopback (Kestrel) with HttpClient.
/// </summary>
internal sealed class OrdersApp : IAsyncDisposable
{
    private readonly WebApplication downstream;

    private OrdersApp(WebApplication app, WebApplication downstream, ExtensionEmulator.ExtensionEmulator emulator)
    {
        this.App = app;
        this.downstream = downstream;
        this.Emulator = emulator;
    }

    public WebApplication App { get; }

    public ExtensionEmulator.ExtensionEmulator Emulator { get; }

    /// <summary>Gets the trace headers the downstream service received, by path.</summary>
    public ConcurrentDictionary<string, IHeaderDictionary> DownstreamRequests { get; } = new();

    public IServiceProvider Services => this.App.Services;

    public TracerProvider Tracing => this.App.Services.GetRequiredService<TracerProvider>();

    /// <param name="hosting">How the application is hosted: the Lambda hosting registration, or a TestServer for a class-based function.</param>
    /// <param name="environment">Settings seen by AddDatadogLambda.</param>
    public static async Task<OrdersApp> StartAsync(Action<WebApplicationBuilder> hosting, Dictionary<string, string?>? environment = null)
    {
        var emulator = await ExtensionEmulator.ExtensionEmulator.StartAsync(new ExtensionEmulatorOptions { Port = 0 });
        var downstream = await StartDownstreamAsync();
        var env = new Dictionary<string, string?>
        {
            ["AWS_LAMBDA_FUNCTION_NAME"] = "orders-api",
            ["AWS_REGION"] = "us-east-1",
        };
        foreach (var pair in environment ?? new())
        {
            env[pair.Key] = pair.Value;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddControllers().AddApplicationPart(typeof(OrdersApp).Assembly);
        builder.Services.AddOrdersTracing(o =>
        {
            o.Environment = EnvironmentSource.FromDictionary(env);
            o.Exporter = DatadogLambdaExporter.Extension;
            o.Endpoint = emulator.TracesEndpoint;

            // The cold start must not depend on how long the test process has been running (10 s rule).
            o.InitTime = static () => DateTimeOffset.UtcNow;
        });
        var client = new HttpClient { BaseAddress = new Uri(downstream.Urls.First()) };
        builder.Services.AddSingleton(client);
        hosting(builder);

        var app = builder.Build();
        app.MapOrders();
        app.MapGet("/lambda-items", (HttpContext http) =>
        {
            var context = http.Items[AbstractAspNetCoreFunction.LAMBDA_CONTEXT] as Amazon.Lambda.Core.ILambdaContext;
            return Results.Ok(new { requestId = context?.AwsRequestId, request = http.Items[AbstractAspNetCoreFunction.LAMBDA_REQUEST_OBJECT]?.GetType().Name });
        });
        app.MapGet("/lambda-serializer", (HttpContext http) =>
        {
            // What user code reaches for its own (de)serialization, and Amazon.Lambda.DurableExecution requires.
            var context = (Amazon.Lambda.Core.ILambdaContext)http.Items[AbstractAspNetCoreFunction.LAMBDA_CONTEXT]!;
            return Results.Text(context.Serializer?.GetType().FullName ?? "(null)");
        });
        app.MapControllers();
        await app.StartAsync();

        var result = new OrdersApp(app, downstream, emulator);
        downstream.Services.GetRequiredService<DownstreamLog>().Sink = result.DownstreamRequests;
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await this.App.StopAsync();
        await this.App.DisposeAsync();
        await this.downstream.DisposeAsync();
        await this.Emulator.DisposeAsync();
    }

    private static async Task<WebApplication> StartDownstreamAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton<DownstreamLog>();
        var app = builder.Build();
        app.MapGet("/stock/{id}", (string id, HttpContext http, DownstreamLog log) =>
        {
            // Kestrel reuses the header collection after the request: copy it.
            log.Sink?.TryAdd(id, new HeaderDictionary(http.Request.Headers.ToDictionary(h => h.Key, h => h.Value)));
            return "7";
        });
        await app.StartAsync();
        return app;
    }

    private sealed class DownstreamLog
    {
        public ConcurrentDictionary<string, IHeaderDictionary>? Sink { get; set; }
    }
}

/// <summary>A controller whose action fails, as controllers do.</summary>
[ApiController]
[Route("api/inventory")]
public sealed class InventoryController : ControllerBase
{
    [HttpGet("{sku}")]
    public IActionResult Get(string sku) => throw new InvalidOperationException("inventory unavailable for " + sku);
}
