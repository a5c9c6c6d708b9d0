// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Datadog.Otel.Lambda.ExtensionEmulator;
using Datadog.Otel.Lambda.IntegrationTests.HostileInput;
using Datadog.Otel.Lambda.IntegrationTests.Reliability;
using Datadog.Otel.Lambda.IntegrationTests.TestSupport;
using Datadog.Otel.Lambda.Payload;
using FsCheck;
using FsCheck.Fluent;

namespace Datadog.Otel.Lambda.IntegrationTests.Security;

/// <summary>
/// The property behind redaction by default: a secret planted under each sensitive name (the built-in list, in the
/// spellings names come in), at a random place of a random event of every supported shape (a key anywhere, headers,
/// query strings, JSON, form and multipart bodies, JSON too deep to expand, past the capture depth or inside strings,
/// base64 bodies, Kinesis data, gzip log data, message bodies, text lines, the referer, the handler's response), never
/// leaves the function: payload capture is on, every exported byte goes through a relay to the extension emulator over
/// loopback and is scanned, and so is every diagnostic the distribution writes (its EventSource at the verbose level,
/// which carries every line stdout would).
/// </summary>
[Trait("Category", "Slow")]
[Collection("Tracing")]
public class PlantedSecretProperties
{
    /// <summary>Property cases; each plants one secret under every name (so each name is tried this many times).</summary>
    public const int Cases = 12;

    internal static readonly string[] Shapes = EventCorpusNames();

    [Fact]
    public async Task NoSecretPlantedUnderASensitiveNameLeavesTheFunction()
    {
        var names = Names();
        var plans = new List<Plan[]>();
        PropertyRun.Check(Gen.ArrayOf(PlanGen(), names.Count), Cases, plans.Add);

        FaultServer? relay = null;
        await using var harness = await EmulatorHarness.StartAsync(
            new()
            {
                ["DD_CAPTURE_LAMBDA_PAYLOAD"] = "true",
                ["DD_TRACE_PROPAGATION_STYLE"] = "datadog,tracecontext,b3multi,baggage",
                ["OTEL_EXPORTER_OTLP_COMPRESSION"] = "none",
            },
            route: upstream => (relay = new FaultServer(upstream)).TracesEndpoint);
        await using var tap = relay!;
        using var diagnostics = new DiagnosticsRecorder();

        var planted = new List<(string Secret, string Label)>();
        var withoutRedaction = new List<string>();
        for (var c = 0; c < plans.Count; c++)
        {
            for (var n = 0; n < names.Count; n++)
            {
                var plan = plans[c][n];
                var secret = "PLANTED" + c.ToString("D2", CultureInfo.InvariantCulture) + n.ToString("D3", CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N")[..16];
                var name = Spell(names[n], plan.Spelling);
                var (evt, response, label) = Plant(Shapes[plan.Shape], plan.Place, name, secret, new Random(plan.Seed));
                label = $"{label} (plan {plan})";
                planted.Add((secret, label));
                var id = $"planted-{c}-{n}";
                await DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event(evt), EmulatorHarness.Context(id), (_, _) => Task.FromResult(response));
                var trace = await harness.TraceOf(id);
                // Capture ran and redacted here, or stopped at its tag cap before the place (then nothing of it left).
                if (!trace.Spans.SelectMany(s => s.Meta).Any(m => m.Value.Contains(PayloadTagValues.Redacted, StringComparison.Ordinal) || m.Key == PayloadTagValues.IncompleteTag))
                {
                    withoutRedaction.Add(label);
                }
            }

            // Scanned after every case: a failure names the case, its plan and where the secret was seen.
            var raw = Encoding.UTF8.GetString(tap.Relayed());
            var decoded = string.Join('\n', harness.Emulator.Spans.Select(Everything));
            var lines = string.Join('\n', diagnostics.Messages);
            var leaks = planted
                .Where(p => raw.Contains(p.Secret, StringComparison.Ordinal) || decoded.Contains(p.Secret, StringComparison.Ordinal) || lines.Contains(p.Secret, StringComparison.Ordinal))
                .Select(p => $"{p.Label}: {Where(p.Secret, decoded, lines)}")
                .ToList();
            Assert.True(leaks.Count == 0, $"seed {PropertyRun.Seed}, case {c}: {leaks.Count} secrets left the function:\n{string.Join('\n', leaks.Take(10))}");
        }

        // Every invocation showed its redaction (the scan would be vacuous otherwise), and the relay saw the exports in clear.
        Assert.Empty(withoutRedaction);
        Assert.Contains("planted-0-0", Encoding.UTF8.GetString(tap.Relayed()), StringComparison.Ordinal);
        ReliabilityFigures.Record("security.PlantedNames", names.Count);
        ReliabilityFigures.Record("security.PlantedSecrets", planted.Count);
        ReliabilityFigures.Record("security.PlantedSecretsFound", 0);
    }

