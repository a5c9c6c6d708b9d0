// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Datadog.Otel.Lambda.Differential.Tests.Interop;

/// <summary>One request as the server received it: method, path, every header (name as sent, all values), the body.</summary>
internal sealed record RecordedRequest(string Method, string Path, IReadOnlyList<KeyValuePair<string, string[]>> Headers, byte[] Body)
{
    public string? Header(string name) =>
        this.Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)) is { Value: { Length: > 0 } values } ? values[0] : null;
}

/// <summary>What the server answers: status, content type and body.</summary>
internal sealed record RecordedAnswer(int Status, string ContentType, string Body);

/// <summary>
/// An HTTP server on 127.0.0.1 (a free port) that keeps every request exactly as it arrived and answers as the test
/// says: the downstream service of the HTTP interop tests, and the EventBridge endpoint of the EventBridge ones (no
/// EventBridge emulator can be had here, so the test records what the SDK sends and answers as EventBridge does). Waiting
/// for a request is event-driven.
/// </summary>
internal sealed class RecordingServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly Func<RecordedRequest, RecordedAnswer> answer;
    private readonly object sync = new();
    private readonly List<RecordedRequest> received = [];
    private TaskCompletionSource<RecordedRequest> next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RecordingServer(WebApplication app, Func<RecordedRequest, RecordedAnswer> answer)
    {
        this.app = app;
        this.answer = answer;
    }

    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Received
    {
        get
        {
            lock (this.sync)
            {
                return this.received.ToArray();
            }
        }
    }

    public static async Task<RecordingServer> StartAsync(Func<RecordedRequest, RecordedAnswer> answer)
    {
        RecordingServer? server = null;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
        });
        var app = builder.Build();
        app.Run(context => server!.HandleAsync(context));
        server = new RecordingServer(app, answer);
        await app.StartAsync();
        server.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return server;
    }

    /// <summary>Waits for the first request (received before or after the call).</summary>
    public Task<RecordedRequest> WaitForRequestAsync(TimeSpan timeout)
    {
        lock (this.sync)
        {
            return this.received.Count > 0 ? Task.FromResult(this.received[0]) : this.next.Task.WaitAsync(timeout);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await this.app.StopAsync();
        await this.app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var headers = context.Request.Headers.Select(h => KeyValuePair.Create(h.Key, h.Value.Select(v => v ?? string.Empty).ToArray())).ToList();
        var request = new RecordedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, headers, body.ToArray());
        lock (this.sync)
        {
            this.received.Add(request);
            this.next.TrySetResult(request);
        }

        var reply = this.answer(request);
        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = reply.ContentType;
        await context.Response.WriteAsync(reply.Body);
    }
}
