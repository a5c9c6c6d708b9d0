// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace Datadog.Otel.Lambda.IntegrationTests.HostileInput;

/// <summary>
/// Hostile events for every trigger, built from the sample corpus: random edits anywhere, and targeted edits of each
/// carrier of trace context (HTTP headers, message attributes and <c>_datadog</c> payloads, authorizer contexts, Step
/// Functions contexts, X-Ray headers) and of payload-capture input.
/// </summary>
internal static class HostileEvents
{
    private static readonly string[] HttpEvents = ["api-gateway-rest", "http-api", "alb", "alb-multivalue", "function-url", "websocket", "custom", "authorizer-request-rest"];

    /// <summary>One to four random edits of a random corpus event: replace a node, duplicate a key, or damage the bytes.</summary>
    public static Gen<HostileCase> MutatedCorpus() =>
        Gen.Elements(EventCorpus.Names.ToArray()).SelectMany(name =>
            Gen.Choose(1, 4).SelectMany(count => Gen.ArrayOf(Edit(), count)).Select(edits => Apply(name, edits)));

    /// <summary>Trace headers of every style in HTTP events (single- and multi-value) and in direct invocations.</summary>
    public static Gen<HostileCase> Headers() =>
        Gen.Elements(HttpEvents).SelectMany(name => Gen.Zip(Hostile.HeaderPairs, Gen.Choose(0, 3)).Select(t =>
        {
            var root = EventCorpus.Parse(name);
            var mutant = new MutantJson();
            var holder = new JsonObject();
            var target = t.Item2 == 1 ? "multiValueHeaders" : "headers";
            root[target] = holder;
            if (t.Item2 == 2)
            {
                root["headers"] = new JsonObject();
            }

            mutant.Replace(holder, t.Item2 == 1 ? MultiValue(t.Item1) : Hostile.HeaderObject(t.Item1));
            return new HostileCase($"{name} {target}", mutant.Write(root));
        }));

    /// <summary>Header text for the propagation target: one <c>name: value</c> per line.</summary>
    public static Gen<byte[]> HeaderLines() => Hostile.HeaderPairs.Select(pairs =>
        Encoding.UTF8.GetBytes(string.Concat(pairs.Select(p => p.Name.Replace("\n", string.Empty, StringComparison.Ordinal) + ": " + p.Value.Replace("\n", string.Empty, StringComparison.Ordinal) + "\n"))));

