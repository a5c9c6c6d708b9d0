// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Datadog.Otel.Lambda.ExtensionEmulator;

/// <summary>
/// A local stand-in for the Lambda Runtime API (<c>AWS_LAMBDA_RUNTIME_API</c>) on 127.0.0.1, for running a function as
/// Lambda would (a custom-runtime executable, a Native AOT <c>bootstrap</c>, Amazon.Lambda.RuntimeSupport's
/// <c>LambdaBootstrap</c>): the function polls <c>/2018-06-01/runtime/invocation/next</c>, gets the event with Lambda's
/// <c>Lambda-Runtime-*</c> headers, and posts its response or error, which is acknowledged as Lambda does.
/// </summary>
/// <remarks>
/// The answers follow the Runtime API's contract (AWS's OpenAPI document, runtime-api.yaml) and what AWS's runtime
/// interface emulator sends, because runtime clients parse them: Amazon.Lambda.RuntimeSupport reads the body of every
/// <c>202</c> to an error as <c>{"status":"OK"}</c> and stops its loop when it cannot.
/// <list type="bullet">
/// <item><c>GET invocation/next</c>: <c>200</c>, the event, <c>Lambda-Runtime-Aws-Request-Id</c>,
/// <c>-Deadline-Ms</c>, <c>-Invoked-Function-Arn</c>, <c>-Trace-Id</c> (always: a <c>Sampled=0</c> header when the
/// invocation has none, as Lambda sends without active tracing), <c>-Client-Context</c>, <c>-Cognito-Identity</c> and
/// <c>-Aws-Tenant-Id</c> when the invocation has them. After an initialization error, <c>403</c>; when the emulator
/// stops, <c>500</c> (the runtime must exit).</item>
/// <item><c>POST invocation/{id}/response</c>: <c>202</c> <c>{"status":"OK"}</c>; <c>400</c> <c>InvalidRequestID</c>
/// for an id that is not running (unknown, or already answered); <c>413</c> <c>RequestEntityTooLarge</c> for a body
/// over 6 MiB + 100 bytes, and the invocation fails with <c>Function.ResponseSizeTooLarge</c>.</item>
/// <item><c>POST invocation/{id}/error</c>: <c>202</c> <c>{"status":"OK"}</c>, the
/// <c>Lambda-Runtime-Function-Error-Type</c> header and the body kept; <c>400</c> <c>InvalidRequestID</c> as above.</item>
/// <item><c>POST init/error</c>: <c>202</c> <c>{"status":"OK"}</c>; the error is then the answer to every invocation,
/// running, queued or later, as Lambda serves an initialization error. A second one: <c>403</c>
/// <c>InvalidStateTransition</c>.</item>
/// </list>
/// Every error body is <c>{"errorMessage":…,"errorType":…}</c>. Concurrent <c>next</c> calls are served, as under Lambda
/// Managed Instances. SnapStart's <c>restore</c> endpoints and response streaming are not emulated.
/// </remarks>
public sealed class RuntimeApiEmulator : IAsyncDisposable
{
    /// <summary>The largest response the Runtime API accepts (6 MiB + 100 bytes, as AWS's runtime interface emulator).</summary>
    internal const int MaxResponseBytes = (6 * 1024 * 1024) + 100;

    private const string Prefix = "/2018-06-01/runtime/";
    private const string DiagnosticsName = "Datadog.Otel.Lambda.ExtensionEmulator.RuntimeApiEmulator";
    private static readonly byte[] Accepted = "{\"status\":\"OK\"}"u8.ToArray();

    private readonly WebApplication app;
    private readonly Channel<PendingInvocation> queue = Channel.CreateUnbounded<PendingInvocation>();
    private readonly ConcurrentDictionary<string, PendingInvocation> running = new(StringComparer.Ordinal);
    private readonly object initErrorLock = new();
    private RuntimeApiResult? initError;

    private RuntimeApiEmulator(WebApplication app)
    {
        this.app = app;
    }

    /// <summary>Gets the value for <c>AWS_LAMBDA_RUNTIME_API</c> (<c>127.0.0.1:port</c>).</summary>
    public string Address { get; private set; } = string.Empty;

    /// <summary>Gets the initialization error the runtime reported (<c>/runtime/init/error</c>), if any.</summary>
    public RuntimeApiResult? InitError => Volatile.Read(ref this.initError);

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

