// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Datadog.Otel.Lambda.ExtensionEmulator;

/// <summary>
/// A local stand-in for the Lambda Runtime API (<c>AWS_LAMBDA_RUNTIME_API</c>) on 127.0.0.1, for running a
/// custom-runtime function executable (for example a Native AOT <c>bootstrap</c>) as Lambda would: the function polls
/// <c>/2018-06-01/runtime/invocation/next</c>, gets the event with Lambda's headers, and posts its response or error.
/// </summary>
public sealed class RuntimeApiEmulator : IAsyncDisposable
{
    private const string Prefix = "/2018-06-01/runtime/";

    private readonly WebApplication app;
    private readonly Channel<PendingInvocation> queue = Channel.CreateUnbounded<PendingInvocation>();
    private readonly ConcurrentDictionary<string, PendingInvocation> running = new(StringComparer.Ordinal);

    private RuntimeApiEmulator(WebApplication app)
    {
        this.app = app;
    }

    /// <summary>Gets the value for <c>AWS_LAMBDA_RUNTIME_API</c> (<c>127.0.0.1:port</c>).</summary>
    public string Address { get; private set; } = string.Empty;

    /// <summary>Starts the emulator on a free loopback port.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running emulator.</returns>
    public static async Task<RuntimeApiEmulator> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
        });
        var app = builder.Build();
        var emulator = new RuntimeApiEmulator(app);
        app.Run(emulator.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        emulator.Address = "127.0.0.1:" + new Uri(address).Port.ToString(CultureInfo.InvariantCulture);
        return emulator;
    }

    /// <summary>
    /// Queues an invocation and waits until the function posts its response or error.
    /// </summary>
    /// <param name="eventJson">The event.</param>
    /// <param name="requestId">The request id (<c>Lambda-Runtime-Aws-Request-Id</c>).</param>
    /// <param name="invokedFunctionArn">The invoked ARN (<c>Lambda-Runtime-Invoked-Function-Arn</c>).</param>
    /// <param name="functionTimeout">The function's timeout, which sets <c>Lambda-Runtime-Deadline-Ms</c>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>What the function posted.</returns>
    public Task<RuntimeApiResult> InvokeAsync(string eventJson, string requestId, string invokedFunctionArn, TimeSpan functionTimeout, CancellationToken cancellationToken = default)
    {
        var pending = new PendingInvocation(eventJson, requestId, invokedFunctionArn, DateTimeOffset.UtcNow + functionTimeout);
        if (!this.queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The emulator is stopped.");
        }

        return pending.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        this.queue.Writer.TryComplete();
        await this.app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? string.Empty;
        if (!path.StartsWith(Prefix, StringComparison.Ordinal))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var route = path[Prefix.Length..];
        if (route == "invocation/next" && HttpMethods.IsGet(http.Request.Method))
        {
            PendingInvocation next;
            try
            {
                next = await this.queue.Reader.ReadAsync(http.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
            {
                http.Response.StatusCode = StatusCodes.Status500InternalServerError;
                return;
            }

            this.running[next.RequestId] = next;
            var headers = http.Response.Headers;
            headers["Lambda-Runtime-Aws-Request-Id"] = next.RequestId;
            headers["Lambda-Runtime-Deadline-Ms"] = next.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            headers["Lambda-Runtime-Invoked-Function-Arn"] = next.InvokedFunctionArn;
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(next.EventJson).ConfigureAwait(false);
            return;
        }

        // invocation/{id}/response, invocation/{id}/error
        var parts = route.Split('/');
        if (parts.Length == 3 && parts[0] == "invocation" && HttpMethods.IsPost(http.Request.Method)
            && (parts[2] == "response" || parts[2] == "error") && this.running.TryRemove(parts[1], out var invocation))
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync(http.RequestAborted).ConfigureAwait(false);
            http.Response.StatusCode = StatusCodes.Status202Accepted;
            invocation.Completion.TrySetResult(new RuntimeApiResult(invocation.RequestId, parts[2] == "error", body, DateTimeOffset.UtcNow));
            return;
        }

        http.Response.StatusCode = route == "init/error" ? StatusCodes.Status202Accepted : StatusCodes.Status400BadRequest;
    }

    private sealed record PendingInvocation(string EventJson, string RequestId, string InvokedFunctionArn, DateTimeOffset Deadline)
    {
        public TaskCompletionSource<RuntimeApiResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>What a function posted for one invocation.</summary>
/// <param name="RequestId">The request id.</param>
/// <param name="IsError">True when the function posted to <c>/error</c>.</param>
/// <param name="Body">The posted body (the response payload, or the error object).</param>
/// <param name="CompletedAt">When the post arrived.</param>
public sealed record RuntimeApiResult(string RequestId, bool IsError, string Body, DateTimeOffset CompletedAt);
