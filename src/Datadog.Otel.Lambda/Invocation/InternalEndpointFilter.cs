// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Globalization;

namespace Datadog.Otel.Lambda.Invocation;

/// <summary>
/// Recognises HTTP client spans to Lambda's own plumbing: the Runtime API (<c>AWS_LAMBDA_RUNTIME_API</c>) and the
/// Datadog extension's ports (8124 lifecycle, 8125 DogStatsD, 8126 traces, 4317/4318 OTLP). The extension filters such
/// spans only by the old <c>http.url</c> tag; OpenTelemetry's HttpClient spans use <c>url.full</c>, so they are dropped here.
/// </summary>
internal sealed class InternalEndpointFilter
{
    private static readonly int[] ExtensionPorts = [8124, 8125, 8126, 4317, 4318];

    private readonly string? runtimeApiHost;
    private readonly int runtimeApiPort;
    private readonly string[] urlPrefixes;

    public InternalEndpointFilter(string? runtimeApi)
    {
        var prefixes = new List<string>();
        foreach (var port in ExtensionPorts)
        {
            prefixes.Add("http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture) + "/");
            prefixes.Add("http://localhost:" + port.ToString(CultureInfo.InvariantCulture) + "/");
        }

        if (!string.IsNullOrEmpty(runtimeApi))
        {
            prefixes.Add("http://" + runtimeApi.TrimEnd('/') + "/");
            var colon = runtimeApi.LastIndexOf(':');
            if (colon > 0 && int.TryParse(runtimeApi.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            {
                this.runtimeApiHost = runtimeApi[..colon];
                this.runtimeApiPort = port;
            }
        }

        this.urlPrefixes = prefixes.ToArray();
    }

    public bool IsInternal(Activity activity)
    {
        if (activity.Kind != ActivityKind.Client)
        {
            return false;
        }

        string? address = null;
        var port = -1;
        foreach (ref readonly var tag in activity.EnumerateTagObjects())
        {
            switch (tag.Key)
            {
                case "url.full":
                case "http.url":
                    if (tag.Value is string url && this.MatchesUrl(url))
                    {
                        return true;
                    }

                    break;
                case "server.address":
                case "net.peer.name":
                    address = tag.Value as string;
                    break;
                case "server.port":
                case "net.peer.port":
                    port = tag.Value switch
                    {
                        int i => i,
                        long l => (int)l,
                        string s when int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) => parsed,
                        _ => -1,
                    };
                    break;
            }
        }

        return address is not null && port >= 0 && this.MatchesAddress(address, port);
    }

    private bool MatchesUrl(string url)
    {
        foreach (var prefix in this.urlPrefixes)
        {
            if (url.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private bool MatchesAddress(string address, int port)
    {
        if (this.runtimeApiHost is not null && port == this.runtimeApiPort && string.Equals(address, this.runtimeApiHost, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (address is not ("127.0.0.1" or "localhost"))
        {
            return false;
        }

        return Array.IndexOf(ExtensionPorts, port) >= 0;
    }
}
