// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Datadog.Otel.Lambda.IntegrationTests.TestSupport;

/// <summary>
/// An OTLP/HTTP receiver on loopback (Kestrel) that keeps each request's body as it arrived, for tests that compare
/// what two exporters put on the wire. It answers like the extension does on success: 200 and an empty protobuf body.
/// </summary>
internal sealed class OtlpCaptureServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private TaskCompletionSource? hold;
    private TaskCompletionSource? arrived;

    private OtlpCaptureServer(WebApplication app) => this.app = app;

    /// <summary>Gets the bodies received, in order, with their content type and encoding.</summary>
    public ConcurrentQueue<(string? ContentType, string? ContentEncoding, byte[] Body)> Requests { get; } = new();

    public Uri TracesEndpoint => new(this.app.Urls.First() + "/v1/traces");

    /// <summary>
    /// Holds the answer to every request received from now on until the returned source is completed (the body is
    /// recorded when it arrives, the answer waits).
    /// </summary>
    public TaskCompletionSource Hold()
    {
        this.arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return this.hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Gets a task that completes when the first request held by <see cref="Hold"/> has arrived.</summary>
    public Task HeldRequestArrived => this.arrived?.Task ?? throw new InvalidOperationException("nothing is held");

    public static async Task<OtlpCaptureServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new OtlpCaptureServer(app);
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            server.Requests.Enqueue((context.Request.ContentType, context.Request.Headers.ContentEncoding.ToString() is { Length: > 0 } e ? e : null, body.ToArray()));
            if (server.hold is { } hold)
            {
                server.arrived?.TrySetResult();
                await hold.Task.WaitAsync(TimeSpan.FromSeconds(30));
            }

            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
        });
        await app.StartAsync();
        return server;
    }

    public ValueTask DisposeAsync() => this.app.DisposeAsync();
}
