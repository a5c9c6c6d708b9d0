// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Datadog.Otel.Lambda.Diagnostics;
using Datadog.Otel.Lambda.Propagation;

namespace Datadog.Otel.Lambda.XRay;

/// <summary>
/// Sends Datadog's <c>datadog-metadata</c> subsegments to the X-Ray daemon (<c>AWS_XRAY_DAEMON_ADDRESS</c>), so the X-Ray
/// console links to the Datadog trace: a <c>trace</c> subsegment with the Datadog ids once the upstream context is known,
/// and a <c>lambda_function_tags</c> subsegment with the trigger tags at the end. Only for invocations X-Ray samples
/// (<c>Sampled=1</c>), only to a literal <c>ip:port</c> or <c>localhost:port</c> (no DNS lookup on the invocation path);
/// one non-blocking UDP datagram each, never an exception.
/// </summary>
internal sealed class XRayDaemonClient : IDisposable
{
    private static readonly byte[] Header = "{\"format\": \"json\", \"version\": 1}\n"u8.ToArray();

    private readonly IPEndPoint? endpoint;
    private readonly TimeProvider time;
    private readonly object sync = new();
    private Socket? socket;

    public XRayDaemonClient(string? address, TimeProvider time)
    {
        this.endpoint = ParseAddress(address);
        this.time = time;
    }

    public bool IsEnabled => this.endpoint is not null;

    /// <summary>Parses <c>host:port</c>; anything else (no port, a hostname other than localhost, a bad port) disables sending.</summary>
    internal static IPEndPoint? ParseAddress(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return null;
        }

        var colon = address.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is 0 or > 65535)
        {
            Diag.InvalidSetting(EnvironmentVariables.AwsXRayDaemonAddress, address, "expected ip:port; X-Ray metadata is not sent");
            return null;
        }

        var host = address[..colon].Trim('[', ']');
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return new IPEndPoint(IPAddress.Loopback, port);
        }

        if (!IPAddress.TryParse(host, out var ip))
        {
            Diag.InvalidSetting(EnvironmentVariables.AwsXRayDaemonAddress, address, "the host must be an IP address; X-Ray metadata is not sent");
            return null;
        }

        return new IPEndPoint(ip, port);
    }

    /// <summary>Sends one <c>datadog-metadata</c> subsegment under the invocation's X-Ray segment.</summary>
    public void Send(in XRayTraceHeader header, string rawHeader, string key, Action<Utf8JsonWriter> writeValue)
    {
        if (this.endpoint is null || header.Sampled != XRaySampled.Sampled || !header.HasParent)
        {
            return;
        }

        try
        {
            var buffer = new ArrayBufferWriter<byte>(512);
            buffer.Write(Header);
            using (var json = new Utf8JsonWriter(buffer))
            {
                var now = this.time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
                // From the kernel on each call (Guid.NewGuid, as the trace ids): Random.Shared keeps its state per
                // thread, which a SnapStart snapshot restores alike in every sandbox, and X-Ray keeps one subsegment
                // per id in a trace that several restored sandboxes can serve.
                Span<byte> id = stackalloc byte[16];
                Guid.NewGuid().TryWriteBytes(id);
                json.WriteStartObject();
                json.WriteString("id", Convert.ToHexString(id[..8]).ToLowerInvariant());
                json.WriteString("trace_id", rawHeader.AsSpan(header.RootRange));
                json.WriteString("parent_id", rawHeader.AsSpan(header.ParentRange));
                json.WriteString("name", "datadog-metadata");
                json.WriteNumber("start_time", now);
                json.WriteNumber("end_time", now);
                json.WriteString("type", "subsegment");
                json.WriteStartObject("metadata");
                json.WriteStartObject("datadog");
                json.WritePropertyName(key);
                writeValue(json);
                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteEndObject();
            }

            this.GetSocket()?.SendTo(buffer.WrittenSpan, SocketFlags.None, this.endpoint);
        }
#pragma warning disable CA1031 // Telemetry to X-Ray is best effort and must never affect the invocation.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Diag.Debug("xray", "the X-Ray metadata subsegment was not sent: " + ex.Message);
        }
    }

    public void Dispose()
    {
        lock (this.sync)
        {
            this.socket?.Dispose();
            this.socket = null;
        }
    }

    private Socket? GetSocket()
    {
        if (this.socket is { } existing)
        {
            return existing;
        }

        lock (this.sync)
        {
            // A UDP send never waits for the receiver; non-blocking mode also drops instead of waiting for buffer space.
            return this.socket ??= new Socket(this.endpoint!.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { Blocking = false };
        }
    }
}
