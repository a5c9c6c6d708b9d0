// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using System.Text.Json.Nodes;
using Datadog.Otel.Lambda.ExtensionEmulator;
using Datadog.Otel.Lambda.IntegrationTests.HostileInput;
using Datadog.Otel.Lambda.IntegrationTests.Reliability;
using Datadog.Otel.Lambda.IntegrationTests.TestSupport;

namespace Datadog.Otel.Lambda.IntegrationTests.Security;

/// <summary>
/// Secrets planted everywhere a function has them (AWS credentials in the environment, Authorization and cookie
/// headers, sensitive payload keys) with every capture on; then everything the extension would receive is scanned: the
/// raw bytes of every export request (through a relay in front of the emulator) and every span the emulator decoded.
/// </summary>
[Collection("Tracing")]
public class SecretExportTests
{
    private static readonly string[] HttpEvents = ["api-gateway-rest", "http-api", "alb", "alb-multivalue", "function-url", "websocket", "authorizer-request-rest"];

    private static readonly string[] SensitivePayloadKeys = ["password", "token", "Authorization", "cookie", "set-cookie", "x-api-key", "x-amz-security-token", "x-authorization"];

    [Fact]
    public async Task NoPlantedSecretReachesTheExtension()
    {
        var secrets = new List<string>();
        string Plant(string where)
        {
            var secret = $"SECRET{secrets.Count:D3}x{Guid.NewGuid():N}";
            secrets.Add(secret);
            return secret;
        }

        // Credentials as Lambda sets them, in the process environment too (resource detectors read it).
        var credentials = new Dictionary<string, string?>
        {
            ["AWS_SECRET_ACCESS_KEY"] = Plant("env"),
            ["AWS_SESSION_TOKEN"] = Plant("env"),
            ["AWS_ACCESS_KEY_ID"] = "AKIA" + Plant("env"),
        };
        var original = credentials.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        foreach (var pair in credentials)
        {
            Environment.SetEnvironmentVariable(pair.Key, pair.Value);
        }

        try
        {
            FaultServer? relay = null;
            var environment = new Dictionary<string, string?>(credentials)
            {
                ["DD_CAPTURE_LAMBDA_PAYLOAD"] = "true",
                ["DD_TRACE_PROPAGATION_STYLE"] = "datadog,tracecontext,b3multi,baggage",
                ["OTEL_EXPORTER_OTLP_COMPRESSION"] = "none",
            };
            await using var harness = await EmulatorHarness.StartAsync(environment, route: upstream => (relay = new FaultServer(upstream)).TracesEndpoint);
            await using var tap = relay!;

            var invocations = 0;
            foreach (var name in HttpEvents)
            {
                var root = EventCorpus.Parse(name);
                var headers = root["headers"] as JsonObject ?? new JsonObject();
                root["headers"] = headers;
                headers["Authorization"] = "Bearer " + Plant("header");
                headers["Cookie"] = "session=" + Plant("header");
                headers["x-api-key"] = Plant("header");
                headers["X-Amz-Security-Token"] = Plant("header");
                if (root["multiValueHeaders"] is JsonObject multi)
                {
                    multi["authorization"] = new JsonArray("Basic " + Plant("header"));
                    multi["cookie"] = new JsonArray("a=" + Plant("header"), "b=" + Plant("header"));
                }

                if (name == "http-api")
                {
                    root["cookies"] = new JsonArray("session=" + Plant("cookies"));
                }

                var body = new JsonObject();
                var nested = new JsonObject();
                foreach (var key in SensitivePayloadKeys)
                {
                    body[key] = Plant("body");
                    nested[key] = new JsonObject { ["value"] = Plant("body") };
                }

                body["nested"] = new JsonObject { ["deeper"] = nested };
                root["body"] = body.ToJsonString();
                foreach (var key in SensitivePayloadKeys)
                {
                    root[key] = Plant("event");
                }

                var id = "secret-" + name;
                await DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event(root.ToJsonString()), EmulatorHarness.Context(id), (_, _) => Task.FromResult(0));
                var trace = await harness.TraceOf(id);

                // Payload capture ran, and redacted (the scan below would be vacuous otherwise).
                Assert.Contains(trace.Spans.SelectMany(s => s.Meta), m => m.Key.StartsWith("function.request.", StringComparison.Ordinal) && m.Value == "redacted");
                invocations++;
            }

            var raw = Encoding.UTF8.GetString(tap.Relayed());
            Assert.Contains("secret-api-gateway-rest", raw, StringComparison.Ordinal); // the tap saw the exports in clear
            var decoded = string.Join('\n', harness.Emulator.Spans.Select(Everything));
            var found = secrets.Where(s => raw.Contains(s, StringComparison.Ordinal) || decoded.Contains(s, StringComparison.Ordinal)).ToList();
            Assert.Empty(found.Select(s => (s, decoded.Split('\n').FirstOrDefault(l => l.Contains(s, StringComparison.Ordinal)))));
            Assert.Equal(HttpEvents.Length, invocations);
            ReliabilityFigures.Record("security.SecretsPlanted", secrets.Count);
            ReliabilityFigures.Record("security.SecretsFoundExported", found.Count);
        }
        finally
        {
            foreach (var pair in original)
            {
                Environment.SetEnvironmentVariable(pair.Key, pair.Value);
            }
        }
    }

    [Fact]
    public async Task TagsValuesDepthAndLinksStayWithinTheirBounds()
    {
        await using var harness = await EmulatorHarness.StartAsync(new() { ["DD_CAPTURE_LAMBDA_PAYLOAD"] = "true" });

        // 3,000 keys, 200 levels, a 1 MB string: more than every bound at once.
        var wide = string.Join(',', Enumerable.Range(0, 3_000).Select(i => $"\"k{i}\":{i}"));
        var deep = string.Concat(Enumerable.Repeat("{\"d\":", 200)) + "1" + new string('}', 200);
        var big = new string('x', 1_000_000);
        await DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event($"{{\"wide\":{{{wide}}},\"deep\":{deep},\"big\":\"{big}\"}}"), EmulatorHarness.Context("bounds"), (_, _) => Task.FromResult(0));
        var lambda = (await harness.TraceOf("bounds")).Spans.Single(s => s.Name == "aws.lambda");
        var payloadTags = lambda.Meta.Where(m => m.Key.StartsWith("function.request", StringComparison.Ordinal)).ToList();
        Assert.InRange(payloadTags.Count, 1, 758);
        Assert.All(lambda.Meta.Values, v => Assert.InRange(v.Length, 0, 5_000 + 16));
        Assert.All(payloadTags, t => Assert.InRange(t.Key.Count(c => c == '.'), 0, 2 + 10));

        // An SQS batch of 500 records with 500 upstream contexts: links capped at DD_OTEL_LAMBDA_MAX_BATCH_LINKS (100).
        var records = string.Join(',', Enumerable.Range(1, 500).Select(i =>
            $$$"""{"messageId":"m{{{i}}}","body":"x","attributes":{"SentTimestamp":"1"},"messageAttributes":{"_datadog":{"dataType":"String","stringValue":"{\"x-datadog-trace-id\":\"{{{i}}}\",\"x-datadog-parent-id\":\"1\",\"x-datadog-sampling-priority\":\"1\"}"}},"eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-1:1:q"}"""));
        await DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{\"Records\":[" + records + "]}"), EmulatorHarness.Context("links"), (_, _) => Task.FromResult(0));
        var spans = (await harness.TraceOf("links")).Spans;
        Assert.InRange(spans.Max(s => s.Links.Count), 1, 100);
        Assert.All(spans, s => Assert.InRange(s.Meta.Count + s.Metrics.Count, 0, 758 + 128));
    }

    private static string Everything(DatadogSpan span) =>
        string.Join('\n', [span.Name, span.Service, span.Resource, span.Type, .. span.Meta.Select(m => m.Key + "=" + m.Value), .. span.Metrics.Keys]);
}
