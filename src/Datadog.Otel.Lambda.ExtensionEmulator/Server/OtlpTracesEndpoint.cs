// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.ExtensionEmulator.Mapping;
using Datadog.Otel.Lambda.ExtensionEmulator.Otlp;
using Datadog.Otel.Lambda.ExtensionEmulator.Otlp.Model;
using Microsoft.AspNetCore.Http;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Server;

/// <summary>
/// The extension's OTLP/HTTP receiver (spec §1.3): <c>POST /v1/traces</c> only, protobuf or JSON by content
/// type, no decompression, a body limit, and the spans converted and stored before the response is sent.
/// </summary>
internal sealed class OtlpTracesEndpoint
{
    public const string TracesPath = "/v1/traces";

    private readonly TraceStore store;
    private readonly DatadogTraceMapper mapper;
    private readonly int maxBodyBytes;
    private readonly TimeProvider timeProvider;

    public OtlpTracesEndpoint(TraceStore store, ExtensionEmulatorOptions options)
    {
        this.store = store;
        mapper = new DatadogTraceMapper(options);
        maxBodyBytes = options.MaxRequestBodyBytes;
        timeProvider = options.TimeProvider;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var contentType = request.Headers.ContentType.Count == 0 ? null : request.Headers.ContentType.ToString();
        var encoding = EncodingOf(contentType);
        var summary = new RequestSummary(request.Method, request.Path.Value ?? string.Empty, contentType, ContentEncodingOf(request), encoding);

        if (summary.Path != TracesPath)
        {
            // The router's fallback.
            await RespondAsync(context, summary, StatusCodes.Status404NotFound, "text/plain; charset=utf-8", "Not Found"u8.ToArray()).ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            // axum answers a known path with another method 405 and an Allow header, not 404.
            context.Response.Headers.Allow = "POST";
            await RespondAsync(context, summary, StatusCodes.Status405MethodNotAllowed, null, []).ConfigureAwait(false);
            return;
        }

        var (body, bytesRead) = await RequestBodyReader.ReadAsync(request.Body, request.ContentLength, maxBodyBytes, context.RequestAborted).ConfigureAwait(false);
        summary.BodyLength = bytesRead;
        if (body is null)
        {
            await RespondErrorAsync(context, summary, StatusCodes.Status400BadRequest, "Failed to extract request body: length limit exceeded").ConfigureAwait(false);
            return;
        }

        List<DatadogSpan>? spans;
        try
        {
            var otlp = Decode(body, encoding);
            summary.OtlpSpanCount = otlp.SpanCount;
            spans = mapper.Map(otlp);
        }
        catch (OtlpDecodeException e)
        {
            await RespondErrorAsync(context, summary, StatusCodes.Status500InternalServerError, $"Failed to process request: {e.Message}").ConfigureAwait(false);
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // An emulator bug, not an extension behaviour: still answer and record it, so a test shows why.
            await RespondErrorAsync(context, summary, StatusCodes.Status500InternalServerError, $"Emulator error: {e}").ConfigureAwait(false);
            return;
        }

        if (spans is null)
        {
            await RespondErrorAsync(context, summary, StatusCodes.Status500InternalServerError, "Not sending traces, processor returned empty data").ConfigureAwait(false);
            return;
        }

        summary.DatadogSpanCount = spans.Count;

        // Stored before the response, as the extension hands spans to its aggregator before answering.
        store.AddSpans(spans);
        await RespondAsync(context, summary, StatusCodes.Status200OK, OtlpResponses.ContentType(encoding), OtlpResponses.Success(encoding)).ConfigureAwait(false);
    }

    /// <summary>A content type starting with <c>application/json</c> (case-sensitive, parameters allowed) is JSON; anything else, or none, is protobuf.</summary>
    internal static OtlpEncoding EncodingOf(string? contentType) =>
        contentType is not null && contentType.StartsWith("application/json", StringComparison.Ordinal) ? OtlpEncoding.Json : OtlpEncoding.Protobuf;

    private static string? ContentEncodingOf(HttpRequest request) =>
        request.Headers.ContentEncoding.Count == 0 ? null : request.Headers.ContentEncoding.ToString();

    private static OtlpExportRequest Decode(byte[] body, OtlpEncoding encoding) =>
        encoding == OtlpEncoding.Json ? OtlpJsonDecoder.Decode(body) : OtlpProtobufDecoder.Decode(body);

    private Task RespondErrorAsync(HttpContext context, RequestSummary summary, int status, string message)
    {
        summary.Error = message;
        return RespondAsync(context, summary, status, OtlpResponses.ContentType(summary.Encoding), OtlpResponses.Error(summary.Encoding, status, message));
    }

    private async Task RespondAsync(HttpContext context, RequestSummary summary, int status, string? contentType, byte[] body)
    {
        // Recorded before the body is written: a test that sees the response also sees the request.
        store.AddRequest(summary.ToReceivedRequest(status, timeProvider.GetUtcNow()));
        context.Response.StatusCode = status;
        if (contentType is not null)
        {
            context.Response.ContentType = contentType;
        }

        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private sealed class RequestSummary(string method, string path, string? contentType, string? contentEncoding, OtlpEncoding encoding)
    {
        public string Path => path;

        public OtlpEncoding Encoding => encoding;

        public long BodyLength { get; set; }

        public int OtlpSpanCount { get; set; }

        public int DatadogSpanCount { get; set; }

        public string? Error { get; set; }

        public ReceivedRequest ToReceivedRequest(int status, DateTimeOffset at) => new()
        {
            ReceivedAt = at,
            Method = method,
            Path = path,
            ContentType = contentType,
            ContentEncoding = contentEncoding,
            Encoding = encoding,
            BodyLength = BodyLength,
            StatusCode = status,
            OtlpSpanCount = OtlpSpanCount,
            DatadogSpanCount = DatadogSpanCount,
            Error = Error,
        };
    }
}