        // Lambda's Runtime API is outside the function's process: an OpenTelemetry setup in this process (a test's, or
        // ASP.NET Core's instrumentation of a hosted function) must not see its requests as server spans. The hosting
        // layer reports requests through these two, under names nothing listens to (created by the container, which
        // disposes them with the emulator).
        builder.Services.Replace(ServiceDescriptor.Singleton(static _ => new DiagnosticListener(DiagnosticsName)));
        builder.Services.Replace(ServiceDescriptor.Singleton(static _ => new ActivitySource(DiagnosticsName)));
        var app = builder.Build();
        var emulator = new RuntimeApiEmulator(app);
        app.Run(emulator.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        emulator.Address = "127.0.0.1:" + new Uri(address).Port.ToString(CultureInfo.InvariantCulture);
        return emulator;
    }

    /// <summary>
    /// Queues an invocation and waits until the function posts its response or error. The invocation gets a
    /// <c>Lambda-Runtime-Trace-Id</c> of its own, with <c>Sampled=0</c>, as Lambda sends without active tracing.
    /// </summary>
    /// <param name="eventJson">The event.</param>
    /// <param name="requestId">The request id (<c>Lambda-Runtime-Aws-Request-Id</c>).</param>
    /// <param name="invokedFunctionArn">The invoked ARN (<c>Lambda-Runtime-Invoked-Function-Arn</c>).</param>
    /// <param name="functionTimeout">The function's timeout, which sets <c>Lambda-Runtime-Deadline-Ms</c>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>What the function posted.</returns>
    public Task<RuntimeApiResult> InvokeAsync(string eventJson, string requestId, string invokedFunctionArn, TimeSpan functionTimeout, CancellationToken cancellationToken = default) =>
        this.InvokeAsync(new RuntimeApiInvocation { EventJson = eventJson, RequestId = requestId, InvokedFunctionArn = invokedFunctionArn, FunctionTimeout = functionTimeout }, cancellationToken);

    /// <summary>Queues an invocation and waits until the function posts its response or error.</summary>
    /// <param name="invocation">The event and the invocation's <c>Lambda-Runtime-*</c> headers.</param>
    /// <returns>What the function posted, or the initialization error it reported.</returns>
    public Task<RuntimeApiResult> InvokeAsync(RuntimeApiInvocation invocation) => this.InvokeAsync(invocation, CancellationToken.None);

    /// <summary>Queues an invocation and waits until the function posts its response or error.</summary>
    /// <param name="invocation">The event and the invocation's <c>Lambda-Runtime-*</c> headers.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>What the function posted, or the initialization error it reported.</returns>
    public Task<RuntimeApiResult> InvokeAsync(RuntimeApiInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        if (this.InitError is { } failed)
        {
            return Task.FromResult(failed with { RequestId = invocation.RequestId, CompletedAt = DateTimeOffset.UtcNow });
        }

        var pending = new PendingInvocation(invocation, DateTimeOffset.UtcNow + invocation.FunctionTimeout, invocation.TraceId ?? NewTraceHeader());
        if (!this.queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The emulator is stopped.");
        }

        // An initialization error reported while this one was being queued answers it too.
        if (this.InitError is { } late)
        {
            pending.Fail(late);
        }

        return pending.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        this.queue.Writer.TryComplete();
        await this.app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>An X-Ray trace header as Lambda makes one: a root of the current time and 96 random bits, a parent, unsampled.</summary>
    private static string NewTraceHeader()
    {
        Span<byte> random = stackalloc byte[20];
        RandomNumberGenerator.Fill(random);
        var seconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString("x8", CultureInfo.InvariantCulture);
        return $"Root=1-{seconds}-{Convert.ToHexString(random[..12]).ToLowerInvariant()};Parent={Convert.ToHexString(random[12..]).ToLowerInvariant()};Sampled=0";
    }

    private static Task WriteJsonAsync(HttpContext http, int status, ReadOnlyMemory<byte> body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        return http.Response.Body.WriteAsync(body).AsTask();
    }

    private static Task WriteErrorAsync(HttpContext http, int status, string errorType, string errorMessage) =>
        WriteJsonAsync(http, status, ErrorJson(errorType, errorMessage));

    private static byte[] ErrorJson(string errorType, string errorMessage)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("errorMessage", errorMessage);
            writer.WriteString("errorType", errorType);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Reads at most <paramref name="limit"/> + 1 bytes: enough to tell a body over the limit.</summary>
    private static async Task<(byte[] Body, long Length)> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        long total = 0;
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
            if (buffer.Length <= limit)
            {
                buffer.Write(chunk, 0, read);
            }
        }

        return (buffer.ToArray(), total);
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
        if (route == "invocation/next")
        {
            await this.NextAsync(http).ConfigureAwait(false);
            return;
        }

