// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Datadog.Otel.Lambda.Differential.Tests.XRay;

/// <summary>One datagram as the X-Ray daemon receives it: the header line and the segment document.</summary>
internal sealed record XRayDatagram(string Header, JsonObject Document)
{
    public string? TraceId => this.Document["trace_id"]?.GetValue<string>();

    /// <summary>Gets the subsegment's metadata key under <c>datadog</c> (<c>trace</c>, <c>lambda_function_tags</c>, …).</summary>
    public string Key => (this.Document["metadata"]?["datadog"] as JsonObject)?.FirstOrDefault().Key ?? "(none)";
}

/// <summary>
/// A UDP socket on 127.0.0.1 standing in for the X-Ray daemon (<c>AWS_XRAY_DAEMON_ADDRESS</c>); one per side. Datagrams
/// are kept in arrival order. <see cref="DrainAsync"/> sends a marker to itself and returns once the marker arrived:
/// everything the senders sent before is in by then (loopback delivers in order), without waiting a fixed time.
/// </summary>
internal sealed class XRayDaemonStandIn : IDisposable
{
    private const string Marker = "differential-drain-marker";

    private readonly UdpClient socket = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly List<XRayDatagram> datagrams = [];
    private readonly List<string> unreadable = [];

    public string Address => "127.0.0.1:" + ((IPEndPoint)this.socket.Client.LocalEndPoint!).Port;

    public IReadOnlyList<XRayDatagram> Datagrams => this.datagrams;

    /// <summary>Gets datagrams that were not a header line and a JSON document.</summary>
    public IReadOnlyList<string> Unreadable => this.unreadable;

    /// <summary>Receives everything sent so far, bounded in time.</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        using var sender = new UdpClient(AddressFamily.InterNetwork);
        var marker = Encoding.UTF8.GetBytes(Marker);
        await sender.SendAsync(marker, marker.Length, (IPEndPoint)this.socket.Client.LocalEndPoint!);
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            var received = await this.socket.ReceiveAsync(cancel.Token);
            var text = Encoding.UTF8.GetString(received.Buffer);
            if (text == Marker)
            {
                return;
            }

            var newline = text.IndexOf('\n', StringComparison.Ordinal);
            if (newline > 0 && TryParse(text[(newline + 1)..]) is { } document)
            {
                this.datagrams.Add(new XRayDatagram(text[..newline], document));
            }
            else
            {
                this.unreadable.Add(text);
            }
        }
    }

    public void Dispose() => this.socket.Dispose();

    private static JsonObject? TryParse(string json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