    /// <summary>The built-in names (docs/security.md) and the AWS field names they stand for, each once.</summary>
    internal static List<string> Names()
    {
        string[] aws =
        [
            "authorizationToken", "identitySource", "apiKey", "Proxy-Authorization", "X-Auth-Token", "access_token", "refresh_token",
            "id_token", "client_secret", "api_key", "secret", "password", "token", "authorization", "x-authorization", "cookie",
            "cookies", "set-cookie", "x-api-key", "x-amz-security-token", "accessKey", "x-amzn-oidc-accesstoken", "X-Amz-Signature",
            "X-Amz-Credential", "challengeAnswer", "privateChallengeParameters", "sessionToken", "SecretAccessKey", "JSESSIONID",
            "PHPSESSID", "private_key", "passphrase", "DB_PASSWORD",
        ];
        return aws.Concat(SensitiveKeys.Fragments).Concat(SensitiveKeys.Names).DistinctBy(n => n.ToUpperInvariant()).ToList();
    }

    internal static Gen<Plan> PlanGen() =>
        Gen.Zip(Gen.Choose(0, Shapes.Length - 1), Gen.Zip(Gen.Choose(0, Places.Length - 1), Gen.Zip(Gen.Choose(0, 5), Gen.Choose(0, int.MaxValue))))
            .Select(t => new Plan(t.Item1, t.Item2.Item1, t.Item2.Item2.Item1, t.Item2.Item2.Item2));

    internal static readonly string[] Places =
    [
        "key at a random object", "object at a random object", "header", "bearer header", "query parameters", "raw query string",
        "JSON body", "JSON body 100 levels deep", "past the capture depth", "form body", "multipart body", "base64 JSON body",
        "base64 form body", "Kinesis data", "gzip log data", "message body envelope", "text line", "referer", "response",
        "JSON in a string in base64",
    ];

    internal static (string Event, string Response, string Label) Plant(string shape, int place, string name, string secret, Random random)
    {
        var root = EventCorpus.Parse(shape).AsObject();
        var response = "{\"statusCode\":200}";
        var json = Member(name, secret, random);
        switch (place)
        {
            case 0:
                RandomObject(root, random)[name] = secret;
                break;
            case 1:
                RandomObject(root, random)[name] = new JsonObject { ["value"] = secret, ["list"] = new JsonArray(secret, 1) };
                break;
            case 2:
                Child(root, "headers")[name] = secret;
                Child(root, "multiValueHeaders")[name] = new JsonArray(secret);
                break;
            case 3:
                Child(root, "headers")[name] = "Bearer " + secret;
                break;
            case 4:
                Child(root, "queryStringParameters")[name] = secret;
                Child(root, "multiValueQueryStringParameters")[name] = new JsonArray("x", secret);
                break;
            case 5:
                root["rawQueryString"] = "page=2&" + Uri.EscapeDataString(name) + "=" + secret + "&sort=asc";
                break;
            case 6:
                root["body"] = json;
                break;
            case 7:
                var deep = new string('[', 100) + new string(']', 100);
                root["body"] = random.Next(2) == 0 ? "{\"x\":" + deep + "," + json[1..] : json[..^1] + ",\"x\":" + deep + "}";
                break;
            case 8:
                var nested = new JsonObject { ["inner"] = json, [name] = secret };
                for (var i = 0; i < 12; i++)
                {
                    nested = new JsonObject { ["level" + i] = nested };
                }

                root["nested"] = nested;
                break;
            case 9:
                root["body"] = "a=1&" + Uri.EscapeDataString(name) + "=" + secret + "&b=2";
                break;
            case 10:
                root["body"] = $"--xyz\r\nContent-Disposition: form-data; name=\"user\"\r\n\r\nu\r\n--xyz\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{secret}\r\n--xyz--\r\n";
                break;
            case 11:
                root["body"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
                root["isBase64Encoded"] = true;
                break;
            case 12:
                root["body"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("a=1&" + Uri.EscapeDataString(name) + "=" + secret));
                root["isBase64Encoded"] = true;
                break;
            case 13:
                var data = Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
                if (root["Records"] is JsonArray { Count: > 0 } records && records[0]?["kinesis"] is JsonObject kinesis)
                {
                    kinesis["data"] = data;
                }
                else
                {
                    root["data"] = data;
                }

                break;
            case 14:
                root["awslogs"] = new JsonObject { ["data"] = Convert.ToBase64String(Gzip("{\"logEvents\":[{\"id\":\"1\",\"message\":\"login " + name + "=" + secret + "\"}]}")) };
                break;
            case 15:
                var envelope = new JsonObject { ["Type"] = "Notification", ["Message"] = json }.ToJsonString();
                if (root["Records"] is JsonArray { Count: > 0 } messages && messages[0] is JsonObject first)
                {
                    first["body"] = envelope;
                }
                else
                {
                    root["detail"] = new JsonObject { ["envelope"] = envelope };
                }

                break;
            case 16:
                root["message"] = "user login failed, " + name + ": " + secret + " (retrying)";
                break;
            case 17:
                Child(root, "headers")["Referer"] = "https://app.example.com/callback?state=1&" + Uri.EscapeDataString(name) + "=" + secret;
                break;
            case 18:
                response = new JsonObject { ["statusCode"] = 200, ["body"] = json, [name] = secret }.ToJsonString();
                break;
            default:
                root["body"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject { ["inner"] = json }.ToJsonString()));
                root["isBase64Encoded"] = true;
                break;
        }

        return (root.ToJsonString(), response, $"{shape} / {Places[place]} / {name}");
    }

