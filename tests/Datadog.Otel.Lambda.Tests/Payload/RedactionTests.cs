// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Datadog.Otel.Lambda.Payload;
using Datadog.Otel.Lambda.Tests.TestSupport;

namespace Datadog.Otel.Lambda.Tests.Payload;

/// <summary>
/// Redaction by default: the secret-bearing names of AWS's event shapes and the common credential names, at any depth,
/// in JSON held in strings however deep or large, in query strings, form bodies and header lines, and in base64 data
/// once decoded. Each case plants <see cref="Secret"/> and checks that no tag holds it.
/// </summary>
public class RedactionTests
{
    private const string Secret = "S3CR3T-b6f1c0de";

    /// <summary>Names of AWS's event shapes and common credential names, in the spellings they come in.</summary>
    public static TheoryData<string> SensitiveNames => new()
    {
        "authorizationToken", "identitySource", "apiKey", "Proxy-Authorization", "X-Auth-Token", "access_token",
        "refresh_token", "id_token", "client_secret", "api_key", "secret", "password", "Token", "Authorization",
        "x-authorization", "cookie", "Set-Cookie", "cookies", "x-api-key", "X-Amz-Security-Token", "accessKey",
        "x-amzn-oidc-accesstoken", "X-Amz-Signature", "X-Amz-Credential", "challengeAnswer", "privateChallengeParameters",
        "sessionToken", "SecretAccessKey", "JSESSIONID", "passwd", "pwd", "privateKey", "ClientSecret", "DB_PASSWORD",
    };

    [Theory]
    [MemberData(nameof(SensitiveNames))]
    public void EveryNameIsRedactedWhereverItIs(string name)
    {
        var json = new JsonObject { [name] = Secret }.ToJsonString();
        var query = Uri.EscapeDataString(name) + "=" + Secret;
        var events = new[]
        {
            json,
            "{\"deep\":{\"a\":[{\"b\":{\"c\":" + json + "}}]}}",
            Nest(json, 30),
            new JsonObject { ["body"] = json }.ToJsonString(),
            new JsonObject { ["body"] = "a=1&" + query + "&b=2" }.ToJsonString(),
            new JsonObject { ["rawQueryString"] = query }.ToJsonString(),
            new JsonObject { ["headers"] = new JsonObject { ["Referer"] = "https://example.com/cb?" + query } }.ToJsonString(),
            new JsonObject { ["message"] = name + ": " + Secret }.ToJsonString(),
            new JsonObject { ["body"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(json)), ["isBase64Encoded"] = true }.ToJsonString(),
            new JsonObject { ["Records"] = new JsonArray(new JsonObject { ["kinesis"] = new JsonObject { ["data"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(query)) } }) }.ToJsonString(),
        };

        foreach (var evt in events)
        {
            AssertNoSecret(Capture(evt), evt);
        }
    }

    [Fact]
    public void APasswordBesideAHundredLevelsOfArraysInABodyIsRedacted()
    {
        // The reported case: the body is too deep to expand (64 levels), and was exported raw.
        var body = "{\"password\":\"" + Secret + "\",\"x\":" + new string('[', 100) + new string(']', 100) + "}";
        var tags = Capture(new JsonObject { ["body"] = body, ["httpMethod"] = "POST" }.ToJsonString());

        AssertNoSecret(tags, body);
        Assert.StartsWith("{\"password\":\"redacted\",\"x\":[[[", tags["function.request.body"], StringComparison.Ordinal);
    }

    [Fact]
    public void JsonPastTheMaximumDepthAndInsideItsStringsIsRedacted()
    {
        // Past depth 10 the value is compact JSON text; a string there may hold JSON or a query string of its own.
        var inner = new JsonObject { ["note"] = new JsonObject { ["password"] = Secret }.ToJsonString(), ["link"] = "https://x/?token=" + Secret, ["jwt"] = Jwt() };
        var tags = Capture(Nest(inner.ToJsonString(), 12));
        AssertNoSecret(tags, "depth 12");
        Assert.Contains(tags.Values, v => v.Contains("\\\"password\\\":\\\"redacted\\\"", StringComparison.Ordinal));
    }

    [Fact]
    public void JsonPastTheExpansionBudgetIsRedacted()
    {
        var filler = new string('x', PayloadTagValues.MaxExpansionChars);
        var body = "{\"api_key\":\"" + Secret + "\",\"filler\":\"" + filler + "\"}";
        var tags = Capture(new JsonObject { ["body"] = body }.ToJsonString());
        AssertNoSecret(tags, "over budget");
        Assert.StartsWith("{\"api_key\":\"redacted\",\"filler\":", tags["function.request.body"], StringComparison.Ordinal);
        Assert.InRange(tags["function.request.body"].Length, 1, PayloadTagValues.MaxValueLength);
    }

