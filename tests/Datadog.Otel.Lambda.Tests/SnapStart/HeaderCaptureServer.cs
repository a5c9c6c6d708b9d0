// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Datadog.Otel.Lambda.Tests.SnapStart;

/// <summary>A loopback HTTP/1.1 server that answers one request at a time with 200 and hands back its traceparent header.</summary>
internal sealed class HeaderCaptureServer : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);

    public HeaderCaptureServer() => this.listener.Start();

    private Uri Address => new($"http://127.0.0.1:{((IPEndPoint)this.listener.LocalEndpoint).Port}/");

    /// <summary>Sends a GET with <paramref name="http"/> and returns the traceparent the server received ("" when none).</summary>
    public async Task<string> TraceparentOfAsync(HttpClient http)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var accepted = this.listener.AcceptTcpClientAsync(timeout.Token).AsTask();
        var sent = http.GetAsync(this.Address, timeout.Token);
        using var client = await accepted;
        var stream = client.GetStream();
        var head = new StringBuilder();
        var buffer = new byte[4096];
        while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            Assert.True(read > 0, "the connection closed before the request's headers ended");
            head.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), timeout.Token);
        using var response = await sent;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var line = head.ToString().Split("\r\n").FirstOrDefault(l => l.StartsWith("traceparent:", StringComparison.OrdinalIgnoreCase));
        return line is null ? string.Empty : line["traceparent:".Length..].Trim();
    }

    public void Dispose() => this.listener.Stop();
}