    /// <summary>The <c>_datadog</c> carriers of SQS, SNS, SNS→SQS, EventBridge, EventBridge→SQS, Kinesis and Kafka, and big batches.</summary>
    public static Gen<HostileCase> MessageAttributes() => Gen.Choose(0, 8).SelectMany(variant => Gen.Zip(Carrier(), Gen.Zip(Hostile.Fragment, Gen.Choose(2, 150))).Select(t =>
    {
        var (carrier, (fragment, records)) = t;
        var mutant = new MutantJson();
        JsonNode root;
        string label;
        switch (variant)
        {
            case 0:
            case 1:
                root = EventCorpus.Parse("sqs");
                var sqsAttribute = Placeholder(mutant, variant == 0 ? Hostile.Quote(Encoding.UTF8.GetString(carrier)) : fragment);
                var dataType = Placeholder(mutant, variant == 0 ? Hostile.Quote("String") : Hostile.Quote("Binary"));
                root["Records"]![0]!["messageAttributes"] = new JsonObject
                {
                    ["_datadog"] = new JsonObject { ["dataType"] = dataType, [variant == 0 ? "stringValue" : "binaryValue"] = sqsAttribute },
                };
                label = "sqs _datadog";
                break;
            case 2:
                root = EventCorpus.Parse("sns");
                root["Records"]![0]!["Sns"]!["MessageAttributes"] = new JsonObject
                {
                    ["_datadog"] = new JsonObject { ["Type"] = "Binary", ["Value"] = Placeholder(mutant, Hostile.Quote(Convert.ToBase64String(carrier))) },
                };
                label = "sns _datadog";
                break;
            case 3:
                root = EventCorpus.Parse("sns-sqs");
                var envelope = "{\"Type\":\"Notification\",\"TopicArn\":\"arn:aws:sns:us-east-1:1:t\",\"MessageAttributes\":{\"_datadog\":{\"Type\":\"String\",\"Value\":"
                    + Encoding.UTF8.GetString(Hostile.Quote(Encoding.UTF8.GetString(carrier))) + "}}}";
                root["Records"]![0]!["body"] = Placeholder(mutant, Hostile.Quote(envelope));
                label = "sns-sqs body";
                break;
            case 4:
                root = EventCorpus.Parse("eventbridge");
                root["detail"]!["_datadog"] = Placeholder(mutant, carrier);
                label = "eventbridge detail";
                break;
            case 5:
                root = EventCorpus.Parse("eventbridge-sqs");
                root["Records"]![0]!["body"] = Placeholder(mutant, Hostile.Quote("{\"detail-type\":\"x\",\"detail\":{\"_datadog\":" + Encoding.UTF8.GetString(carrier) + "}}"));
                label = "eventbridge-sqs body";
                break;
            case 6:
                root = EventCorpus.Parse("kinesis");
                root["Records"]![0]!["kinesis"]!["data"] = Placeholder(mutant, Hostile.Quote(Convert.ToBase64String(Hostile.Concat(Hostile.Utf8("{\"_datadog\":"), carrier, Hostile.Utf8("}")))));
                label = "kinesis data";
                break;
            case 7:
                root = EventCorpus.Parse("msk");
                var bytes = string.Join(',', carrier.Take(64).Select(b => (sbyte)b)) + (fragment.Length > 0 ? "," + Encoding.UTF8.GetString(fragment) : string.Empty);
                root["records"]!["mytopic-0"]![0]!["headers"] = Placeholder(mutant, Hostile.Utf8("[{\"x-datadog-trace-id\":[" + bytes + "]},{\"traceparent\":" + Encoding.UTF8.GetString(fragment) + "}]"));
                label = "kafka headers";
                break;
            default:
                root = EventCorpus.Parse("sqs-batch");
                var template = root["Records"]![0]!.ToJsonString();
                var array = new JsonArray();
                for (var i = 0; i < records; i++)
                {
                    var record = JsonNode.Parse(template)!;
                    var headers = $"{{\"x-datadog-trace-id\":\"{i + 1}\",\"x-datadog-parent-id\":\"{i + 7}\"}}";
                    record["messageAttributes"] = new JsonObject { ["_datadog"] = new JsonObject { ["dataType"] = "String", ["stringValue"] = i % 5 == 4 ? Placeholder(mutant, fragment) : headers } };
                    array.Add(record);
                }

                root["Records"] = array;
                label = $"sqs batch of {records}";
                break;
        }

        return new HostileCase(label, mutant.Write(root));
    }));