    [Theory]
    [InlineData("{\"password\":\"" + Secret + "\",")]
    [InlineData("{\"password\": \"" + Secret + "\" oops}")]
    [InlineData("[{\"token\":\"" + Secret + "\"}] trailing")]
    [InlineData("{\"secret\":{\"v\":\"" + Secret + "\"},}")]
    [InlineData("{\\\"password\\\":\\\"" + Secret + "\\\"}")]
    [InlineData("{'password': '" + Secret + "'}")]
    [InlineData("{password: " + Secret + "}")]
    public void TextThatIsAlmostJsonIsRedacted(string body) => AssertNoSecret(Capture(new JsonObject { ["body"] = body }.ToJsonString()), body);

    [Theory]
    [InlineData("username=u&password=" + Secret)]
    [InlineData("user%5Bpassword%5D=" + Secret + "&x=1")]
    [InlineData("access%5Ftoken=" + Secret)]
    [InlineData("grant_type=refresh_token&refresh_token=" + Secret + "&client_id=c")]
    [InlineData("session=abc; JSESSIONID=" + Secret + "; theme=dark")]
    [InlineData("GET /cb?code=1&state=2&id_token=" + Secret + " HTTP/1.1")]
    [InlineData("Authorization: Bearer " + Secret)]
    [InlineData("Proxy-Authorization: Basic " + Secret)]
    [InlineData("sent with bearer " + Secret + " attached")]
    [InlineData("data=%7B%22password%22%3A%22" + Secret + "%22%7D")]
    [InlineData("https://bucket.s3.amazonaws.com/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + Secret + "&X-Amz-Signature=" + Secret + "&X-Amz-Security-Token=" + Secret)]
    [InlineData("--b\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\n" + Secret + "\r\n--b--")]
    [InlineData("--b\nContent-Disposition: form-data; name=\"client_secret\"\n\n" + Secret + "\n--b--")]
    [InlineData("a=1&TO\u212AEN=" + Secret)]
    public void QueryStringsFormsAndHeaderLinesAreRedacted(string text)
    {
        AssertNoSecret(Capture(new JsonObject { ["body"] = text }.ToJsonString()), text);
        Assert.DoesNotContain(Secret, SecretText.Scrub(text, RedactionRules.Default), StringComparison.Ordinal);
    }

    [Fact]
    public void JsonWebTokensAreRedactedUnderAnyName()
    {
        var tags = Capture(new JsonObject { ["headers"] = new JsonObject { ["x-amzn-oidc-data"] = Jwt() }, ["note"] = "token is " + Jwt() }.ToJsonString());
        Assert.Equal("redacted", tags["function.request.headers.x-amzn-oidc-data"]);
        Assert.Equal("token is redacted", tags["function.request.note"]);
    }

    [Fact]
    public void Base64AndGzipDataIsRedactedOnceDecoded()
    {
        var form = Convert.ToBase64String(Encoding.UTF8.GetBytes("user=u&password=" + Secret));
        var clean = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"order\":42,\"item\":\"book\"}"));
        var gzip = Convert.ToBase64String(Gzip("{\"logEvents\":[{\"message\":\"login password=" + Secret + "\"}]}"));
        var urlSafe = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"token\":\"" + Secret + "?>>\"}")).Replace('+', '-').Replace('/', '_');
        var binary = Convert.ToBase64String([0xFF, 0xFE, 0x00, .. Encoding.UTF8.GetBytes("password" + Secret), 0x80, 0x81]);
        var evt = new JsonObject
        {
            ["body"] = form,
            ["isBase64Encoded"] = true,
            ["clean"] = clean,
            ["awslogs"] = new JsonObject { ["data"] = gzip },
            ["urlSafe"] = urlSafe,
            ["binary"] = binary,
        };

        var tags = Capture(evt.ToJsonString());
        Assert.Equal("redacted", tags["function.request.body"]);
        Assert.Equal("redacted", tags["function.request.awslogs.data"]);
        Assert.Equal("redacted", tags["function.request.urlSafe"]);
        Assert.Equal("redacted", tags["function.request.binary"]);
        Assert.Equal(clean, tags["function.request.clean"]); // nothing to remove: kept as it came
    }

    [Fact]
    public void OrdinaryValuesAreKeptAsTheyAre()
    {
        var values = new[]
        {
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "https://example.com/orders/42?page=2&sort=asc",
            "2026-11-25T10:00:00.000Z", "c6af9ac6-7b61-11e6-9a41-93e8deadbeef", "Mozilla/5.0 (X11; Linux x86_64)",
            "a basic idea, borne by the bearer of news", "key=value; other=thing", "[INFO] started: 3 items",
            "{\"order\":{\"id\":1,\"items\":[\"a\",\"b\"]}} not json", "SGVsbG8sIHdvcmxkIQ==", "arn:aws:sqs:us-east-1:123456789012:queue",
        };
        foreach (var value in values)
        {
            Assert.Same(value, SecretText.Scrub(value, RedactionRules.Default));
        }
    }

    [Fact]
    public void JsonCutInsideAStringIsScrubbedAsText()
    {
        // Only the start of a long text is read; it can end inside a string that holds JSON of its own (found by the
        // hostile payload trees: the cut string was never seen by the reader and went out as it was).
        var inner = new JsonObject { ["a"] = "x", ["client_secret"] = new JsonObject { ["v"] = Secret }, ["filler"] = new string('f', 20_000) }.ToJsonString();
        var outer = new JsonObject { ["body"] = new JsonObject { ["payload"] = inner }.ToJsonString() }.ToJsonString();
        var scrubbed = SecretText.Scrub(outer, RedactionRules.Default);
        Assert.True(!scrubbed.Contains(Secret, StringComparison.Ordinal), scrubbed[..Math.Min(400, scrubbed.Length)] + " ||| " + outer[..300]);
        Assert.StartsWith("{\"body\":", scrubbed, StringComparison.Ordinal);
    }

    [Fact]
    public void HostileTextCostsLinearWork()
    {
        // Found by the hostile-input properties: every pair re-decoded the rest of the text (quadratic), and an escaped
        // lone surrogate in JSON text made the reader throw.
        var pairs = string.Concat(Enumerable.Repeat("_dd.p.k={,z%xy\"'+Z[,", 2_000));
        var quoted = string.Concat(Enumerable.Repeat("\":", 3_000));
        foreach (var text in new[] { pairs, quoted, "{\"a\":\"\\ud800\",\"password\":\"" + Secret + "\"}" })
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var scrubbed = SecretText.Scrub(text, RedactionRules.Default);
            Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 64 * PayloadTagValues.MaxValueLength);
            Assert.DoesNotContain(Secret, scrubbed, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void NamesAreMatchedWhateverTheirCaseAndSeparators()
    {
        Assert.All(["access_token", "Access-Token", "accessToken", "ACCESS TOKEN", "x.access_token", "nextToken", "DbPassword", "Cookie", "PIN"], n => Assert.True(RedactionRules.Default.IsSensitiveLastSegment(n), n));
        Assert.All(["body", "headers", "pinned", "keyboard", "author", "statusCode", "messageId", "passage", "compass"], n => Assert.False(RedactionRules.Default.IsSensitiveLastSegment(n), n));
    }

    [Fact]
    public void UsersAddNamesWithTheOptionAndTheVariable()
    {
        var rules = RedactionRules.Create(["order_pin", "  "], "national-id, Card Number", "DD_OTEL_LAMBDA_REDACTED_KEYS");
        Assert.Equal(["cardnumber", "nationalid", "orderpin"], rules.UserNames.Order(StringComparer.Ordinal));
        Assert.True(rules.IsSensitive("OrderPin"));
        Assert.True(rules.IsSensitive("NATIONAL_ID"));
        Assert.True(rules.IsSensitiveLastSegment("customer.card-number"));
        Assert.True(rules.IsSensitive("password")); // the built-in names stay
        Assert.False(rules.IsSensitive("order"));
        Assert.DoesNotContain(Secret, SecretText.Scrub("a=1&card_number=" + Secret, rules), StringComparison.Ordinal);

        var settings = new LambdaPayloadCaptureSettings { Enabled = true, Redaction = rules };
        var sink = new RecordingTagSink();
        using var document = RecordingTagSink.Parse("{\"orderPin\":\"" + Secret + "\"}");
        LambdaPayloadTagger.Tag(LambdaPayloadTagger.RequestPrefix, document.RootElement, settings, sink);
        Assert.Equal("redacted", sink.Tags["function.request.orderPin"]);
    }

    [Fact]
    public void TheVariableAndTheOptionReachTheCapture()
    {
        using var tracing = new TestTracing(new() { ["DD_CAPTURE_LAMBDA_PAYLOAD"] = "true", ["DD_OTEL_LAMBDA_REDACTED_KEYS"] = "ssn" }, o => o.RedactedKeys.Add("license"));
        DatadogLambda.Trace(tracing.Provider, EventSamples.Stream("{\"ssn\":\"" + Secret + "\",\"License\":\"" + Secret + "\",\"kept\":\"k\"}"), TestTracing.Context(), (_, _) => 0);
        var span = tracing.LambdaSpan("req-1");
        Assert.Equal("redacted", span.GetTagItem("function.request.ssn"));
        Assert.Equal("redacted", span.GetTagItem("function.request.License"));
        Assert.Equal("k", span.GetTagItem("function.request.kept"));
    }

    [Fact]
    public void TheRefererKeepsItsUrlWithoutItsCredentials()
    {
        using var tracing = new TestTracing();
        var evt = JsonNode.Parse(EventSamples.Load("api-gateway-rest.json"))!;
        evt["headers"]!["Referer"] = "https://app.example.com/callback?state=1&access_token=" + Secret;
        DatadogLambda.Trace(tracing.Provider, EventSamples.Stream(evt.ToJsonString()), TestTracing.Context(), (_, _) => 0);
        Assert.Equal("https://app.example.com/callback?state=1&access_token=redacted", tracing.LambdaSpan("req-1").GetTagItem("http.referer"));
    }

    [Collection("Tracing")]
    public class AwsEventShapes
    {
        [Fact]
        public void TheCredentialsOfAwsEventShapesAreRedacted()
        {
            using var tracing = new TestTracing(new() { ["DD_CAPTURE_LAMBDA_PAYLOAD"] = "true" });
            var token = """{"type":"TOKEN","authorizationToken":"Bearer SECRET-token-authorizer","methodArn":"arn:aws:execute-api:us-east-1:1:a/dev/GET/"}""";
            var httpApi = """{"version":"2.0","type":"REQUEST","routeArn":"arn:aws:execute-api:us-east-1:1:a/$default/GET/","identitySource":["Bearer SECRET-identity-source"],"rawQueryString":"token=SECRET-raw-query","cookies":["s=SECRET-cookie"],"headers":{"proxy-authorization":"Basic SECRET-proxy-auth","x-auth-token":"SECRET-x-auth"},"requestContext":{"http":{"method":"GET"}}}""";
            var rest = JsonNode.Parse(EventSamples.Load("api-gateway-rest.json"))!;
            rest["requestContext"]!["identity"]!["apiKey"] = "SECRET-api-key";
            rest["requestContext"]!["identity"]!["accessKey"] = "SECRET-access-key";
            rest["multiValueQueryStringParameters"] = new JsonObject { ["refresh_token"] = new JsonArray("SECRET-refresh") };
            var cognito = """{"version":"1","triggerSource":"UserMigration_Authentication","userName":"u","request":{"password":"SECRET-cognito-password","validationData":{}},"response":{}}""";
            var challenge = """{"triggerSource":"VerifyAuthChallengeResponse_Authentication","request":{"privateChallengeParameters":{"answer":"SECRET-private"},"challengeAnswer":"SECRET-answer"},"response":{}}""";
            var cloudFormation = """{"RequestType":"Create","ResponseURL":"https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/x?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=SECRET-credential&X-Amz-Signature=SECRET-signature&X-Amz-Security-Token=SECRET-session","StackId":"arn"}""";
            var events = new[] { token, httpApi, rest.ToJsonString(), cognito, challenge, cloudFormation };
            for (var i = 0; i < events.Length; i++)
            {
                DatadogLambda.Trace(tracing.Provider, EventSamples.Stream(events[i]), TestTracing.Context("aws-" + i), (_, _) => 0);
            }

            var exported = string.Join('\n', tracing.Exported.SelectMany(a => a.TagObjects.Select(t => t.Key + "=" + t.Value)));
            Assert.Contains("function.request.authorizationToken=redacted", exported, StringComparison.Ordinal);
            Assert.DoesNotContain("SECRET-", exported, StringComparison.Ordinal);
        }
    }

    private static Dictionary<string, string> Capture(string json)
    {
        var sink = new RecordingTagSink();
        using var document = RecordingTagSink.Parse(json, 256);
        LambdaPayloadTagger.Tag(LambdaPayloadTagger.RequestPrefix, document.RootElement, new LambdaPayloadCaptureSettings { Enabled = true }, sink);
        Assert.NotEmpty(sink.Calls);
        return sink.Tags;
    }

    private static void AssertNoSecret(Dictionary<string, string> tags, string label)
    {
        var leaked = tags.Where(t => t.Value.Contains(Secret, StringComparison.Ordinal) || t.Key.Contains(Secret, StringComparison.Ordinal)).ToList();
        Assert.True(leaked.Count == 0, $"{label}: {string.Join(", ", leaked)}");
    }

    private static string Nest(string json, int levels) =>
        string.Concat(Enumerable.Repeat("{\"n\":", levels)) + json + new string('}', levels);

    private static string Jwt() =>
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwic2VjcmV0IjoiUzNDUjNUIn0.c2lnbmF0dXJlLXNlY3JldC1wYXJ0";

    private static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return output.ToArray();
    }
}
