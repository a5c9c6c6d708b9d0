// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers;
using System.Text;
using System.Text.Json;
using Amazon.Runtime.EventStreams;
using Amazon.Runtime.Internal.Transform;
using Datadog.Otel.Lambda.AwsSdk.Injection;
using Datadog.Otel.Lambda.Diagnostics;

namespace Datadog.Otel.Lambda.AwsSdk.Pipeline;

/// <summary>
/// A successful HTTP response read into memory when the unmarshaller opens it, so that the instrumentation can see the
/// body the SDK consumes (for response payload tags and S3 ETags in XML bodies) and, for SQS, correct it:
/// <para>
/// The SendMessage(Batch) response as AWSSDK.SQS should see it when <c>_datadog</c> was added to a message that had
/// attributes of its own. The service's <c>MD5OfMessageAttributes</c> covers the attributes sent, <c>_datadog</c>
/// included; the SDK checks it against the typed request's attributes, which lack it. So when the service's MD5 is
/// exactly the MD5 of what was sent, it is replaced by the MD5 of the user's attributes, and the SDK's check then passes
/// for the same reason it would without tracing. Any other MD5 is left as it came, so a real mismatch still fails.
/// </para>
/// <para>
/// Tracing must not change what the SDK reads or when its call returns, so an event stream is handed on unread, and a
/// body is kept only up to <see cref="MaxBodyBytes"/>: past that the SDK gets the bytes read so far followed by the rest
/// of the connection's stream (<see cref="ReplayStream"/>), and nothing is kept.
/// </para>
/// </summary>
internal sealed class BufferedResponse : IWebResponseData, IHttpResponseBody
{
    /// <summary>Request-context key of the SQS MD5 corrections (<see cref="SqsMd5Fix"/>[]).</summary>
    public const string Md5FixesKey = "Datadog.Otel.Lambda.AwsSdk.SqsMd5Fixes";

    /// <summary>Request-context key under which the body (<see cref="byte"/>[]) is left for the handler after the unmarshaller.</summary>
    public const string BodyKey = "Datadog.Otel.Lambda.AwsSdk.ResponseBody";

    /// <summary>
    /// Bodies above this are not kept (AWS's JSON and XML control-plane responses are far smaller): one declared larger is
    /// passed through unread, and one of unknown length is read only up to one byte past this, then replayed to the SDK.
    /// </summary>
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    private const string EventStreamContentType = "application/vnd.amazon.eventstream";

    private const string OverCapReason = "response body over 4 MiB: passed to the SDK as it came, not kept (no response payload tags, S3 ETag or SQS MD5 correction)";

    private readonly IWebResponseData inner;
    private readonly SqsMd5Fix[]? fixes;
    private readonly IDictionary<string, object> context;

    public BufferedResponse(IWebResponseData inner, SqsMd5Fix[]? fixes, IDictionary<string, object> context)
    {
        this.inner = inner;
        this.fixes = fixes;
        this.context = context;
    }

    public long ContentLength => this.inner.ContentLength;

    public string ContentType => this.inner.ContentType;

    public System.Net.HttpStatusCode StatusCode => this.inner.StatusCode;

    public bool IsSuccessStatusCode => this.inner.IsSuccessStatusCode;

    public IHttpResponseBody ResponseBody => this;

    public string[] GetHeaderNames() => this.inner.GetHeaderNames();

    public bool IsHeaderPresent(string headerName) => this.inner.IsHeaderPresent(headerName);

    public string GetHeaderValue(string headerName) => this.inner.GetHeaderValue(headerName);

    public IEventStreamHeader GetEventStreamHeader(string headerName) => this.inner.GetEventStreamHeader(headerName);

    public bool IsEventHeaderPresent(string headerName) => this.inner.IsEventHeaderPresent(headerName);

    public Stream OpenResponse()
    {
        var stream = this.inner.ResponseBody.OpenResponse();
        if (!this.ShouldBuffer())
        {
            return stream;
        }

        var body = new CappedBody(this.inner.ContentLength, MaxBodyBytes);
        try
        {
            Span<byte> probe = stackalloc byte[1];
            while (true)
            {
                if (body.Full)
                {
                    if (body.OverCap || stream.Read(probe) == 0)
                    {
                        break;
                    }

                    body.Append(probe[0]);
                    continue;
                }

                var read = stream.Read(body.Free.Span);
                if (read == 0)
                {
                    break;
                }

                body.Advance(read);
            }
        }
        catch
        {
            body.Release();
            stream.Dispose();
            throw;
        }

        return this.Finish(ref body, stream);
    }