    /// <summary>API Gateway authorizer contexts (REST, HTTP API) and authorizer events: encoded headers, finish times, latencies.</summary>
    public static Gen<HostileCase> AuthorizerContexts() =>
        Gen.Zip(Gen.Choose(0, 3), Gen.Zip(Hostile.HeaderPairs, Gen.Zip(Hostile.NumberText, Gen.Zip(Hostile.NumberText, Gen.Zip(Hostile.Fragment, Gen.Choose(0, 2)))))).Select(t =>
        {
            var (variant, (pairs, (finish, (latency, (fragment, encoding))))) = t;
            var mutant = new MutantJson();
            var headers = Hostile.HeaderObject(pairs);
            var withTimes = Hostile.Concat(headers[..^1], Hostile.Utf8((pairs.Length > 0 ? "," : string.Empty) + "\"x-datadog-parent-span-finish-time\":" + finish + ",\"x-datadog-authorizing-requestid\":\"c6af9ac6-7b61-11e6-9a41-93e8deadbeef\"}"));
            var encoded = encoding switch
            {
                0 => Hostile.Quote(Convert.ToBase64String(withTimes)),
                1 => Hostile.Quote(Convert.ToBase64String(fragment)),
                _ => fragment,
            };
            JsonNode root;
            if (variant == 3)
            {
                root = JsonNode.Parse("{\"type\":\"REQUEST\",\"methodArn\":\"arn:aws:execute-api:us-east-1:1:api/prod/GET/\",\"headers\":{}}")!;
                root["headers"] = Placeholder(mutant, headers);
                root["requestContext"] = JsonNode.Parse("{\"requestId\":\"r\",\"requestTimeEpoch\":0}");
                root["requestContext"]!["requestTimeEpoch"] = Placeholder(mutant, Hostile.Utf8(latency));
                return new HostileCase("authorizer event", mutant.Write(root));
            }

            root = EventCorpus.Parse(variant == 2 ? "http-api" : variant == 1 ? "authorizer-request-rest" : "api-gateway-rest");
            var authorizer = new JsonObject { ["principalId"] = "user", ["integrationLatency"] = Placeholder(mutant, Hostile.Utf8(latency)) };
            if (variant == 2)
            {
                authorizer["lambda"] = new JsonObject { ["_datadog"] = Placeholder(mutant, encoded) };
            }
            else
            {
                authorizer["_datadog"] = Placeholder(mutant, encoded);
                root["requestContext"]!["requestTimeEpoch"] = Placeholder(mutant, Hostile.Utf8(finish));
            }

            root["requestContext"]!["authorizer"] = authorizer;
            return new HostileCase($"authorizer variant {variant}", mutant.Write(root));
        });

    /// <summary>Step Functions contexts (JSONPath, JSONata, legacy payload) with any field replaced by anything.</summary>
    public static Gen<HostileCase> StepFunctionsContexts() =>
        Gen.Elements("step-functions-jsonpath", "step-functions-jsonata", "step-functions-legacy-payload").SelectMany(name =>
            Gen.ArrayOf(Gen.Zip(Gen.Elements(StepFunctionsFields), Gen.OneOf(Hostile.Fragment, Hostile.DecimalId.Select(Hostile.Quote), Hostile.DatadogTags.Select(Hostile.Quote))), 4).Select(edits =>
            {
                var root = EventCorpus.Parse(name);
                var context = root["Payload"] as JsonObject ?? root.AsObject();
                var mutant = new MutantJson();
                foreach (var (path, fragment) in edits)
                {
                    var parts = path.Split('.');
                    var holder = context;
                    foreach (var part in parts[..^1])
                    {
                        if (holder[part] is not JsonObject next)
                        {
                            next = new JsonObject();
                            holder[part] = next;
                        }

                        holder = next;
                    }

                    holder[parts[^1]] = Placeholder(mutant, fragment);
                }

                return new HostileCase($"{name} {string.Join(',', edits.Select(e => e.Item1))}", mutant.Write(root));
            }));

    /// <summary>X-Ray headers where events carry them: an SQS message's <c>AWSTraceHeader</c>.</summary>
    public static Gen<HostileCase> XRayInEvents() => Hostile.XRay.Select(header =>
    {
        var root = EventCorpus.Parse("sqs-awstraceheader");
        root["Records"]![0]!["attributes"]!["AWSTraceHeader"] = header;
        return new HostileCase("AWSTraceHeader", new MutantJson().Write(root));
    });

    /// <summary>Header text with an X-Ray header (client context and X-Ray merging in the propagation target).</summary>
    public static Gen<byte[]> XRayHeaderLines() => Gen.Zip(Hostile.XRay, Hostile.HeaderPairs).Select(t =>
        Encoding.UTF8.GetBytes("x-amzn-trace-id: " + t.Item1 + "\n" + string.Concat(t.Item2.Take(3).Select(p => p.Name.Trim() + ": " + p.Value.Replace("\n", string.Empty, StringComparison.Ordinal) + "\n"))));

    /// <summary>Payload-capture input: trees deep and wide, keys long and dotted and sensitive, JSON held in strings.</summary>
    public static Gen<HostileCase> Payloads() => Gen.Sized(size => Tree(Math.Min(size / 20, 4))).Select(tree => new HostileCase("payload", tree));

