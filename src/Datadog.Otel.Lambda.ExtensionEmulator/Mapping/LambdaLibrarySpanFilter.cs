// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.ExtensionEmulator.Mapping;

/// <summary>
/// The spans the extension's trace processor drops as noise from Lambda libraries and the runtime
/// (<c>filter_span_from_lambda_library_or_runtime</c>, spec §1.4).
/// </summary>
/// <remarks>
/// Only the old <c>http.url</c> tag is checked: OpenTelemetry HTTP client spans carry <c>url.full</c>, so the
/// distribution must suppress its own calls to the Runtime API and the extension itself.
/// </remarks>
internal static class LambdaLibrarySpanFilter
{
    private const string RuntimeApiPrefix = "http://127.0.0.1:9001";
    private const string ExtensionApiPrefix = "http://127.0.0.1:8124";
    private const string DogStatsDPrefix = "http://127.0.0.1:8125";
    private const string NonRoutableAddress = "0.0.0.0";
    private const string LocalHostAddress = "127.0.0.1";
    private const string XRayDaemonAddress = "169.254.79.129";
    private const string PlaceholderResource = "dd-tracer-serverless-span";

    public static bool ShouldDrop(MappedSpan span) =>
        IsLambdaLocalHttpCall(span)
        || IsLambdaLocalTcpConnection(span)
        || IsLocalDnsQuery(span)
        || span.Resource == PlaceholderResource
        || span.Name == "dns.lookup"
        || span.Resource is LocalHostAddress or NonRoutableAddress;

    /// <summary>Meta <c>http.url</c> pointing at the Runtime API (9001), the extension API (8124) or DogStatsD (8125).</summary>
    private static bool IsLambdaLocalHttpCall(MappedSpan span) =>
        span.Meta.TryGetValue("http.url", out var url) && IsLambdaLocalUrl(url);

    /// <summary>Meta <c>tcp.remote.host</c> and <c>tcp.remote.port</c> that, as <c>http://host:port</c>, are one of those URLs.</summary>
    private static bool IsLambdaLocalTcpConnection(MappedSpan span) =>
        span.Meta.TryGetValue("tcp.remote.host", out var host)
        && span.Meta.TryGetValue("tcp.remote.port", out var port)
        && IsLambdaLocalUrl($"http://{host}:{port}");

    /// <summary>Meta <c>dns.address</c> starting with 0.0.0.0, 127.0.0.1 or the X-Ray daemon's 169.254.79.129.</summary>
    private static bool IsLocalDnsQuery(MappedSpan span) =>
        span.Meta.TryGetValue("dns.address", out var address)
        && (address.StartsWith(NonRoutableAddress, StringComparison.Ordinal)
            || address.StartsWith(LocalHostAddress, StringComparison.Ordinal)
            || address.StartsWith(XRayDaemonAddress, StringComparison.Ordinal));

    private static bool IsLambdaLocalUrl(string url) =>
        url.StartsWith(RuntimeApiPrefix, StringComparison.Ordinal)
        || url.StartsWith(ExtensionApiPrefix, StringComparison.Ordinal)
        || url.StartsWith(DogStatsDPrefix, StringComparison.Ordinal);
}