    public async Task<Stream> OpenResponseAsync()
    {
        var stream = await this.inner.ResponseBody.OpenResponseAsync().ConfigureAwait(false);
        if (!this.ShouldBuffer())
        {
            return stream;
        }

        var body = new CappedBody(this.inner.ContentLength, MaxBodyBytes);
        byte[]? probe = null;
        try
        {
            while (true)
            {
                if (body.Full)
                {
                    probe ??= ArrayPool<byte>.Shared.Rent(1);
                    if (body.OverCap || await stream.ReadAsync(probe.AsMemory(0, 1)).ConfigureAwait(false) == 0)
                    {
                        break;
                    }

                    body.Append(probe[0]);
                    continue;
                }

                var read = await stream.ReadAsync(body.Free).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                body.Advance(read);
            }
        }
        catch
        {
            body.Release();
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            if (probe is not null)
            {
                ArrayPool<byte>.Shared.Return(probe);
            }
        }

        return this.Finish(ref body, stream);
    }

    public void Dispose() => this.inner.ResponseBody.Dispose();

    /// <summary>The body with the expected MD5s; the body unchanged when it is not the JSON expected.</summary>
    internal static byte[] Rewrite(byte[] body, SqsMd5Fix[] fixes)
    {
        try
        {
            var splice = new JsonSplice();
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return body;
            }

            Entry(ref reader, splice, fixes, batch: false);
            return splice.Count == 0 ? body : splice.Apply(body);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: GetString of a lone surrogate escape ("\ud800"), which no real SQS answer holds
            // but which must not turn the user's SendMessage into an exception.
            Diag.Debug("aws-sdk", $"SQS response not rewritten: {Internal.ExceptionText.Message(exception, diagnostic: true)}");
            return body;
        }
    }

    /// <summary>Reads the object the reader is at: the root (SendMessage; <c>Successful[]</c> of a batch) or a batch entry.</summary>
    private static void Entry(ref Utf8JsonReader reader, JsonSplice splice, SqsMd5Fix[] fixes, bool batch)
    {
        string? id = null;
        int md5Start = -1, md5Length = 0;
        string? md5 = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isMd5 = reader.ValueTextEquals("MD5OfMessageAttributes"u8);
            var isId = reader.ValueTextEquals("Id"u8);
            var isSuccessful = !batch && reader.ValueTextEquals("Successful"u8);
            reader.Read();
            if (isMd5 && reader.TokenType == JsonTokenType.String)
            {
                md5Start = (int)reader.TokenStartIndex;
                md5Length = (int)reader.BytesConsumed - md5Start;
                md5 = reader.GetString();
            }
            else if (isId && reader.TokenType == JsonTokenType.String)
            {
                id = reader.GetString();
            }
            else if (isSuccessful && reader.TokenType == JsonTokenType.StartArray)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    Entry(ref reader, splice, fixes, batch: true);
                }
            }
            else
            {
                reader.Skip();
            }
        }

        if (md5 is null)
        {
            return;
        }

        foreach (var fix in fixes)
        {
            if ((batch ? fix.EntryId == id : fix.EntryId is null) && string.Equals(md5, fix.Sent, StringComparison.OrdinalIgnoreCase))
            {
                splice.Replace(md5Start, md5Length, Encoding.UTF8.GetBytes($"\"{fix.Expected}\""));
                return;
            }
        }
    }

    /// <summary>
    /// Whether to read the body: not when its declared length is over the cap, and never for an event stream (its
    /// unmarshaller hands the open stream to the caller, who reads events from it for as long as the session lasts). The
    /// SDK reports a missing Content-Length (a chunked body) as 0, not -1, so 0 means "empty or unknown" and the read is
    /// capped instead.
    /// </summary>
    private bool ShouldBuffer() =>
        this.inner.ContentLength <= MaxBodyBytes && !IsEventStream(this.inner.ContentType);

    /// <summary>AWS's event-stream encoding, whatever the protocol (the SDK passes the media type without parameters).</summary>
    private static bool IsEventStream(string? contentType) =>
        contentType is not null && contentType.StartsWith(EventStreamContentType, StringComparison.OrdinalIgnoreCase);

    /// <summary>The stream the SDK reads: the body kept (and corrected for SQS), or, over the cap, the bytes read and the rest.</summary>
    private Stream Finish(ref CappedBody body, Stream stream)
    {
        if (body.OverCap)
        {
            this.context.Remove(BodyKey);
            Diag.Debug("aws-sdk", OverCapReason);
            return body.Replay(stream);
        }

        stream.Dispose();
        var bytes = body.Complete();
        if (this.fixes is { Length: > 0 })
        {
            bytes = Rewrite(bytes, this.fixes);
        }

        this.context[BodyKey] = bytes;
        return new MemoryStream(bytes, writable: false);
    }
}
