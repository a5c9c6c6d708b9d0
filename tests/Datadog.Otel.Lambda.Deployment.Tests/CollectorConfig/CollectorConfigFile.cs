// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using YamlDotNet.RepresentationModel;

namespace Datadog.Otel.Lambda.Deployment.Tests.CollectorConfig;

/// <summary>One Collector configuration file of otel-collector-config/, parsed as YAML.</summary>
internal sealed class CollectorConfigFile
{
    private CollectorConfigFile(string name, YamlMappingNode root)
    {
        Name = name;
        Root = root;
    }

    public string Name { get; }

    public YamlMappingNode Root { get; }

    public static CollectorConfigFile Load(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            stream.Load(reader);
        }

        Assert.True(stream.Documents.Count == 1, Path.GetFileName(path) + ": expected one YAML document");
        var root = Assert.IsType<YamlMappingNode>(stream.Documents[0].RootNode);
        return new CollectorConfigFile(Path.GetFileName(path), root);
    }

    /// <summary>Gets the mapping at a path of keys, or null when a key is missing.</summary>
    public YamlMappingNode? Mapping(params string[] keys) => Node(keys) as YamlMappingNode;

    /// <summary>Gets the scalar text at a path of keys, or null when a key is missing.</summary>
    public string? Scalar(params string[] keys) => (Node(keys) as YamlScalarNode)?.Value;

    /// <summary>Gets the names listed at a path of keys (a YAML sequence), empty when missing.</summary>
    public IReadOnlyList<string> List(params string[] keys) =>
        Node(keys) is YamlSequenceNode sequence
            ? sequence.Children.Select(c => ((YamlScalarNode)c).Value ?? string.Empty).ToList()
            : [];

    public static IEnumerable<string> Keys(YamlMappingNode? mapping) =>
        mapping is null ? [] : mapping.Children.Keys.Select(k => ((YamlScalarNode)k).Value ?? string.Empty);

    private YamlNode? Node(string[] keys)
    {
        YamlNode? node = Root;
        foreach (var key in keys)
        {
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out node))
            {
                return null;
            }
        }

        return node;
    }
}