    /// <summary>A JSON tree with <c>SECRET</c> markers only under sensitive keys: capture must never export one.</summary>
    public static Gen<HostileCase> PayloadsWithSecrets() => Gen.Sized(size => SecretTree(Math.Min(size / 8, 12), 0)).Select(tree => new HostileCase("secret payload", Hostile.Utf8(tree)));

    /// <summary>
    /// Corpus events, some of them mutated, behind a UTF-8 byte-order mark; one case in eight has two marks, which
    /// <c>JsonSerializer.Deserialize(Stream)</c> rejects too (<c>Without</c> is then null).
    /// </summary>
    public static Gen<(HostileCase WithMark, byte[]? Without)> WithByteOrderMarks() =>
        Gen.Zip(Gen.Frequency((3, Gen.Elements(EventCorpus.Names.ToArray()).Select(n => new HostileCase(n, Encoding.UTF8.GetBytes(EventCorpus.Text(n))))), (1, MutatedCorpus())), Gen.Choose(1, 8))
            .Select(t => t.Item2 == 8
                ? (new HostileCase("two marks + " + t.Item1.Label, [.. Bom, .. Bom, .. t.Item1.Bytes]), (byte[]?)null)
                : (new HostileCase("mark + " + t.Item1.Label, [.. Bom, .. t.Item1.Bytes]), t.Item1.Bytes));

    /// <summary>A secret under a sensitive name at a random place of a random event (the planted-secret property's plans).</summary>
    public static Gen<(HostileCase Case, string Secret)> PlantedSecrets()
    {
        var names = Security.PlantedSecretProperties.Names();
        return Gen.Zip(Gen.Choose(0, names.Count - 1), Security.PlantedSecretProperties.PlanGen()).Select(t =>
        {
            var (nameIndex, plan) = t;
            var secret = "PLANTED" + ((uint)plan.Seed).ToString("x8", System.Globalization.CultureInfo.InvariantCulture) + nameIndex.ToString("D3", System.Globalization.CultureInfo.InvariantCulture);
            var name = Security.PlantedSecretProperties.Spell(names[nameIndex], plan.Spelling);
            var (evt, response, label) = Security.PlantedSecretProperties.Plant(Security.PlantedSecretProperties.Shapes[plan.Shape], plan.Place, name, secret, new Random(plan.Seed));

            // The response place plants in the response, which the event target does not read: its event carries it too.
            var bytes = plan.Place == 18 ? Encoding.UTF8.GetBytes(evt[..^1] + ",\"response\":" + response + "}") : Encoding.UTF8.GetBytes(evt);
            return (new HostileCase(label, bytes), secret);
        });
    }

    /// <summary>
    /// Handler results for an authorizer: IAM policies whose <c>context</c> is every kind of value, with members
    /// duplicated, escaped or reordered, whitespace, a byte-order mark, trailing content; and the mutations of them.
    /// </summary>
    public static Gen<byte[]> AuthorizerResults()
    {
        var contextValue = Gen.Elements(
            "absent", "{}", "{\"k\":\"v\",\"n\":1.5,\"b\":false}", "\"text\"", "[\"a\"]", "null", "42", "{\"nested\":{\"a\":1}}", "{\"list\":[1]}",
            "{\"_datadog\":\"mine\"}", "{\"\\u005fdatadog\":\"x\"}", "{\"k\":null}", "{\"k\":\"v\"", "{\"k\":\"\\ud800\"}");
        var principal = Gen.Frequency((6, Gen.Constant("\"user\"")), (1, Gen.Elements("\"\"", "1", "null", "[\"u\"]", "\"u\\u0073er\"")));
        var policy = Gen.Frequency((6, Gen.Constant("{\"Version\":\"2012-10-17\",\"Statement\":[]}")), (1, Gen.Elements("{}", "\"p\"", "[]", "null")));
        var spacing = Gen.Elements(string.Empty, " ", "\n\t ");
        return Gen.Zip(contextValue, Gen.Zip(principal, Gen.Zip(policy, Gen.Zip(spacing, Gen.Zip(Gen.Choose(0, 7), Hostile.Fragment))))).Select(t =>
        {
            var (context, (who, (what, (space, (variant, fragment))))) = t;
            var members = new List<string> { $"\"principalId\":{space}{who}", $"\"policyDocument\":{space}{what}" };
            if (context != "absent")
            {
                members.Insert(variant % 3, $"\"context\"{space}:{space}{context}");
            }

            if (variant == 4)
            {
                members.Add(members[0]);
            }

            var text = "{" + space + string.Join("," + space, members) + space + "}";
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            return variant switch
            {
                5 => [.. Bom, .. bytes],
                6 => [.. bytes, .. fragment],
                7 => [.. bytes[..(bytes.Length / 2)], .. fragment, .. bytes[(bytes.Length / 2)..]],
                _ => bytes,
            };
        });
    }

