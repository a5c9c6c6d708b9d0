// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.TestSupport;
using Datadog.Otel.Lambda.Export;

namespace Datadog.Otel.Lambda.Deployment.Tests.CollectorConfig;

/// <summary>
/// Every file in otel-collector-config/ receives what <c>AddDatadogLambda()</c> sends with no settings: the default
/// endpoint is read from the library itself, so a change of default fails here until the files follow.
/// </summary>
public sealed class CollectorConfigTests
{
    private static readonly string ConfigDirectory = RepositoryPaths.Combine("otel-collector-config");

    // What the library does with an empty environment and no code option.
    private static readonly Uri DefaultEndpoint =
        OtlpExporterSettings.FromEnvironment(EnvironmentSource.FromDictionary(new Dictionary<string, string?>()), codeEndpoint: null, minimumAttributeCountLimit: 0).Endpoint;

    public static TheoryData<string> CollectorFiles()
    {
        var data = new TheoryData<string>();
        foreach (var name in CollectorFileNames())
        {
            data.Add(name);
        }

        return data;
    }

    private static List<string> CollectorFileNames() =>
        Directory.GetFiles(ConfigDirectory, "*.yaml").Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void The_directory_holds_layer_gateway_and_extension_configurations()
    {
        var names = CollectorFileNames();
        Assert.Contains(names, n => n.StartsWith("lambda-layer-", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("gateway-", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(ConfigDirectory, "datadog-extension.env")));
        var readme = File.ReadAllText(Path.Combine(ConfigDirectory, "README.md"));
        foreach (var name in names.Append("datadog-extension.env"))
        {
            Assert.Contains("(" + name + ")", readme, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(CollectorFiles))]
    public void Otlp_receivers_listen_with_http_on_the_default_port_and_path(string file)
    {
        var config = CollectorConfigFile.Load(Path.Combine(ConfigDirectory, file));
        var otlpReceivers = CollectorConfigFile.Keys(config.Mapping("receivers"))
            .Where(k => k == "otlp" || k.StartsWith("otlp/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(otlpReceivers);

        foreach (var receiver in otlpReceivers)
        {
            // The library speaks http/protobuf only; a grpc listener would be a port nobody sends to.
            Assert.Equal(["http"], CollectorConfigFile.Keys(config.Mapping("receivers", receiver, "protocols")));
            var endpoint = config.Scalar("receivers", receiver, "protocols", "http", "endpoint");
            Assert.False(string.IsNullOrEmpty(endpoint), file + ": the http endpoint must be explicit (the Collector's default host differs between versions)");
            var (host, port) = SplitHostPort(endpoint!);
            Assert.Equal(DefaultEndpoint.Port, port);

            var path = config.Scalar("receivers", receiver, "protocols", "http", "traces_url_path") ?? "/v1/traces";
            Assert.Equal(DefaultEndpoint.AbsolutePath, path);

            if (file.StartsWith("lambda-layer-", StringComparison.Ordinal))
            {
                // In the sandbox the function sends to loopback with no setting at all.
                Assert.True(host is "localhost" || host == DefaultEndpoint.Host, file + ": a layer listens where the function sends by default, not on " + host);
            }
            else
            {
                // A gateway is reached over the network: the file must tell users how to point the function at it.
                Assert.Equal("0.0.0.0", host);
                Assert.Contains("OTEL_EXPORTER_OTLP_ENDPOINT=http://", File.ReadAllText(Path.Combine(ConfigDirectory, file)), StringComparison.Ordinal);
            }

            Assert.Contains(receiver, config.List("service", "pipelines", "traces", "receivers"));
        }
    }

    [Theory]
    [MemberData(nameof(CollectorFiles))]
    public void Pipelines_name_only_defined_components_and_the_api_key_comes_from_a_secret(string file)
    {
        var config = CollectorConfigFile.Load(Path.Combine(ConfigDirectory, file));
        var receivers = CollectorConfigFile.Keys(config.Mapping("receivers")).ToHashSet();
        var processors = CollectorConfigFile.Keys(config.Mapping("processors")).ToHashSet();
        var exporters = CollectorConfigFile.Keys(config.Mapping("exporters")).ToHashSet();
        var connectors = CollectorConfigFile.Keys(config.Mapping("connectors")).ToHashSet();

        var pipelines = CollectorConfigFile.Keys(config.Mapping("service", "pipelines")).ToList();
        Assert.Contains("traces", pipelines);
        foreach (var pipeline in pipelines)
        {
            Assert.All(config.List("service", "pipelines", pipeline, "receivers"), r => Assert.True(receivers.Contains(r) || connectors.Contains(r), file + ": unknown receiver " + r));
            Assert.All(config.List("service", "pipelines", pipeline, "processors"), p => Assert.Contains(p, processors));
            Assert.All(config.List("service", "pipelines", pipeline, "exporters"), e => Assert.True(exporters.Contains(e) || connectors.Contains(e), file + ": unknown exporter " + e));
        }

        var keys = new List<string?>();
        foreach (var exporter in exporters)
        {
            if (exporter == "datadog" || exporter.StartsWith("datadog/", StringComparison.Ordinal))
            {
                keys.Add(config.Scalar("exporters", exporter, "api", "key"));
            }
            else if (exporter.StartsWith("otlphttp", StringComparison.Ordinal))
            {
                keys.Add(config.Scalar("exporters", exporter, "headers", "dd-api-key"));
                Assert.EndsWith("/v1/traces", config.Scalar("exporters", exporter, "traces_endpoint"), StringComparison.Ordinal);
            }
        }

        Assert.NotEmpty(keys);
        Assert.All(keys, key => Assert.Matches(@"^\$\{(env|secretsmanager):[^}]+\}$", key ?? string.Empty));

        // A Datadog connector feeds APM stats: it must take traces and hand metrics to the Datadog exporter.
        foreach (var connector in connectors.Where(c => c.StartsWith("datadog/", StringComparison.Ordinal)))
        {
            Assert.Contains(connector, config.List("service", "pipelines", "traces", "exporters"));
            Assert.Contains(connector, config.List("service", "pipelines", "metrics", "receivers"));
            Assert.Contains("datadog", config.List("service", "pipelines", "metrics", "exporters"));
        }
    }

    [Fact]
    public void The_extension_settings_enable_the_http_receiver_on_the_default_port()
    {
        var settings = File.ReadAllLines(Path.Combine(ConfigDirectory, "datadog-extension.env"))
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => line.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);

        var (_, port) = SplitHostPort(settings["DD_OTLP_CONFIG_RECEIVER_PROTOCOLS_HTTP_ENDPOINT"]);
        Assert.Equal(DefaultEndpoint.Port, port);

        // The extension binds 127.0.0.1 whatever host the value names; the library must send to loopback.
        Assert.True(DefaultEndpoint.IsLoopback);

        // Setting the gRPC endpoint would make older extensions fall back to their Go agent (see the spec).
        Assert.DoesNotContain("DD_OTLP_CONFIG_RECEIVER_PROTOCOLS_GRPC_ENDPOINT", settings.Keys);
        Assert.False(settings.ContainsKey("DD_API_KEY"), "the API key belongs in a secret (DD_API_KEY_SECRET_ARN)");
        Assert.StartsWith("arn:aws:secretsmanager:", settings["DD_API_KEY_SECRET_ARN"], StringComparison.Ordinal);
    }

    private static (string Host, int Port) SplitHostPort(string endpoint)
    {
        var text = endpoint.Contains("://", StringComparison.Ordinal) ? endpoint : "http://" + endpoint;
        var uri = new Uri(text);
        return (uri.Host, uri.Port);
    }
}
