// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Datadog.Otel.Lambda.Diagnostics;
using OpenTelemetry;

namespace Datadog.Otel.Lambda.Export;

/// <summary>
/// Posts encoded OTLP requests asynchronously. Every send is bounded by the caller's token (the invocation's
/// deadline) and the exporter timeout, never throws, and reports failures in terms a Lambda user can act on.
/// </summary>
internal sealed class OtlpHttpSender : IDisposable
{
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

    /// <summary>Sends one request; returns whether the endpoint accepted it.</summary>
    /// <param name="body">The encoded request.</param>
    /// <param name="spanCount">The number of spans in it, for diagnostics.</param>
    /// <param name="owner">What holds <paramref name="body"/> (a pooled buffer), disposed when the send ends; or null.</param>
    /// <param name="cancellationToken">The invocation's deadline.</param>
    public async Task<bool> SendAsync(ReadOnlyMemory<byte> body, int spanCount, IDisposable? owner, CancellationToken cancellationToken)
    {
        using var release = owner;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(this.settings.Timeout);

        // Our own HTTP call must never be traced (it would create spans about exporting spans).
        using var suppress = SuppressInstrumentationScope.Begin();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var request = this.CreateRequest(body);
                using var response = await this.client.SendAsync(request, timeout.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }

                var detail = await ReadErrorAsync(response, timeout.Token).ConfigureAwait(false);
                Diag.ExportFailed(this.endpointText, $"HTTP {(int)response.StatusCode} for {spanCount} spans ({body.Length} bytes){detail}");
                return false;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Diag.ExportFailed(this.endpointText, $"{spanCount} spans not delivered before the invocation's deadline");
                return false;
            }
            catch (OperationCanceledException)
            {
                Diag.ExportFailed(this.endpointText, $"no answer within {this.settings.Timeout.TotalMilliseconds:0} ms (OTEL_EXPORTER_OTLP_TIMEOUT); {spanCount} spans dropped");
                return false;
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
                return false;
            }
#pragma warning disable CA1031 // The exporter must never throw into the invocation.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Diag.ExportFailed(this.endpointText, $"{ex.GetType().Name}: {ex.Message}; {spanCount} spans dropped");
                return false;
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

    private static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrWhiteSpace(text))
            {
                return string.Empty;
            }

            // Protobuf status bodies are binary; keep only what is printable and short.
            var printable = new string(text.Where(c => !char.IsControl(c)).Take(200).ToArray());
            return ": " + printable;
        }
#pragma warning disable CA1031 // Best effort detail for a diagnostic.
        catch (Exception)
#pragma warning restore CA1031
        {
            return string.Empty;
        }
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