        if (route == "init/error")
        {
            await this.InitErrorAsync(http).ConfigureAwait(false);
            return;
        }

        // invocation/{id}/response, invocation/{id}/error
        var parts = route.Split('/');
        if (parts.Length == 3 && parts[0] == "invocation" && parts[2] is "response" or "error")
        {
            if (!HttpMethods.IsPost(http.Request.Method))
            {
                http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                return;
            }

            await this.CompleteAsync(http, Uri.UnescapeDataString(parts[1]), isError: parts[2] == "error").ConfigureAwait(false);
            return;
        }

        http.Response.StatusCode = StatusCodes.Status404NotFound;
    }

    private async Task NextAsync(HttpContext http)
    {
        if (!HttpMethods.IsGet(http.Request.Method))
        {
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        if (this.InitError is not null)
        {
            await WriteErrorAsync(http, StatusCodes.Status403Forbidden, "InvalidStateTransition", "State transition from InitError to Ready failed for runtime: the runtime reported an initialization error and must exit.").ConfigureAwait(false);
            return;
        }

        PendingInvocation next;
        while (true)
        {
            try
            {
                next = await this.queue.Reader.ReadAsync(http.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
            {
                // The sandbox is going away: a container error tells the runtime to exit.
                await WriteErrorAsync(http, StatusCodes.Status500InternalServerError, "InternalServerError", "Internal Server Error").ConfigureAwait(false);
                return;
            }

            // Invocations answered by an initialization error while queued are not handed out.
            if (!next.Completion.Task.IsCompleted)
            {
                break;
            }
        }

        this.running[next.Invocation.RequestId] = next;
        var headers = http.Response.Headers;
        headers["Lambda-Runtime-Aws-Request-Id"] = next.Invocation.RequestId;
        headers["Lambda-Runtime-Deadline-Ms"] = next.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        headers["Lambda-Runtime-Invoked-Function-Arn"] = next.Invocation.InvokedFunctionArn;
        headers["Lambda-Runtime-Trace-Id"] = next.TraceId;
        if (!string.IsNullOrEmpty(next.Invocation.ClientContextJson))
        {
            headers["Lambda-Runtime-Client-Context"] = next.Invocation.ClientContextJson;
        }

        if (!string.IsNullOrEmpty(next.Invocation.CognitoIdentityJson))
        {
            headers["Lambda-Runtime-Cognito-Identity"] = next.Invocation.CognitoIdentityJson;
        }

        if (!string.IsNullOrEmpty(next.Invocation.TenantId))
        {
            headers["Lambda-Runtime-Aws-Tenant-Id"] = next.Invocation.TenantId;
        }

        await WriteJsonAsync(http, StatusCodes.Status200OK, Encoding.UTF8.GetBytes(next.Invocation.EventJson)).ConfigureAwait(false);
    }

    private async Task CompleteAsync(HttpContext http, string requestId, bool isError)
    {
        if (!this.running.TryRemove(requestId, out var invocation))
        {
            await WriteErrorAsync(http, StatusCodes.Status400BadRequest, "InvalidRequestID", "Invalid request ID").ConfigureAwait(false);
            return;
        }

        var (body, length) = await ReadBodyAsync(http.Request, MaxResponseBytes, http.RequestAborted).ConfigureAwait(false);
        if (!isError && length > MaxResponseBytes)
        {
            var message = string.Create(CultureInfo.InvariantCulture, $"Response payload size ({length} bytes) exceeded maximum allowed payload size ({MaxResponseBytes} bytes).");
            invocation.Complete(new RuntimeApiResult(requestId, true, Encoding.UTF8.GetString(ErrorJson("Function.ResponseSizeTooLarge", message)), DateTimeOffset.UtcNow)
            {
                ErrorType = "Function.ResponseSizeTooLarge",
                TraceId = invocation.TraceId,
            });
            await WriteErrorAsync(http, StatusCodes.Status413RequestEntityTooLarge, "RequestEntityTooLarge", string.Create(CultureInfo.InvariantCulture, $"Exceeded maximum allowed payload size ({MaxResponseBytes} bytes).")).ConfigureAwait(false);
            return;
        }

        invocation.Complete(new RuntimeApiResult(requestId, isError, Encoding.UTF8.GetString(body), DateTimeOffset.UtcNow)
        {
            ErrorType = isError ? ErrorTypeHeader(http.Request) : null,
            TraceId = invocation.TraceId,
        });
        await WriteJsonAsync(http, StatusCodes.Status202Accepted, Accepted).ConfigureAwait(false);
    }

    private async Task InitErrorAsync(HttpContext http)
    {
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        var (body, _) = await ReadBodyAsync(http.Request, MaxResponseBytes, http.RequestAborted).ConfigureAwait(false);
        var error = new RuntimeApiResult(string.Empty, true, Encoding.UTF8.GetString(body), DateTimeOffset.UtcNow) { ErrorType = ErrorTypeHeader(http.Request) };
        lock (this.initErrorLock)
        {
            if (this.initError is not null)
            {
                error = null;
            }
            else
            {
                Volatile.Write(ref this.initError, error);
            }
        }

        if (error is null)
        {
            await WriteErrorAsync(http, StatusCodes.Status403Forbidden, "InvalidStateTransition", "State transition from InitError to InitError failed for runtime: an initialization error was already reported.").ConfigureAwait(false);
            return;
        }

        // Lambda answers the invocations with the initialization error: the running ones and those waiting.
        foreach (var pair in this.running)
        {
            if (this.running.TryRemove(pair.Key, out var invocation))
            {
                invocation.Fail(error);
            }
        }

        while (this.queue.Reader.TryRead(out var queued))
        {
            queued.Fail(error);
        }

        await WriteJsonAsync(http, StatusCodes.Status202Accepted, Accepted).ConfigureAwait(false);
    }

    private static string? ErrorTypeHeader(HttpRequest request) =>
        request.Headers.TryGetValue("Lambda-Runtime-Function-Error-Type", out var value) && value.Count > 0 ? value[0] : null;

    private sealed class PendingInvocation(RuntimeApiInvocation invocation, DateTimeOffset deadline, string traceId)
    {
        public RuntimeApiInvocation Invocation { get; } = invocation;

        public DateTimeOffset Deadline { get; } = deadline;

        public string TraceId { get; } = traceId;

        public TaskCompletionSource<RuntimeApiResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Complete(RuntimeApiResult result) => this.Completion.TrySetResult(result);

        public void Fail(RuntimeApiResult initError) =>
            this.Completion.TrySetResult(initError with { RequestId = this.Invocation.RequestId, TraceId = this.TraceId, CompletedAt = DateTimeOffset.UtcNow });
    }
}

/// <summary>One invocation for <see cref="RuntimeApiEmulator"/>: the event and what Lambda sends with it.</summary>
public sealed class RuntimeApiInvocation
{
    /// <summary>Gets the event, the body of the <c>next</c> answer.</summary>
    public required string EventJson { get; init; }

    /// <summary>Gets the request id (<c>Lambda-Runtime-Aws-Request-Id</c>).</summary>
    public required string RequestId { get; init; }

    /// <summary>Gets the invoked ARN (<c>Lambda-Runtime-Invoked-Function-Arn</c>).</summary>
    public string InvokedFunctionArn { get; init; } = "arn:aws:lambda:us-east-1:123456789012:function:function";

    /// <summary>Gets the function's timeout, counted from the moment the invocation is queued (<c>Lambda-Runtime-Deadline-Ms</c>).</summary>
    public TimeSpan FunctionTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets the X-Ray trace header (<c>Lambda-Runtime-Trace-Id</c>); <see langword="null"/> makes one with <c>Sampled=0</c>.</summary>
    public string? TraceId { get; init; }

    /// <summary>Gets the client context JSON of a mobile SDK invocation (<c>Lambda-Runtime-Client-Context</c>).</summary>
    public string? ClientContextJson { get; init; }

    /// <summary>Gets the Cognito identity JSON of a mobile SDK invocation (<c>Lambda-Runtime-Cognito-Identity</c>).</summary>
    public string? CognitoIdentityJson { get; init; }

    /// <summary>Gets the tenant id of a tenant-isolated function (<c>Lambda-Runtime-Aws-Tenant-Id</c>).</summary>
    public string? TenantId { get; init; }
}

/// <summary>What a function posted for one invocation.</summary>
/// <param name="RequestId">The request id.</param>
/// <param name="IsError">True when the function posted to <c>/error</c> (or <c>/runtime/init/error</c>), or its response was too large.</param>
/// <param name="Body">The posted body (the response payload, or the error object).</param>
/// <param name="CompletedAt">When the post arrived.</param>
public sealed record RuntimeApiResult(string RequestId, bool IsError, string Body, DateTimeOffset CompletedAt)
{
    /// <summary>Gets the error type the runtime sent (<c>Lambda-Runtime-Function-Error-Type</c>), or Lambda's for an oversized response.</summary>
    public string? ErrorType { get; init; }

    /// <summary>Gets the <c>Lambda-Runtime-Trace-Id</c> the invocation was handed out with.</summary>
    public string? TraceId { get; init; }
}
