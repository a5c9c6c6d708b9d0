// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Net;
using Datadog.Otel.Lambda.ExtensionEmulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Datadog.Otel.Lambda.Differential.Tests.Reference;

/// <summary>
/// The trace intake of a Datadog agent (in Lambda, the extension's) on 127.0.0.1, where dd-trace sends its traces when
/// <c>DD_TRACE_EXPERIMENTAL_EXPORTER=agent</c>: <c>PUT /v0.4/traces</c> with a MessagePack body, answered as the agent
/// answers it (200 with <c>rate_by_service</c>). Any other request is recorded and answered 404, as the agent answers
/// an endpoint it does not serve. Every chunk is kept, processed as the extension processes it
/// (<see cref="AgentTracePayload"/>); waiting for one is event-driven, never polled. One agent serves one Node.js
/// process: dd-trace sends a span that ends before the rest of its trace (an authorizer span, SNS around SQS) as a chunk
/// of its own, and every chunk the agent got belongs to that process. Open connections are counted, so that once the
/// process has exited the test can wait until every request it sent has been read (<see cref="WaitUntilIdleAsync"/>).
/// </summary>
internal sealed class FakeDatadogAgent : IAsyncDisposable
{
    private const int MaxBodyBytes = 16 * 1024 * 1024;

    private readonly WebApplication app;
    private readonly ExtensionEmulatorOptions extension;
    private readonly object sync = new();
    private readonly List<List<DatadogSpan>> chunks = [];
    private readonly List<string> otherRequests = [];
    private readonly List<string> errors = [];
    private readonly List<(Func<List<DatadogSpan>, bool> Match, TaskCompletionSource<List<DatadogSpan>> Done)> waiters = [];
    private int openConnections;
    private TaskCompletionSource? idle;

    private FakeDatadogAgent(WebApplication app, ExtensionEmulatorOptions extension, Uri url)
    {
        this.app = app;
        this.extension = extension;
        this.Url = url;
    }

    /// <summary>Gets the agent URL to give dd-trace (<c>DD_TRACE_AGENT_URL</c>).</summary>
    public Uri Url { get; }

    /// <summary>Gets the requests to anything but the trace intake (method and path).</summary>
    public IReadOnlyList<string> OtherRequests
    {
        get
        {
            lock (this.sync)
            {
                return this.otherRequests.ToArray();
            }
        }
    }

    /// <summary>Gets the payloads that could not be decoded, with the reason.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (this.sync)
            {
                return this.errors.ToArray();
            }
        }
    }

    /// <summary>Gets every chunk received so far.</summary>
    public IReadOnlyList<IReadOnlyList<DatadogSpan>> Chunks
    {
        get
        {
            lock (this.sync)
            {
                return this.chunks.ToArray();
            }
        }
    }

    public static async Task<FakeDatadogAgent> StartAsync(ExtensionEmulatorOptions extension)
    {
        FakeDatadogAgent? agent = null;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxBodyBytes;
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listen.Use(next => async connection =>
                {
                    agent!.ConnectionOpened();
                    try
                    {
                        await next(connection);
                    }
                    finally
                    {
                        agent!.ConnectionClosed();
                    }
                });
            });
        });
        var app = builder.Build();
        app.Run(context => agent!.HandleAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        agent = new FakeDatadogAgent(app, extension, new Uri(address));
        return agent;
    }

    /// <summary>Waits for the first chunk (received before or after the call) that matches.</summary>
    public Task<List<DatadogSpan>> WaitForChunkAsync(Func<List<DatadogSpan>, bool> match, TimeSpan timeout)
    {
        var done = new TaskCompletionSource<List<DatadogSpan>>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (this.sync)
        {
            if (this.chunks.FirstOrDefault(match) is { } existing)
            {
                return Task.FromResult(existing);
            }

            this.waiters.Add((match, done));
        }

        return done.Task.WaitAsync(timeout);
    }

    /// <summary>Waits until no connection is open (after the sender exited: until everything it sent has been read).</summary>
    public Task WaitUntilIdleAsync(TimeSpan timeout)
    {
        lock (this.sync)
        {
            if (this.openConnections == 0)
            {
                return Task.CompletedTask;
            }

            this.idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return this.idle.Task.WaitAsync(timeout);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await this.app.StopAsync();
        await this.app.DisposeAsync();
    }

    private void ConnectionOpened()
    {
        lock (this.sync)
        {
            this.openConnections++;
        }
    }

    private void ConnectionClosed()
    {
        lock (this.sync)
        {
            if (--this.openConnections == 0 && this.idle is { } done)
            {
                this.idle = null;
                done.TrySetResult();
            }
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Path != "/v0.4/traces" || (request.Method != "PUT" && request.Method != "POST"))
        {
            lock (this.sync)
            {
                this.otherRequests.Add(request.Method + " " + request.Path);
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        List<List<DatadogSpan>> received;
        try
        {
            received = AgentTracePayload.Read(body.GetBuffer().AsSpan(0, (int)body.Length), this.extension);
        }
        catch (FormatException ex)
        {
            lock (this.sync)
            {
                this.errors.Add(ex.Message);
            }

            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        lock (this.sync)
        {
            foreach (var chunk in received)
            {
                this.chunks.Add(chunk);
                for (var i = this.waiters.Count - 1; i >= 0; i--)
                {
                    if (this.waiters[i].Match(chunk))
                    {
                        this.waiters[i].Done.TrySetResult(chunk);
                        this.waiters.RemoveAt(i);
                    }
                }
            }
        }

        // The agent tells the tracer its sampling rates; an empty map leaves dd-trace's defaults in place.
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("{\"rate_by_service\":{}}");
    }
}
