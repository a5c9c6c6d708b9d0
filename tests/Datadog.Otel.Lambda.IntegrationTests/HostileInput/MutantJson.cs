// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Datadog.Otel.Lambda.IntegrationTests.HostileInput;

/// <summary>
/// Writes a JSON tree as UTF-8 with hostile edits that no JSON library would write: a node replaced by raw bytes
/// (invalid UTF-8, broken JSON, a number out of every range), or a member duplicated with a raw value. Nodes are
/// chosen by reference, so an edit can target a path (<c>Records[0].messageAttributes</c>) or a node picked at random.
/// </summary>
internal sealed class MutantJson
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Dictionary<JsonNode, byte[]> replacements = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<JsonNode, (string Name, byte[] Value)> duplicates = new(ReferenceEqualityComparer.Instance);

    public void Replace(JsonNode node, byte[] fragment) => this.replacements[node] = fragment;

    /// <summary>Writes <paramref name="value"/> as a second member named <paramref name="name"/> in <paramref name="obj"/>.</summary>
    public void Duplicate(JsonObject obj, string name, byte[] value) => this.duplicates[obj] = (name, value);

    /// <summary>Every node of the tree, depth first (the root first).</summary>
    public static List<JsonNode> Nodes(JsonNode root)
    {
        var all = new List<JsonNode>();
        var stack = new Stack<JsonNode>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            all.Add(node);
            switch (node)
            {
                case JsonObject obj:
                    foreach (var member in obj)
                    {
                        if (member.Value is not null)
                        {
                            stack.Push(member.Value);
                        }
                    }

                    break;
                case JsonArray array:
                    foreach (var item in array)
                    {
                        if (item is not null)
                        {
                            stack.Push(item);
                        }
                    }

                    break;
            }
        }

        return all;
    }

    public byte[] Write(JsonNode root)
    {
        using var output = new MemoryStream();
        this.Write(output, root);
        return output.ToArray();
    }

    private static void Raw(Stream output, string text) => output.Write(Encoding.UTF8.GetBytes(text));

    private void Write(Stream output, JsonNode? node)
    {
        if (node is not null && this.replacements.TryGetValue(node, out var fragment))
        {
            output.Write(fragment);
            return;
        }

        switch (node)
        {
            case null:
                Raw(output, "null");
                break;
            case JsonObject obj:
                output.WriteByte((byte)'{');
                var first = true;
                foreach (var member in obj)
                {
                    if (!first)
                    {
                        output.WriteByte((byte)',');
                    }

                    first = false;
                    Raw(output, JsonSerializer.Serialize(member.Key, Relaxed));
                    output.WriteByte((byte)':');
                    this.Write(output, member.Value);
                }

                if (this.duplicates.TryGetValue(obj, out var duplicate))
                {
                    if (!first)
                    {
                        output.WriteByte((byte)',');
                    }

                    Raw(output, JsonSerializer.Serialize(duplicate.Name, Relaxed));
                    output.WriteByte((byte)':');
                    output.Write(duplicate.Value);
                }

                output.WriteByte((byte)'}');
                break;
            case JsonArray array:
                output.WriteByte((byte)'[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        output.WriteByte((byte)',');
                    }

                    this.Write(output, array[i]);
                }

                output.WriteByte((byte)']');
                break;
            default:
                Raw(output, node.ToJsonString(Relaxed));
                break;
        }
    }
}
