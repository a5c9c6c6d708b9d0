// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Datadog.Otel.Lambda.IntegrationTests.TestSupport;

/// <summary>What the fault server does with the next connections.</summary>
public enum Fault
{
    /// <summary>Forwards every byte to the extension emulator (the endpoint has recovered).</summary>
    Healthy,

    /// <summary>Nothing listens on the port: connections are refused.</summary>
    Closed,

    /// <summary>Answers every request with 500.</summary>
    Status500,

    /// <summary>Answers every request with 503 and a Retry-After.</summary>
    Status503,

    /// <summary>Answers every request with 400 and a large body: binary bytes, then text (see <see cref="FaultServer.RejectionText"/>).</summary>
    Status400WithBody,

    /// <summary>Answers 200, but only after several seconds.</summary>
    Slow,

    /// <summary>Accepts and reads, never answers.</summary>
    Hanging,

    /// <summary>Accepts and resets the connection (RST).</summary>
    Reset,

    /// <summary>Answers bytes that are not HTTP.</summary>
    Garbage,

    /// <summary>
    /// Answers 503 with a 1,000-byte body, sends 10 bytes of it and keeps the connection open: the headers have
    /// arrived, the body never does.
    /// </summary>
    StalledErrorBody,
}

/// <summary>
/// An OTLP endpoint on 127.0.0.1 that misbehaves on demand, in front of the extension emulator: in
/// <see cref="Fault.Healthy"/> it is a TCP relay to the emulator, so a test can watch the exporter recover on the same
/// endpoint. <see cref="Fault.Closed"/> really stops listening (connection refused), the others accept.
/// </summary>
internal sealed class FaultServer : IAsyncDisposable
{
    public static readonly TimeSpan SlowAnswer = TimeSpan.FromSeconds(4);

    /// <summary>The text of <see cref="Fault.Status400WithBody"/>'s body, repeated to 64 KB after two control bytes.</summary>
    public const string RejectionText = "invalid span payload; ";

    /// <summary>The 10 bytes of <see cref="Fault.StalledErrorBody"/>'s body that are sent.</summary>
    public const string StalledBodyStart = "overloaded";

    private readonly Uri upstream;
    private readonly CancellationTokenSource stopping = new();
    private readonly HashSet<Socket> held = [];
    private readonly MemoryStream relayed = new();
    private TcpListener? listener;
    private Task accepting = Task.CompletedTask;

    public FaultServer(Uri upstream)
    {
        this.upstream = upstream;
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        this.Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        this.Set(Fault.Healthy);
    }

    public int Port { get; }

    public Uri TracesEndpoint => new($"http://127.0.0.1:{this.Port}/v1/traces");

    public Fault Fault { get; private set; }

