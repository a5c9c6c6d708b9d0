// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Datadog.Otel.Lambda.Diagnostics;
using OpenTelemetry;

namespace Datadog.Otel.Lambda.Export;

/// <summary>
/// Posts encoded OTLP requests on the calling thread. Every send is bounded by the caller's token (the invocation's
/// deadline) and the exporter timeout, never throws, and reports failures in terms a Lambda user can act on.
/// <para>
/// Synchronous on purpose: the processor sends one request at a time and invocations that flush meanwhile wait for it
/// without holding a thread, so at most one thread waits on this I/O. An asynchronous send would cost the first
/// invocation of a ReadyToRun function the JIT compilation of its state machines and of <c>HttpConnection</c>'s
/// asynchronous paths (about 40 methods, which a library's precompiled image cannot contain), and each warm invocation
/// a continuation on another thread; OpenTelemetry's OTLP exporter sends synchronously too.
/// </para>
/// </summary>
internal sealed class OtlpHttpSender : IDisposable
{
    private const int MaxErrorChars = 200;

    private static readonly MediaTypeHeaderValue ProtobufContentType = new("application/x-protobuf");

    private readonly OtlpExporterSettings settings;
    private readonly HttpMessageInvoker client;
    private readonly string endpointText;

    public OtlpHttpSender(OtlpExporterSettings settings, HttpMessageHandler? handler = null)
    {
        this.settings = settings;
        this.endpointText = settings.Endpoint.ToString();
        // The handler itself, without HttpClient's layer: deadlines come from the cancellation tokens, so its timeout
        // (a second linked cancellation source per request) and default headers have nothing to do.
        this.client = new HttpMessageInvoker(handler ?? CreateHandler(), disposeHandler: true);
    }

    /// <summary>Sends one request; returns whether the endpoint accepted it, or why not.</summary>
    /// <param name="body">The encoded request.</param>
    /// <param name="spanCount">The number of spans in it, for diagnostics.</param>
    /// <param name="cancellationToken">The invocation's deadline.</param>
    public SendOutcome Send(ReadOnlyMemory<byte> body, int spanCount, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(this.settings.Timeout);

        // Our own HTTP call must never be traced (it would create spans about exporting spans).
        using var suppress = SuppressInstrumentationScope.Begin();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var request = this.CreateRequest(body);
                using var response = this.client.Send(request, timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    return SendOutcome.Accepted;
                }

                // An answer, even one whose body the deadline cuts short: the endpoint has the request and rejected it.
                var detail = ReadError(response, timeout.Token);
                Diag.ExportFailed(this.endpointText, $"HTTP {(int)response.StatusCode} for {spanCount} spans ({body.Length} bytes){detail}");
                return SendOutcome.Failed;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // No answer before the invocation's deadline: the caller keeps the spans for a later request.
                return SendOutcome.Cancelled;
            }
            catch (OperationCanceledException)
            {
                Diag.ExportFailed(this.endpointText, $"no answer within {this.settings.Timeout.TotalMilliseconds:0} ms (OTEL_EXPORTER_OTLP_TIMEOUT); {spanCount} spans dropped");
                return SendOutcome.Failed;
            }
            catch (HttpRequestException ex) when (attempt == 0 && IsStaleConnection(ex))
            {
                // A pooled connection can die while Lambda freezes the sandbox between invocations: retry once on a new one.
                continue;
            }
            catch (HttpRequestException ex) when (IsConnectionRefused(ex))
            {
                Diag.ExportFailed(
                    this.endpointText,
                    "nothing is listening. With the Datadog Lambda Extension, set DD_OTLP_CONFIG_RECEIVER_PROTOCOLS_HTTP_ENDPOINT=localhost:4318 on the function so that it accepts OTLP; otherwise point OTEL_EXPORTER_OTLP_ENDPOINT at your collector. " + spanCount + " spans dropped");
                return SendOutcome.Failed;
            }
#pragma warning disable CA1031 // The exporter must never throw into the invocation.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Diag.ExportFailed(this.endpointText, $"{ex.GetType().Name}: {ex.Message}; {spanCount} spans dropped");
                return SendOutcome.Failed;
            }
        }
    }

    public void Dispose() => this.client.Dispose();

    private static SocketsHttpHandler CreateHandler() => new()
    {
        // HTTP(S)_PROXY set for the function's own traffic must not capture loopback exports.
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,

        // Nothing to look up in a cookie container per request, and no traceparent of the function's current span
        // written into export requests (HttpClient does that for every request made inside a trace).
        UseCookies = false,
        ActivityHeadersPropagator = null,
        ConnectTimeout = TimeSpan.FromSeconds(2),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
    };

    private static bool IsConnectionRefused(HttpRequestException ex) =>
        ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused }
        || ex.HttpRequestError == HttpRequestError.ConnectionError && ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused };

    private static bool IsStaleConnection(HttpRequestException ex) =>
        ex.InnerException is IOException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted } }
        || ex.HttpRequestError == HttpRequestError.ResponseEnded;

    private static string ReadError(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // Only the start of the body is read: an error page of any size costs a bounded buffer.
        var bytes = new byte[MaxErrorChars];
        var read = 0;
        try
        {
            // Read asynchronously and waited for here: once the headers have arrived, SocketsHttpHandler no longer
            // watches the request's token, and a synchronous read has none, so an answer whose body stalls would hold
            // the invocation without bound. An asynchronous read is cancelled by the token (the connection is closed).
            // Only a failed export reads here, so the one-thread design of the successful path is untouched.
            using var stream = response.Content.ReadAsStream(cancellationToken);
            int chunk;
            while (read < bytes.Length
                && (chunk = stream.ReadAsync(bytes.AsMemory(read), cancellationToken).AsTask().GetAwaiter().GetResult()) > 0)
            {
                read += chunk;
            }
        }
#pragma warning disable CA1031 // Best effort detail for a diagnostic: what arrived before a failure or the deadline is kept.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        // Protobuf status bodies are binary; keep only what is printable.
        var text = Encoding.UTF8.GetString(bytes, 0, read).AsSpan();
        Span<char> printable = stackalloc char[text.Length];
        var kept = 0;
        foreach (var c in text)
        {
            if (!char.IsControl(c))
            {
                printable[kept++] = c;
            }
        }

        var trimmed = printable[..kept].Trim();
        return trimmed.IsEmpty ? string.Empty : string.Concat(": ", trimmed);
    }

    private HttpRequestMessage CreateRequest(ReadOnlyMemory<byte> body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, this.settings.Endpoint)
        {
            Version = HttpVersion.Version11,
        };

        HttpContent content;
        if (this.settings.Gzip)
        {
            var compressed = new MemoryStream();
            using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                gzip.Write(body.Span);
            }

            content = new ByteArrayContent(compressed.GetBuffer(), 0, (int)compressed.Length);
            content.Headers.ContentEncoding.Add("gzip");
        }
        else
        {
            content = new ReadOnlyMemoryContent(body);
        }

        content.Headers.ContentType = ProtobufContentType;
        request.Content = content;
        foreach (var header in this.settings.Headers)
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return request;
    }
}
