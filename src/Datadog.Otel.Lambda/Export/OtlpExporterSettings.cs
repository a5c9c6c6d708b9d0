// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using Datadog.Otel.Lambda.Diagnostics;

namespace Datadog.Otel.Lambda.Export;

/// <summary>
/// Where and how spans are exported, from the standard <c>OTEL_EXPORTER_OTLP_*</c> variables with defaults that
/// suit the Datadog Lambda Extension: uncompressed http/protobuf to <c>http://127.0.0.1:4318/v1/traces</c>.
/// </summary>
internal sealed class OtlpExporterSettings
{
    public static readonly Uri DefaultEndpoint = new("http://127.0.0.1:4318/v1/traces");

    /// <summary>Requests stay well under the extension's 2 MB body limit; larger batches are split.</summary>
    public const int DefaultMaxRequestBytes = 512 * 1024;

    public const int DefaultLimit = 128;

    public Uri Endpoint { get; init; } = DefaultEndpoint;

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    public bool Gzip { get; init; }

    public int AttributeCountLimit { get; init; } = DefaultLimit;

    public int LinkCountLimit { get; init; } = DefaultLimit;

    public int EventCountLimit { get; init; } = DefaultLimit;

    public int AttributeValueLengthLimit { get; init; } = int.MaxValue;

    public int MaxRequestBytes { get; init; } = DefaultMaxRequestBytes;

    public int MaxQueuedSpans { get; init; } = 16_384;

    /// <summary>Gets a value indicating whether <c>OTEL_TRACES_EXPORTER</c> names exporters and none of them is <c>otlp</c>.</summary>
    public bool DisabledByOtelTracesExporter { get; init; }

    public static OtlpExporterSettings FromEnvironment(IEnvironmentSource env, Uri? codeEndpoint, int minimumAttributeCountLimit)
    {
        var protocolRaw = SettingParsers.Text(env, EnvironmentVariables.OtelExporterOtlpTracesProtocol)
            ?? SettingParsers.Text(env, EnvironmentVariables.OtelExporterOtlpProtocol);
        if (protocolRaw is not null && !string.Equals(protocolRaw, "http/protobuf", StringComparison.OrdinalIgnoreCase))
        {
            // http/protobuf is the one transport every Datadog extension version with OTLP accepts.
            Diag.InvalidSetting(EnvironmentVariables.OtelExporterOtlpProtocol, protocolRaw, "this exporter speaks http/protobuf, which every OTLP receiver accepts; using http/protobuf");
        }

        var endpoint = ResolveEndpoint(env, codeEndpoint);
        var compression = SettingParsers.Text(env, EnvironmentVariables.OtelExporterOtlpCompression);
        var gzip = string.Equals(compression, "gzip", StringComparison.OrdinalIgnoreCase);
        if (gzip && endpoint.IsLoopback && endpoint.Port == 4318)
        {
            Diag.Warn("config", "OTEL_EXPORTER_OTLP_COMPRESSION=gzip: the Datadog Lambda Extension does not decompress OTLP requests; exports to it will fail.");
        }

        var tracesExporter = SettingParsers.Text(env, EnvironmentVariables.OtelTracesExporter);
        var disabled = tracesExporter is not null
            && !tracesExporter.Split(',', StringSplitOptions.TrimEntries).Contains("otlp", StringComparer.OrdinalIgnoreCase);

        var attributeLimit = ReadLimit(env, EnvironmentVariables.OtelSpanAttributeCountLimit)
            ?? ReadLimit(env, EnvironmentVariables.OtelAttributeCountLimit)
            ?? Math.Max(DefaultLimit, minimumAttributeCountLimit);

        return new OtlpExporterSettings
        {
            Endpoint = endpoint,
            Headers = ParseHeaders(SettingParsers.Text(env, EnvironmentVariables.OtelExporterOtlpTracesHeaders) ?? SettingParsers.Text(env, EnvironmentVariables.OtelExporterOtlpHeaders)),
            Timeout = TimeSpan.FromMilliseconds(
                ReadLimit(env, EnvironmentVariables.OtelExporterOtlpTracesTimeout) ?? ReadLimit(env, EnvironmentVariables.OtelExporterOtlpTimeout) ?? 10_000),
            Gzip = gzip,
            AttributeCountLimit = attributeLimit,
            LinkCountLimit = ReadLimit(env, EnvironmentVariables.OtelSpanLinkCountLimit) ?? DefaultLimit,
            EventCountLimit = ReadLimit(env, EnvironmentVariables.OtelSpanEventCountLimit) ?? DefaultLimit,
            AttributeValueLengthLimit = ReadLimit(env, EnvironmentVariables.OtelAttributeValueLengthLimit) ?? int.MaxValue,
            DisabledByOtelTracesExporter = disabled,
        };
    }

    internal static Uri ResolveEndpoint(IEnvironmentSource env, Uri? codeEndpoint)
    {
        var traces = SettingParsers.Text(env, EnvironmentVariables.OtelExporterOtlpTracesEndpoint);
        if (traces is not null)
        {
            if (Uri.TryCreate(traces, UriKind.Absolute, out var tracesUri) && IsHttp(tracesUri))
            {
                return tracesUri;
            }

            Diag.InvalidSetting(EnvironmentVariables.OtelExporterOtlpTracesEndpoint, traces, "not an absolute http(s) URL");
        }

        var baseEndpoint = SettingParsers.Text(env, EnvironmentVariables.OtelExporterOtlpEndpoint);
        if (baseEndpoint is not null)
        {
            if (Uri.TryCreate(baseEndpoint, UriKind.Absolute, out var baseUri) && IsHttp(baseUri))
            {
                // The signal path is appended to the base endpoint, as the OTLP exporter specification says.
                var text = baseUri.AbsoluteUri;
                return new Uri(text.EndsWith('/') ? text + "v1/traces" : text + "/v1/traces");
            }

            Diag.InvalidSetting(EnvironmentVariables.OtelExporterOtlpEndpoint, baseEndpoint, "not an absolute http(s) URL");
        }

        return codeEndpoint ?? DefaultEndpoint;
    }

    internal static IReadOnlyList<KeyValuePair<string, string>> ParseHeaders(string? raw)
    {
        if (raw is null)
        {
            return [];
        }

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var pair in raw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                Diag.InvalidSetting(EnvironmentVariables.OtelExporterOtlpHeaders, pair, "expected key=value");
                continue;
            }

            headers.Add(new(Uri.UnescapeDataString(pair[..equals].Trim()), Uri.UnescapeDataString(pair[(equals + 1)..].Trim())));
        }

        return headers;
    }

    private static bool IsHttp(Uri uri) => uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps;

    private static int? ReadLimit(IEnvironmentSource env, string name)
    {
        var raw = SettingParsers.Text(env, name);
        if (raw is null)
        {
            return null;
        }

        if (int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0)
        {
            return value;
        }

        Diag.InvalidSetting(name, raw, "expected a non-negative integer");
        return null;
    }
}
