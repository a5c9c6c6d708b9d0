// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace AspNetCoreApi;

/// <summary>
/// The application: ordinary ASP.NET Core endpoints and an ordinary OpenTelemetry registration with one Datadog call.
/// Nothing here knows it runs in Lambda; Program.cs hosts it there.
/// </summary>
public static class OrdersApi
{
    /// <summary>
    /// Tracing: AddDatadogLambda (aws.lambda, inferred spans, propagation, export to the extension), plus the ASP.NET
    /// Core server spans (with http.route) and HttpClient spans, which continue aws.lambda's trace.
    /// </summary>
    public static IServiceCollection AddOrdersTracing(this IServiceCollection services, Action<DatadogLambdaOptions>? configure = null)
    {
        services.AddOpenTelemetry().WithTracing(tracing => tracing
            .AddDatadogLambda(configure)
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation());
        return services;
    }

    /// <summary>The endpoints; the HttpClient (registered by the host) calls the inventory service.</summary>
    public static WebApplication MapOrders(this WebApplication app)
    {
        app.MapGet("/orders/{id}", async (string id, HttpClient http) =>
        {
            var stock = await http.GetStringAsync(new Uri("/stock/" + Uri.EscapeDataString(id), UriKind.Relative));
            return Results.Ok(new Order(id, stock));
        });
        app.MapPost("/orders", () => Results.Created(new Uri("/orders/42", UriKind.Relative), new Order("42", null)));
        return app;
    }
}

/// <summary>An order.</summary>
public sealed record Order(string Id, string? Stock);
