// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Net;
using Amazon.Runtime.EventStreams;
using Amazon.Runtime.Internal.Transform;

namespace Datadog.Otel.Lambda.AwsSdk.Tests.TestSupport;

/// <summary>
/// A successful HTTP response as AWSSDK.Core's <c>HttpClientResponseData</c> presents it to the unmarshaller, for
/// responses no emulator here serves (event streams, chunked bodies): the content type is the media type without
/// parameters, and a missing Content-Length is reported as 0 (<c>ContentLength ?? 0</c>), not -1. The body is the stream
/// given, handed out once, as <c>HttpContent.ReadAsStreamAsync</c> hands out the connection's stream.
/// </summary>
internal sealed class StandInResponse(Stream body, string contentType, long contentLength) : IWebResponseData, IHttpResponseBody
{
    public long ContentLength => contentLength;

    public string ContentType => contentType;

    public HttpStatusCode StatusCode => HttpStatusCode.OK;

    public bool IsSuccessStatusCode => true;

    public IHttpResponseBody ResponseBody => this;

    public bool Disposed { get; private set; }

    public string[] GetHeaderNames() => ["Content-Type"];

    public bool IsHeaderPresent(string headerName) => string.Equals(headerName, "Content-Type", StringComparison.OrdinalIgnoreCase);

    public string GetHeaderValue(string headerName) => this.IsHeaderPresent(headerName) ? contentType : string.Empty;

    public IEventStreamHeader GetEventStreamHeader(string headerName) => null!;

    public bool IsEventHeaderPresent(string headerName) => false;

    public Stream OpenResponse() => body;

    public Task<Stream> OpenResponseAsync() => Task.FromResult(body);

    public void Dispose()
    {
        this.Disposed = true;
        body.Dispose();
    }
}

/// <summary>
/// A chunked HTTP body as a connection delivers it: non-seekable, at most <c>chunk</c> bytes per read, and counting the
/// bytes handed out so a test can tell how much of the body a reader consumed.
/// </summary>
internal sealed class ChunkedBody(byte[] bytes, int chunk) : Stream
{
    private int position;

    public int Served => this.position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => this.Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var count = Math.Min(Math.Min(buffer.Length, chunk), bytes.Length - this.position);
        bytes.AsSpan(this.position, count).CopyTo(buffer);
        this.position += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(this.Read(buffer.AsSpan(offset, count)));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        new(this.Read(buffer.Span));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