    /// <summary>Switches the behaviour and drops every open connection (including relayed keep-alive ones).</summary>
    public void Set(Fault fault)
    {
        this.Fault = fault;
        lock (this.held)
        {
            foreach (var socket in this.held)
            {
                socket.Dispose();
            }

            this.held.Clear();
        }

        if (fault == Fault.Closed)
        {
            this.listener?.Stop();
            this.listener = null;
            return;
        }

        if (this.listener is null)
        {
            var next = new TcpListener(IPAddress.Loopback, this.Port);
            next.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            next.Start();
            this.listener = next;
            this.accepting = this.AcceptAsync(next);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await this.stopping.CancelAsync();
        this.Set(Fault.Closed);
        try
        {
            await this.accepting;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }

        this.stopping.Dispose();
        this.relayed.Dispose();
    }

    private static async Task ReadRequestAsync(NetworkStream stream, CancellationToken cancel)
    {
        // Headers, then as much body as Content-Length says (OTLP requests are small).
        var buffer = new byte[64 * 1024];
        var text = new StringBuilder();
        int read;
        while ((read = await stream.ReadAsync(buffer, cancel)) > 0)
        {
            text.Append(Encoding.Latin1.GetString(buffer, 0, read));
            var all = text.ToString();
            var end = all.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end < 0)
            {
                continue;
            }

            var lengthAt = all.IndexOf("Content-Length:", StringComparison.OrdinalIgnoreCase);
            var length = lengthAt < 0 ? 0 : int.Parse(all.AsSpan(lengthAt + 15, all.IndexOf('\r', lengthAt) - lengthAt - 15).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            if (all.Length - end - 4 >= length)
            {
                return;
            }
        }
    }

    private async Task AcceptAsync(TcpListener from)
    {
        while (!this.stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await from.AcceptSocketAsync(this.stopping.Token);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
            {
                // InvalidOperationException: Set(Fault.Closed) stopped this listener between two accepts.
                return;
            }

            // Every connection is dropped at the next Set, so a pooled keep-alive connection cannot outlive its fault.
            lock (this.held)
            {
                this.held.Add(socket);
            }

            _ = this.ServeAsync(socket, this.Fault);
        }
    }

    private async Task ServeAsync(Socket socket, Fault fault)
    {
        try
        {
            if (fault == Fault.Healthy)
            {
                await this.RelayAsync(socket);
                return;
            }

            if (fault == Fault.Reset)
            {
                socket.LingerState = new LingerOption(true, 0);
                socket.Close();
                return;
            }

            using var stream = new NetworkStream(socket, ownsSocket: false);
            if (fault == Fault.Hanging)
            {
                await ReadRequestAsync(stream, this.stopping.Token);
                await Task.Delay(Timeout.Infinite, this.stopping.Token);
                return;
            }

            if (fault == Fault.StalledErrorBody)
            {
                await ReadRequestAsync(stream, this.stopping.Token);
                await stream.WriteAsync(Encoding.Latin1.GetBytes("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n" + StalledBodyStart), this.stopping.Token);
                await Task.Delay(Timeout.Infinite, this.stopping.Token);
                return;
            }

            while (!this.stopping.IsCancellationRequested)
            {
                await ReadRequestAsync(stream, this.stopping.Token);
                var answer = fault switch
                {
                    Fault.Status500 => "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n",
                    Fault.Status503 => "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n",
                    Fault.Garbage => "\x16\x03\x01 not http at all \0\0\0\r\n\r\n",
                    Fault.Status400WithBody => RejectedAnswer(),
                    _ => "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
                };
                if (fault == Fault.Slow)
                {
                    await Task.Delay(SlowAnswer, this.stopping.Token);
                }

                await stream.WriteAsync(Encoding.Latin1.GetBytes(answer), this.stopping.Token);
                if (fault == Fault.Garbage)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            lock (this.held)
            {
                this.held.Remove(socket);
            }

            socket.Dispose();
        }
    }

    private static string RejectedAnswer()
    {
        var body = "\x08\x03" + string.Concat(Enumerable.Repeat(RejectionText, 64 * 1024 / RejectionText.Length));
        return $"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\n\r\n{body}";
    }

    /// <summary>Every byte the exporter sent through the relay (requests with headers and bodies), for scanning.</summary>
    public byte[] Relayed()
    {
        lock (this.relayed)
        {
            return this.relayed.ToArray();
        }
    }

    private async Task PumpAndRecordAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, this.stopping.Token)) > 0)
        {
            lock (this.relayed)
            {
                this.relayed.Write(buffer, 0, read);
            }

            await to.WriteAsync(buffer.AsMemory(0, read), this.stopping.Token);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        using var upstreamSocket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await upstreamSocket.ConnectAsync(IPAddress.Loopback, this.upstream.Port, this.stopping.Token);
        using var clientStream = new NetworkStream(client, ownsSocket: false);
        using var upstreamStream = new NetworkStream(upstreamSocket, ownsSocket: false);
        var up = this.PumpAndRecordAsync(clientStream, upstreamStream);
        var down = upstreamStream.CopyToAsync(clientStream, this.stopping.Token);
        await Task.WhenAny(up, down);
    }
}
