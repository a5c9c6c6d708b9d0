// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using System.Text.Json.Nodes;

namespace Datadog.Otel.Lambda.Benchmarks;

/// <summary>The sample events of the test corpus (tests/Datadog.Otel.Lambda.Tests/TestData/events).</summary>
internal static class Events
{
    public static byte[] Load(string name)
    {
        if (name == "sqs-10")
        {
            // Ten records, each with its own trace context: the batch a typical SQS consumer gets.
            var node = JsonNode.Parse(Read("sqs.json"))!;
            var records = node["Records"]!.AsArray();
            var first = records[0]!.ToJsonString();
            for (var i = 1; i < 10; i++)
            {
                var copy = JsonNode.Parse(first.Replace("2684756524522091840", (2684756524522091840 + (ulong)i).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))!;
                records.Add(copy);
            }

            return Encoding.UTF8.GetBytes(node.ToJsonString());
        }

        return Encoding.UTF8.GetBytes(Read(name + ".json"));
    }

    private static string Read(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "events", file));
}
