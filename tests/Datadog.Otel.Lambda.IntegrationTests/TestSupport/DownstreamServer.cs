// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Datadog.Otel.Lambda.IntegrationTests.TestSupport;

/// <summary>
/// A real HTTP service on loopback (Kestrel) that a traced function calls: it records the headers it received and
/// continues the trace in a span of its own ("downstream handler"), extracting with the same propagators.
/// </summary>
internal sealed class DownstreamServer : IAsyncDisposable
{
    public static readonly ActivitySource Source = new("test.downstream");

    private readonly WebApplication app;

    private DownstreamServer(WebApplication app) => this.app = app;

    /// <summary>Gets the headers of every request received, in order.</summary>
    public ConcurrentQueue<Dictionary<string, string>> Received { get; } = new();

    public Uri BaseAddress => new(this.app.Urls.First());

    public static async Task<DownstreamServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new DownstreamServer(app);
        app.Run(async context =>
        {
            // Kestrel reuses the header collection after the request: copy it.
            server.Received.Enqueue(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
            var parent = DatadogPropagation.ExtractTraceContext(context.Request.Headers, static (h, name) => h.TryGetValue(name, out var v) ? v.Select(x => x ?? string.Empty) : null);
            using (Source.StartActivity("downstream handler", ActivityKind.Server, parent))
            {
                await context.Response.WriteAsync("42");
            }
        });
        await app.StartAsync();
        return server;
    }

    public ValueTask DisposeAsync() => this.app.DisposeAsync();
}
