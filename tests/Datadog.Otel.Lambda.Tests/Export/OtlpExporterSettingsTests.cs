// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Export;

namespace Datadog.Otel.Lambda.Tests.Export;

public class OtlpExporterSettingsTests
{
    private static OtlpExporterSettings FromEnv(Dictionary<string, string?> env, Uri? code = null, int minimumAttributes = 128) =>
        OtlpExporterSettings.FromEnvironment(EnvironmentSource.FromDictionary(env), code, minimumAttributes);

    [Fact]
    public void DefaultsToTheExtensionOverHttpProtobuf()
    {
        var settings = FromEnv(new());
        Assert.Equal("http://127.0.0.1:4318/v1/traces", settings.Endpoint.ToString());
        Assert.False(settings.Gzip);
        Assert.Equal(128, settings.AttributeCountLimit);
        Assert.False(settings.DisabledByOtelTracesExporter);
    }

    [Theory]
    [InlineData("http://collector:4318", "http://collector:4318/v1/traces")]
    [InlineData("http://collector:4318/", "http://collector:4318/v1/traces")]
    [InlineData("http://collector:4318/base", "http://collector:4318/base/v1/traces")]
    public void BaseEndpointGetsTheSignalPath(string value, string expected) =>
        Assert.Equal(expected, FromEnv(new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = value }).Endpoint.ToString());

    [Fact]
    public void TracesEndpointIsUsedAsIsAndWins()
    {
        var settings = FromEnv(new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://a:1", ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = "http://b:2/custom" });
        Assert.Equal("http://b:2/custom", settings.Endpoint.ToString());
    }

    [Fact]
    public void EnvironmentWinsOverTheCodeEndpointWhichWinsOverTheDefault()
    {
        Assert.Equal("http://code:9/v1/traces", FromEnv(new(), new Uri("http://code:9/v1/traces")).Endpoint.ToString());
        Assert.Equal("http://env:1/v1/traces", FromEnv(new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://env:1" }, new Uri("http://code:9/v1/traces")).Endpoint.ToString());
    }

    [Fact]
    public void InvalidEndpointFallsBackToTheDefault() =>
        Assert.Equal(OtlpExporterSettings.DefaultEndpoint, FromEnv(new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "not a url" }).Endpoint);

    [Theory]
    [InlineData("none", true)]
    [InlineData("console", true)]
    [InlineData("otlp", false)]
    [InlineData("console,otlp", false)]
    public void OtelTracesExporterCanDisableTheExporter(string value, bool disabled) =>
        Assert.Equal(disabled, FromEnv(new() { ["OTEL_TRACES_EXPORTER"] = value }).DisabledByOtelTracesExporter);

    [Fact]
    public void ParsesHeadersTimeoutCompressionAndLimits()
    {
        var settings = FromEnv(new()
        {
            ["OTEL_EXPORTER_OTLP_HEADERS"] = "dd-api-key=abc%20d, x=1,broken",
            ["OTEL_EXPORTER_OTLP_TIMEOUT"] = "2500",
            ["OTEL_EXPORTER_OTLP_COMPRESSION"] = "gzip",
            ["OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT"] = "16",
            ["OTEL_SPAN_LINK_COUNT_LIMIT"] = "4",
        });
        Assert.Equal(["dd-api-key=abc d", "x=1"], settings.Headers.Select(h => h.Key + "=" + h.Value));
        Assert.Equal(TimeSpan.FromMilliseconds(2500), settings.Timeout);
        Assert.True(settings.Gzip);
        Assert.Equal(16, settings.AttributeCountLimit);
        Assert.Equal(4, settings.LinkCountLimit);
    }

    [Fact]
    public void PayloadCaptureRaisesTheDefaultAttributeLimitButNotAnExplicitOne()
    {
        Assert.Equal(2048, FromEnv(new(), minimumAttributes: 2048).AttributeCountLimit);
        Assert.Equal(200, FromEnv(new() { ["OTEL_ATTRIBUTE_COUNT_LIMIT"] = "200" }, minimumAttributes: 2048).AttributeCountLimit);
    }

    [Fact]
    public void UnsupportedProtocolKeepsTheEndpoint() =>
        Assert.Equal(OtlpExporterSettings.DefaultEndpoint, FromEnv(new() { ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc" }).Endpoint);
}
