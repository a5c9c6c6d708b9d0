// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Datadog.Otel.Lambda.Benchmarks;

/// <summary>
/// The least an OTLP/HTTP receiver does, on 127.0.0.1: read each HTTP/1.1 request (Content-Length or chunked), count
/// it, keep the size of the last body, answer 200 with an empty <c>application/x-protobuf</c> body, keep the connection.
/// The export benchmarks run in one process with their receiver; a receiver that decodes and maps (the extension
/// emulator) would charge its own work to whichever exporter sends more attributes, so this one does no more than
/// the socket work every receiver does.
/// </summary>
internal sealed class LoopbackOtlpSink : IDisposable
{
    private static readonly byte[] Response = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: 0\r\n\r\n");

    private readonly TcpListener listener;
    private readonly CancellationTokenSource stop = new();
    private readonly List<Socket> connections = [];
    private long requests;
    private long bytes;
    private int lastBodyLength;

    private LoopbackOtlpSink()
    {
        this.listener = new TcpListener(IPAddress.Loopback, 0);
        this.listener.Start();
        this.Endpoint = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{((IPEndPoint)this.listener.LocalEndpoint).Port}/v1/traces"));
        _ = this.AcceptAsync();
    }

    public Uri Endpoint { get; }

    public long Requests => Interlocked.Read(ref this.requests);

    public long Bytes => Interlocked.Read(ref this.bytes);

    public int LastBodyLength => Volatile.Read(ref this.lastBodyLength);

    /// <summary>Gets the number of connections accepted so far (an exporter that reuses its connection opens one).</summary>
    public int Connections
    {
        get
        {
            lock (this.connections)
            {
                return this.connections.Count;
            }
        }
    }

    public static LoopbackOtlpSink Start() => new();

    public void Reset()
    {
        Interlocked.Exchange(ref this.requests, 0);
        Interlocked.Exchange(ref this.bytes, 0);
    }

    public void Dispose()
    {
        this.stop.Cancel();
        this.listener.Stop();
        lock (this.connections)
        {
            foreach (var socket in this.connections)
            {
                socket.Dispose();
            }
        }

        this.stop.Dispose();
    }

    private static int IndexOfHeaderEnd(byte[] buffer, int start, int end)
    {
        for (var i = Math.Max(start, 3); i < end; i++)
        {
            if (buffer[i] == '\n' && buffer[i - 1] == '\r' && buffer[i - 2] == '\n' && buffer[i - 3] == '\r')
            {
                return i + 1;
            }
        }

        return -1;
    }

    private async Task AcceptAsync()
    {
        while (!this.stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await this.listener.AcceptSocketAsync(this.stop.Token).ConfigureAwait(false);
            }
            catch (Exception) when (this.stop.IsCancellationRequested)
            {
                return;
            }

            socket.NoDelay = true;
            lock (this.connections)
            {
                this.connections.Add(socket);
            }

            _ = this.ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        var connection = new Connection(socket, this.stop.Token);
        try
        {
            while (true)
            {
                int headerEnd;
                while ((headerEnd = IndexOfHeaderEnd(connection.Buffer, 0, connection.Filled)) < 0)
                {
                    if (!await connection.FillAsync().ConfigureAwait(false))
                    {
                        return;
                    }
                }

                var headers = Encoding.ASCII.GetString(connection.Buffer, 0, headerEnd);
                var chunked = headers.Contains("transfer-encoding: chunked", StringComparison.OrdinalIgnoreCase);
                var contentLength = 0;
                foreach (var line in headers.Split("\r\n"))
                {
                    if (line.StartsWith("content-length:", StringComparison.OrdinalIgnoreCase))
                    {
                        contentLength = int.Parse(line.AsSpan(15).Trim(), CultureInfo.InvariantCulture);
                    }
                }

                var consumed = headerEnd;
                var bodyLength = 0;
                if (chunked)
                {
                    // Chunks: "<hex>\r\n<data>\r\n" ... "0\r\n\r\n".
                    while (true)
                    {
                        int lineEnd;
                        while ((lineEnd = Array.IndexOf(connection.Buffer, (byte)'\n', consumed, connection.Filled - consumed)) < 0)
                        {
                            await connection.FillOrThrowAsync().ConfigureAwait(false);
                        }

                        var size = int.Parse(Encoding.ASCII.GetString(connection.Buffer, consumed, lineEnd - consumed).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                        consumed = lineEnd + 1;
                        while (connection.Filled - consumed < size + 2)
                        {
                            await connection.FillOrThrowAsync().ConfigureAwait(false);
                        }

                        consumed += size + 2;
                        bodyLength += size;
                        if (size == 0)
                        {
                            break;
                        }
                    }
                }
                else
                {
                    while (connection.Filled - consumed < contentLength)
                    {
                        await connection.FillOrThrowAsync().ConfigureAwait(false);
                    }

                    consumed += contentLength;
                    bodyLength = contentLength;
                }

                connection.Consume(consumed);
                Interlocked.Increment(ref this.requests);
                Interlocked.Add(ref this.bytes, bodyLength);
                Volatile.Write(ref this.lastBodyLength, bodyLength);
                await socket.SendAsync(Response, SocketFlags.None, this.stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception) when (this.stop.IsCancellationRequested)
        {
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>The bytes read from one connection and not yet consumed.</summary>
    private sealed class Connection(Socket socket, CancellationToken token)
    {
        public byte[] Buffer { get; private set; } = new byte[64 * 1024];

        public int Filled { get; private set; }

        public async ValueTask<bool> FillAsync()
        {
            if (this.Filled == this.Buffer.Length)
            {
                var larger = new byte[this.Buffer.Length * 2];
                this.Buffer.AsSpan(0, this.Filled).CopyTo(larger);
                this.Buffer = larger;
            }

            var read = await socket.ReceiveAsync(this.Buffer.AsMemory(this.Filled), SocketFlags.None, token).ConfigureAwait(false);
            this.Filled += read;
            return read > 0;
        }

        public async ValueTask FillOrThrowAsync()
        {
            if (!await this.FillAsync().ConfigureAwait(false))
            {
                throw new SocketException((int)SocketError.ConnectionReset);
            }
        }

        public void Consume(int count)
        {
            this.Buffer.AsSpan(count, this.Filled - count).CopyTo(this.Buffer);
            this.Filled -= count;
        }
    }
}