    /// <summary>Exception graphs, as the operations the exception target reads.</summary>
    public static Gen<byte[]> ExceptionGraphs() =>
        Gen.Choose(1, 48).SelectMany(n => Gen.ArrayOf(Gen.Frequency((4, Gen.Constant((byte)1)), (1, Gen.Choose(0, 255).Select(b => (byte)b))), n));

    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    public const string SecretMarker = "SECRET-7f3a";

    private static readonly string[] StepFunctionsFields =
    [
        "Execution.Id", "Execution.RedriveCount", "Execution.Input", "Execution.Input._datadog", "State.Name", "State.EnteredTime",
        "State.RetryCount", "x-datadog-trace-id", "x-datadog-tags", "RootExecutionId", "serverless-version", "Execution", "State",
    ];

    private static readonly string[] SensitiveNames =
    [
        "password", "Authorization", "TOKEN", "cookie", "set-cookie", "x-api-key", "x-amz-security-token", "x-authorization", "a.b.token",
        "authorizationToken", "identitySource", "apiKey", "Proxy-Authorization", "X-Auth-Token", "access_token", "refresh_token", "client_secret",
        "api_key", "secret", "challengeAnswer", "X-Amz-Signature",
    ];

    private static Gen<(int Kind, int Selector, byte[] Fragment)> Edit() =>
        Gen.Zip(Gen.Frequency((6, Gen.Constant(0)), (2, Gen.Constant(1)), (1, Gen.Constant(2)), (1, Gen.Constant(3)), (1, Gen.Constant(4))), Gen.Zip(Gen.Choose(0, int.MaxValue), Hostile.Fragment))
            .Select(t => (t.Item1, t.Item2.Item1, t.Item2.Item2));

    private static HostileCase Apply(string name, (int Kind, int Selector, byte[] Fragment)[] edits)
    {
        var root = EventCorpus.Parse(name);
        var nodes = MutantJson.Nodes(root);
        var mutant = new MutantJson();
        foreach (var (kind, selector, fragment) in edits)
        {
            var node = nodes[selector % nodes.Count];
            if (kind == 1 && nodes.Skip(selector % nodes.Count).Concat(nodes).OfType<JsonObject>().FirstOrDefault(o => o.Count > 0) is { } obj)
            {
                mutant.Duplicate(obj, obj.First().Key, fragment);
            }
            else if (kind == 0)
            {
                mutant.Replace(node, fragment);
            }
        }

        var bytes = mutant.Write(root);
        foreach (var (kind, selector, fragment) in edits)
        {
            var at = selector % Math.Max(1, bytes.Length);
            bytes = kind switch
            {
                2 => bytes[..at],
                3 => Hostile.Concat(bytes[..at], [0xFF], bytes[Math.Min(bytes.Length, at + 1)..]),
                4 => Hostile.Concat(bytes[..at], fragment, bytes[at..]),
                _ => bytes,
            };
        }

        return new HostileCase($"{name} edits {string.Join(',', edits.Select(e => e.Kind))}", bytes);
    }

    private static Gen<byte[]> Carrier() => Gen.Frequency(
        (3, Hostile.HeaderPairs.Select(Hostile.HeaderObject)),
        (1, Hostile.Fragment));