    /// <summary>A JSON object holding the secret under the name, between ordinary members.</summary>
    private static string Member(string name, string secret, Random random)
    {
        var members = new List<(string, JsonNode?)> { ("order", 42), ("item", "book") };
        members.Insert(random.Next(members.Count + 1), (name, secret));
        var obj = new JsonObject();
        foreach (var (key, value) in members)
        {
            obj[key] = value;
        }

        return obj.ToJsonString();
    }

    private static JsonObject RandomObject(JsonObject root, Random random)
    {
        var objects = MutantJson.Nodes(root).OfType<JsonObject>().ToList();
        return objects[random.Next(objects.Count)];
    }

    private static JsonObject Child(JsonObject root, string name)
    {
        if (root[name] is not JsonObject child)
        {
            child = new JsonObject();
            root[name] = child;
        }

        return child;
    }

    /// <summary>As written, upper case, lower case, camelCase, kebab-case, snake_case.</summary>
    internal static string Spell(string name, int spelling) => spelling switch
    {
        1 => name.ToUpperInvariant(),
        2 => name.ToLowerInvariant(),
        3 => Camel(name),
        4 => name.Replace('_', '-'),
        5 => name.Replace('-', '_'),
        _ => name,
    };

    private static string Camel(string name)
    {
        var builder = new StringBuilder(name.Length);
        var upper = false;
        foreach (var c in name)
        {
            if (c is '-' or '_')
            {
                upper = true;
                continue;
            }

            builder.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return builder.ToString();
    }

    private static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return output.ToArray();
    }

    private static string Where(string secret, string decoded, string lines) =>
        decoded.Split('\n').FirstOrDefault(l => l.Contains(secret, StringComparison.Ordinal))
        ?? lines.Split('\n').FirstOrDefault(l => l.Contains(secret, StringComparison.Ordinal))
        ?? "in the raw export bytes";

    private static string Everything(DatadogSpan span) =>
        string.Join('\n', [span.Name, span.Service, span.Resource, span.Type, .. span.Meta.Select(m => m.Key + "=" + m.Value), .. span.Metrics.Keys]);

    private static string[] EventCorpusNames() => EventCorpus.Names.ToArray();

    /// <summary>Where and how one secret is planted.</summary>
    /// <param name="Shape">Index of the event shape.</param>
    /// <param name="Place">Index of the place.</param>
    /// <param name="Spelling">How the name is spelled.</param>
    /// <param name="Seed">Choices inside the place (which object, member order).</param>
    internal sealed record Plan(int Shape, int Place, int Spelling, int Seed);
}