    private static byte[] MultiValue((string Name, string Value)[] pairs) =>
        Hostile.Utf8("{" + string.Join(',', pairs.Select(p => $"\"{Hostile.Escape(p.Name)}\":[\"{Hostile.Escape(p.Value)}\",\"second\"]")) + "}");

    private static JsonNode Placeholder(MutantJson mutant, byte[] fragment)
    {
        var node = JsonValue.Create("placeholder")!;
        mutant.Replace(node, fragment);
        return node;
    }

    private static Gen<byte[]> Tree(int depth)
    {
        if (depth <= 0)
        {
            return Hostile.Fragment;
        }

        var child = Gen.Sized(_ => Tree(depth - 1));
        var key = Gen.Frequency(
            (6, Gen.Elements("a", "b", "body", "Message", "data", "x.y", "", "0", "_datadog")),
            (2, Gen.Elements(SensitiveNames)),
            (1, Gen.Choose(500, 1100).Select(n => new string('k', n))),
            (1, Hostile.Text));
        return Gen.Frequency(
            (3, Gen.Choose(0, 6).SelectMany(n => Gen.ArrayOf(Gen.Zip(key, child), n)).Select(members =>
                Hostile.Concat(Hostile.Utf8("{"), Join(members.Select(m => Hostile.Concat(Hostile.Quote(m.Item1), Hostile.Utf8(":"), m.Item2))), Hostile.Utf8("}")))),
            (2, Gen.Choose(0, 6).SelectMany(n => Gen.ArrayOf(child, n)).Select(items => Hostile.Concat(Hostile.Utf8("["), Join(items), Hostile.Utf8("]")))),
            (1, Gen.Choose(0, 900).Select(n => Hostile.Utf8("[" + string.Join(',', Enumerable.Range(0, n)) + "]"))),
            (2, child.Select(inner => Hostile.Quote(Encoding.UTF8.GetString(inner)))),
            (2, Hostile.Fragment));
    }

    private static Gen<string> SecretTree(int depth, int level)
    {
        var secret = Gen.Choose(0, 9999).Select(i => SecretMarker + i);
        var leaf = Gen.OneOf(Hostile.Text.Select(t => t.Replace("S", "s", StringComparison.Ordinal)), Gen.Choose(0, 99).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var sensitiveValue = Gen.OneOf(
            secret.Select(Quoted),
            secret.Select(s => "{\"inner\":" + Quoted(s) + "}"),
            secret.Select(s => "[" + Quoted(s) + "," + Quoted(s) + "]"),
            secret.Select(s => "{\"deeper\":{\"x\":[" + Quoted(s) + "]}}"));
        if (depth <= 0)
        {
            return leaf.Select(Quoted);
        }

        var child = SecretTree(depth - 1, level + 1);
        var member = Gen.Frequency(
            (4, Gen.Zip(Gen.Elements("a", "b", "items", "x.y", "0"), child).Select(t => Quoted(t.Item1) + ":" + t.Item2)),
            (2, Gen.Zip(Gen.Elements(SensitiveNames), sensitiveValue).Select(t => Quoted(t.Item1) + ":" + t.Item2)),
            (2, Gen.Zip(Gen.Elements("body", "Message", "payload"), child).Select(t => Quoted(t.Item1) + ":" + Quoted(t.Item2))));
        return Gen.Frequency(
            (4, Gen.Choose(1, 5).SelectMany(n => Gen.ArrayOf(member, n)).Select(m => "{" + string.Join(',', m) + "}")),
            (1, Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(child, n)).Select(items => "[" + string.Join(',', items) + "]")));
    }

    private static string Quoted(string text) => "\"" + Hostile.Escape(text) + "\"";

    private static byte[] Join(IEnumerable<byte[]> parts)
    {
        using var output = new MemoryStream();
        var first = true;
        foreach (var part in parts)
        {
            if (!first)
            {
                output.WriteByte((byte)',');
            }

            first = false;
            output.Write(part);
        }

        return output.ToArray();
    }
}
