// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Datadog.Otel.Lambda.Payload;

namespace Datadog.Otel.Lambda.Tests.Payload;

/// <summary>
/// Spec 8.1. The PY vectors are adapted to the JS forms this tagger writes: null is the text <c>null</c> (PY sets
/// None), booleans are <c>true</c>/<c>false</c> (PY True/False) and max-depth values are compact JSON (PY repr).
/// </summary>
public class LambdaPayloadTaggerTests
{
    private const string Prefix = LambdaPayloadTagger.RequestPrefix;

    private const string DepthPayload = """
        {"hello":"world","level1":{"level2_dict":{"level3":3},"level2_list":[null,true,"nice",{"l3":"v3"}],"level2_bool":true,"level2_int":2},"vals":[{"thingOne":1},{"thingTwo":2}]}
        """;

    [Fact]
    public void FlattensWithDotsAndIndexes()
    {
        var tags = Tag("""{"hello":"world","anotherThing":{"foo":"bar","blah":null,"nice":true},"vals":[{"thingOne":1},{"thingTwo":2}]}""");

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["function.request.hello"] = "world",
                ["function.request.anotherThing.foo"] = "bar",
                ["function.request.anotherThing.blah"] = "null", // PY: None
                ["function.request.anotherThing.nice"] = "true", // PY: True
                ["function.request.vals.0.thingOne"] = "1",
                ["function.request.vals.1.thingTwo"] = "2",
            },
            tags);
    }

    [Fact]
    public void JsComplexObjectInDocumentOrder()
    {
        var sink = new RecordingTagSink();
        using var document = RecordingTagSink.Parse("""{"request":{"keyOne":"foobar","myObject":{"anotherKey":["array","of","values"],"nestedBoolean":false},"val":null,"number":1,"aBoolean":true}}""");
        LambdaPayloadTagger.Tag("lambda_payload", document.RootElement, Settings(), sink);
        Assert.Equal(
            [
                new("lambda_payload.request.keyOne", "foobar"),
                new("lambda_payload.request.myObject.anotherKey.0", "array"),
                new("lambda_payload.request.myObject.anotherKey.1", "of"),
                new("lambda_payload.request.myObject.anotherKey.2", "values"),
                new("lambda_payload.request.myObject.nestedBoolean", "false"),
                new("lambda_payload.request.val", "null"),
                new("lambda_payload.request.number", "1"),
                new("lambda_payload.request.aBoolean", "true"),
            ],
            sink.Calls);
    }

    [Fact]
    public void MaxDepthTwoStringifiesDeeperValuesAsCompactJson()
    {
        var tags = Tag(DepthPayload, maxDepth: 2);

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["function.request.hello"] = "world",
                ["function.request.level1.level2_dict"] = """{"level3":3}""", // PY: {'level3': 3}
                ["function.request.level1.level2_list"] = """[null,true,"nice",{"l3":"v3"}]""", // the JS vector
                ["function.request.level1.level2_bool"] = "true",
                ["function.request.level1.level2_int"] = "2",
                ["function.request.vals.0"] = """{"thingOne":1}""", // PY: {'thingOne': 1}
                ["function.request.vals.1"] = """{"thingTwo":2}""",
            },
            tags);
    }

    [Fact]
    public void JsMaxDepthVectorWithNullsAndEmptyObjects()
    {
        var sink = new RecordingTagSink();
        using var document = RecordingTagSink.Parse("""
            {"hello":"world","level2_empty_obj":{},"level1_null":null,"level1":{"level2_dict":{"level3":3},"level2_list":[null,true,"nice",{"l3":"v3"}],"level2_bool":true,"level2_int":2,"level2_null":null,"level2_empty_obj":{}},"vals":[{"thingOne":1},{"thingTwo":2}]}
            """);
        LambdaPayloadTagger.Tag(Prefix, document.RootElement, Settings(maxDepth: 2), sink);

        // Exactly the JS test's calls, in its order (JS leaves out undefined and functions, which JSON has not).
        Assert.Equal(
            [
                new("function.request.hello", "world"),
                new("function.request.level1_null", "null"),
                new("function.request.level1.level2_dict", """{"level3":3}"""),
                new("function.request.level1.level2_list", """[null,true,"nice",{"l3":"v3"}]"""),
                new("function.request.level1.level2_bool", "true"),
                new("function.request.level1.level2_int", "2"),
                new("function.request.level1.level2_null", "null"),
                new("function.request.level1.level2_empty_obj", "{}"),
                new("function.request.vals.0", """{"thingOne":1}"""),
                new("function.request.vals.1", """{"thingTwo":2}"""),
            ],
            sink.Calls);
    }

    [Fact]
    public void MaxDepthZeroIsOneTagWithTheWholePayload()
    {
        var tags = Tag(DepthPayload, maxDepth: 0);
        Assert.Equal(new Dictionary<string, string> { ["function.request"] = DepthPayload.Trim() }, tags);
    }

    [Fact]
    public void ReadmeExample()
    {
        // README: payload {"lv1":{"lv2":{"lv3":"val"}}}, depth 2 -> function.request.lv1.lv2 = {"lv3": "val"} (PY spacing).
        Assert.Equal(new Dictionary<string, string> { ["function.request.lv1.lv2"] = """{"lv3":"val"}""" }, Tag("""{"lv1":{"lv2":{"lv3":"val"}}}""", maxDepth: 2));
    }

    [Fact]
    public void JsonStringsAreExpandedAndTokenRedacted()
    {
        var tags = Tag("""{"token":"world","jsonString":"{\"stringifyThisJson\":[{\"here\":\"is\",\"an\":\"object\",\"number\":1}]}"}""");
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["function.request.token"] = "redacted",
                ["function.request.jsonString.stringifyThisJson.0.here"] = "is",
                ["function.request.jsonString.stringifyThisJson.0.an"] = "object",
                ["function.request.jsonString.stringifyThisJson.0.number"] = "1",
            },
            tags);
    }

    [Fact]
    public void RedactsTheLibrariesKeysCaseInsensitively()
    {
        var tags = Tag("""{"authorization":"world","anotherThing":{"password":"bar","blah":null,"nice":true},"Authorization":"secret","headers":{"X-AUTHORIZATION":"another"},"vals":[{"thingOne":1}]}""");
        Assert.Equal("redacted", tags["function.request.authorization"]);
        Assert.Equal("redacted", tags["function.request.anotherThing.password"]);
        Assert.Equal("redacted", tags["function.request.Authorization"]);
        Assert.Equal("redacted", tags["function.request.headers.X-AUTHORIZATION"]);
        Assert.Equal("null", tags["function.request.anotherThing.blah"]);
        Assert.Equal("1", tags["function.request.vals.0.thingOne"]);
    }

    [Fact]
    public void RedactsKeysWhoseNonAsciiLettersLowercaseToASensitiveName()
    {
        // Python lowercases with str.lower(): the Kelvin sign (U+212A) becomes k, so "TO\u212AEN" is "token".
        var tags = Tag("{\"TO\u212AEN\":\"abc\",\"PASSW\u00D6RD\":\"kept\"}");
        Assert.Equal("redacted", tags["function.request.TO\u212AEN"]);
        Assert.Equal("kept", tags["function.request.PASSW\u00D6RD"]);
    }

    [Fact]
    public void RedactsTheDesignsKeysAndWholeValuesOfAnyType()
    {
        var tags = Tag("""
            {"token":{"value":"t","nested":[1]},"password":["a","b"],"headers":{"Cookie":"c=1","set-cookie":["a=1","b=2"],"X-Api-Key":12345,"x-amz-security-token":null,"a.authorization":"dotted","keep":"k"},"body":"{\"Password\":{\"x\":1},\"ok\":true}"}
            """);

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["function.request.token"] = "redacted",
                ["function.request.password"] = "redacted",
                ["function.request.headers.Cookie"] = "redacted",
                ["function.request.headers.set-cookie"] = "redacted",
                ["function.request.headers.X-Api-Key"] = "redacted",
                ["function.request.headers.x-amz-security-token"] = "redacted",
                ["function.request.headers.a.authorization"] = "redacted", // last key segment, as both libraries
                ["function.request.headers.keep"] = "k",
                ["function.request.body.Password"] = "redacted", // inside an expanded JSON string
                ["function.request.body.ok"] = "true",
            },
            tags);
    }

    [Fact]
    public void HttpApiCookiesArrayIsRedacted()
    {
        // Payload format 2.0 carries the Cookie header as a top-level "cookies" array (found by the secret-scan test).
        var tags = Tag("""{"version":"2.0","cookies":["session=s1","csrf=c2"],"headers":{"host":"h"}}""");
        Assert.Equal("redacted", tags["function.request.cookies"]);
        Assert.DoesNotContain(tags.Values, v => v.Contains("s1", StringComparison.Ordinal));
    }

    [Fact]
    public void SensitiveMembersAreRedactedInsideMaxDepthText()
    {
        var tags = Tag("""{"h":{"Authorization":"secret","x":1,"inner":{"token":{"a":1}}}}""", maxDepth: 1);
        Assert.Equal("""{"Authorization":"redacted","x":1,"inner":{"token":"redacted"}}""", tags["function.request.h"]);
    }

    // Both libraries parse every string (Python with ujson, Node with JSON.parse) and tag what the text holds. The
    // values in the comments are Python's (ujson 5.7, checked by running it); Node prints 1000 for "1e3", 1e+21 and
    // so on with JavaScript's number text.
    [Fact]
    public void ScalarJsonStringsExpandLikeDatadog()
    {
        var tags = Tag("""{"p":"1.50","q":"\"abc\"","n":"null"}""");
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["function.request.p"] = "1.5",
                ["function.request.q"] = "abc",
                ["function.request.n"] = "null", // PY: None, the null tag JSON null gets
            },
            tags);

        var forms = new Dictionary<string, string>
        {
            ["1000"] = "1000",
            ["1e3"] = "1000.0",
            ["2.5E-3"] = "0.0025",
            ["-0"] = "0",
            ["-0.0"] = "-0.0",
            ["0.0001"] = "0.0001",
            ["0.00001"] = "1e-05",
            ["1e15"] = "1000000000000000.0",
            ["1e16"] = "1e+16",
            ["1.5e16"] = "1.5e+16",
            ["100000000000000000000.0"] = "1e+20",
            ["3.141592653589793238"] = "3.141592653589793",
            ["1.7976931348623157e308"] = "1.7976931348623157e+308",
            ["1e400"] = "inf",
            ["-1e400"] = "-inf",
            ["1e-400"] = "0.0",
            ["123456789012345678901234567890"] = "123456789012345678901234567890",
            [" \t12\r\n"] = "12",
            ["true"] = "true", // PY: True (this tagger writes booleans as JSON)
            ["false"] = "false",
            [" null "] = "null",
            ["\"1.50\""] = "1.5", // a string literal holding a number: parsed again one level deeper
            ["\"{\\\"a\\\":1}\""] = "1", // ... or an object, tagged as .a
            ["\"\""] = string.Empty,
            ["\"\\u00e9\""] = "\u00e9",

            // Not JSON: the text itself. ujson reads the first three leniently (1, 1.0, nan) and "-" as 0.
            ["01"] = "01",
            ["1."] = "1.",
            ["NaN"] = "NaN",
            ["-"] = "-",
            ["+1"] = "+1",
            [".5"] = ".5",
            ["1e"] = "1e",
            ["tru"] = "tru",
            ["nulls"] = "nulls",
            ["true false"] = "true false",
            ["\"abc"] = "\"abc",
            ["1 2"] = "1 2",
            ["\u00a01"] = "\u00a01",
        };

        foreach (var (text, expected) in forms)
        {
            var form = Tag(JsonSerializer.Serialize(new Dictionary<string, string> { ["v"] = text }));
            var (key, value) = Assert.Single(form);
            Assert.Equal(text.Contains("{", StringComparison.Ordinal) ? "function.request.v.a" : "function.request.v", key);
            Assert.True(expected == value, $"{JsonSerializer.Serialize(text)}: expected {expected}, got {value}");
        }
    }

    [Fact]
    public void AScalarJsonStringLiteralCostsOneDepthLevel()
    {
        // Python: {"q": "\"abc\""} at max depth 2 writes str("abc"); this tagger writes a string at the maximum depth as
        // JSON text, as Node does.
        Assert.Equal(new Dictionary<string, string> { ["function.request.q"] = "\"abc\"" }, Tag("""{"q":"\"abc\""}""", maxDepth: 2));
        Assert.Equal(new Dictionary<string, string> { ["function.request.q"] = "abc" }, Tag("""{"q":"\"abc\""}""", maxDepth: 3));

        // Numbers, booleans and null read from a string are written the same at any depth (Python's str() of them).
        Assert.Equal(
            new Dictionary<string, string> { ["function.request.p"] = "1.5", ["function.request.t"] = "true", ["function.request.n"] = "null" },
            Tag("""{"p":"1.50","t":"true","n":"null"}""", maxDepth: 2));
    }

    [Fact]
    public void ScalarJsonStringsChargeTheExpansionBudget()
    {
        // The first body spends the budget: the number and the string literal after it are tagged as their text.
        var body = JsonSerializer.Serialize(new { x = new string('y', 999_990) });
        var tags = Tag(JsonSerializer.Serialize(new { first = body, p = "1.50", q = "\"abc\"" }));
        Assert.Equal("1.50", tags["function.request.p"]);
        Assert.Equal("\"abc\"", tags["function.request.q"]);
    }

    [Fact]
    public void AJsonStringCostsOneDepthLevel()
    {
        var tags = Tag("""{"s":"{\"a\":{\"b\":1}}"}""", maxDepth: 2);
        Assert.Equal(new Dictionary<string, string> { ["function.request.s"] = """{"a":{"b":1}}""" }, tags);

        Assert.Equal(new Dictionary<string, string> { ["function.request.s.a.b"] = "1" }, Tag("""{"s":"{\"a\":{\"b\":1}}"}""", maxDepth: 4));
        Assert.Equal(new Dictionary<string, string> { ["function.request.s.a"] = """{"b":1}""" }, Tag("""{"s":"{\"a\":{\"b\":1}}"}""", maxDepth: 3));
    }

    [Fact]
    public void StringsAtMaxDepthAreJsonTextLikeNode()
    {
        var tags = Tag("""{"s":"nice","n":2.50,"t":false,"z":null,"q":"say \"hi\"\n\u0001","j":"{\"x\":1}"}""", maxDepth: 1);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["function.request.s"] = "\"nice\"",
                ["function.request.n"] = "2.50", // as written
                ["function.request.t"] = "false",
                ["function.request.z"] = "null",
                ["function.request.q"] = "\"say \\\"hi\\\"\\n\\u0001\"",
                ["function.request.j"] = "\"{\\\"x\\\":1}\"", // not expanded at max depth
            },
            tags);
    }

    [Fact]
    public void RootScalarsAndEmptyContainers()
    {
        Assert.Equal(new Dictionary<string, string> { ["function.response"] = "hello" }, Tag("\"hello\"", prefix: LambdaPayloadTagger.ResponsePrefix));
        Assert.Equal(new Dictionary<string, string> { ["function.response"] = "42" }, Tag("42", prefix: LambdaPayloadTagger.ResponsePrefix));
        Assert.Equal(new Dictionary<string, string> { ["function.response"] = "null" }, Tag("null", prefix: LambdaPayloadTagger.ResponsePrefix));
        Assert.Empty(Tag("{}"));
        Assert.Empty(Tag("[]"));
        Assert.Empty(Tag("""{"a":{},"b":[]}"""));
    }

    [Fact]
    public void UndefinedElementWritesNothing()
    {
        var sink = new RecordingTagSink();
        Assert.Equal(0, LambdaPayloadTagger.Tag(Prefix, default(JsonElement), Settings(), sink));
        Assert.Empty(sink.Calls);
    }

    [Fact]
    public void TagCapWritesTheMarkerAndStops()
    {
        var members = string.Join(",", Enumerable.Range(0, 759).Select(i => $"\"k{i}\":{i}"));
        var sink = new RecordingTagSink();
        using var document = RecordingTagSink.Parse($"{{\"foo\":{{{members}}}}}");

        var written = LambdaPayloadTagger.Tag(Prefix, document.RootElement, Settings(), sink);

        Assert.Equal(758, written);
        Assert.Equal(759, sink.Calls.Count);
        Assert.Equal(new KeyValuePair<string, string>("_dd.payload_tags_incomplete", "true"), sink.Calls[^1]);
        Assert.Equal("757", sink.Tags["function.request.foo.k757"]);
        Assert.False(sink.Tags.ContainsKey("function.request.foo.k758"));
    }

    [Fact]
    public void ExactlyTheCapHasNoMarker()
    {
        var members = string.Join(",", Enumerable.Range(0, 758).Select(i => $"\"k{i}\":{i}"));
        var sink = new RecordingTagSink();
        using var document = RecordingTagSink.Parse($"{{{members}}}");
        Assert.Equal(758, LambdaPayloadTagger.Tag(Prefix, document.RootElement, Settings(), sink));
        Assert.DoesNotContain(sink.Calls, c => c.Key == PayloadTagValues.IncompleteTag);
    }

    [Fact]
    public void SharedBudgetThroughMaxTags()
    {
        var sink = new RecordingTagSink();
        using var document = RecordingTagSink.Parse("""{"a":1,"b":2,"c":3}""");
        Assert.Equal(2, LambdaPayloadTagger.Tag(Prefix, document.RootElement, Settings(), sink, maxTags: 2));
        Assert.Equal(PayloadTagValues.IncompleteTag, sink.Calls[^1].Key);
        Assert.Equal(0, LambdaPayloadTagger.Tag(Prefix, document.RootElement, Settings(), new RecordingTagSink(), maxTags: 0));
    }

    [Fact]
    public void NumbersOfThePayloadArePrintedAsPythonPrintsThem()
    {
        // Python tags str() of the number the event was parsed to (Node: 1.5, 1000, 0, 1e-7): not the JSON spelling.
        var tags = Tag("""{"a":1.50,"b":1e3,"c":-0,"d":1E-7,"e":123456789012345678901234567890,"f":2.0,"g":-12,"h":[0.1]}""");
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["function.request.a"] = "1.5",
                ["function.request.b"] = "1000.0",
                ["function.request.c"] = "0",
                ["function.request.d"] = "1e-07",
                ["function.request.e"] = "123456789012345678901234567890",
                ["function.request.f"] = "2.0",
                ["function.request.g"] = "-12",
                ["function.request.h.0"] = "0.1",
            },
            tags);
    }

    [Fact]
    public void LongValuesAreCutTo5000CodePoints()
    {
        // Python slices str by code points: 5000 emoji (10,000 UTF-16 units) are kept whole, the 5001st is cut.
        var emoji = string.Concat(Enumerable.Repeat("😀", 5001));
        var tags = Tag(JsonSerializer.Serialize(new Dictionary<string, string> { ["e"] = emoji, ["m"] = "x" + emoji[..9998] + "yz" }));
        Assert.Equal(emoji[..10_000], tags["function.request.e"]);
        Assert.Equal("x" + emoji[..9998], tags["function.request.m"]);

        // The compact text past the maximum depth too.
        var deepText = Tag(JsonSerializer.Serialize(new { a = new { b = emoji } }), maxDepth: 1)["function.request.a"];
        Assert.Equal("{\"b\":\"" + emoji[..(2 * (5000 - 6))], deepText);
    }

    [Fact]
    public void LongValuesAreCutTo5000CodePointsWithoutSplittingASurrogatePair()
    {
        var megabyte = new string('x', 1_000_000);
        var tags = Tag(JsonSerializer.Serialize(new Dictionary<string, string> { ["big"] = megabyte, ["pair"] = new string('x', 4999) + "😀tail" }));
        Assert.Equal(5000, tags["function.request.big"].Length);
        Assert.Equal(new string('x', 4999) + "😀", tags["function.request.pair"]);

        var deepText = Tag(JsonSerializer.Serialize(new { a = new { b = megabyte } }), maxDepth: 1)["function.request.a"];
        Assert.Equal(5000, deepText.Length);
        Assert.StartsWith("{\"b\":\"xxx", deepText, StringComparison.Ordinal);
    }

    // About half a minute per leg on 2 cores (10,000 nesting levels, three ways): the slow lane.
    [Trait("Category", "Slow")]
    [Fact]
    public void TenThousandDeepJsonIsSafe()
    {
        var deep = new string('[', 10_000) + new string(']', 10_000);
        var sink = new RecordingTagSink();
        using var document = RecordingTagSink.Parse(deep, maxDepth: 20_000);

        LambdaPayloadTagger.Tag(Prefix, document.RootElement, Settings(), sink);

        var (key, value) = Assert.Single(sink.Calls);
        Assert.Equal("function.request.0.0.0.0.0.0.0.0.0.0", key);
        Assert.Equal(5000, value.Length);
        Assert.True(value.All(c => c == '['));

        // The same text inside a string nests deeper than a nested parse accepts: it stays text.
        var tags = Tag(JsonSerializer.Serialize(new { s = deep }));
        Assert.Equal(deep[..5000], tags["function.request.s"]);

        // Depth 0 stringifies iteratively, any nesting.
        var whole = Tag(deep, maxDepth: 0, parseDepth: 20_000);
        Assert.Equal(5000, whole["function.request"].Length);
    }

    [Fact]
    public void InvalidJsonInNestedStringsIsText()
    {
        var tags = Tag("""{"a":"{\"unterminated\":","b":"[1,2,,]","c":"{\"ok\":1}"}""");
        Assert.Equal("{\"unterminated\":", tags["function.request.a"]);
        Assert.Equal("[1,2,,]", tags["function.request.b"]);
        Assert.Equal("1", tags["function.request.c.ok"]);
    }

    [Fact]
    public void ExpansionStopsAtItsBudget()
    {
        var body = JsonSerializer.Serialize(new { x = new string('y', 600_000) });
        var tags = Tag(JsonSerializer.Serialize(new { first = body, second = body }));
        Assert.Equal(5000, tags["function.request.first.x"].Length);
        Assert.Equal(body[..5000], tags["function.request.second"]); // over budget: tagged as text
    }

    [Fact]
    public void NonAsciiAndDuplicateKeys()
    {
        var tags = Tag("""{"名前":"値","ключ":{"ü":1}}""");
        Assert.Equal("値", tags["function.request.名前"]);
        Assert.Equal("1", tags["function.request.ключ.ü"]);

        var sink = new RecordingTagSink();
        using var document = RecordingTagSink.Parse("""{"a":1,"a":2}""");
        LambdaPayloadTagger.Tag(Prefix, document.RootElement, Settings(), sink);
        Assert.Equal(2, sink.Calls.Count);

        using var activity = new Activity("payload").Start();
        LambdaPayloadTagger.Tag(Prefix, document.RootElement, Settings(), new ActivityPayloadTagSink(activity));
        // Tags are appended in document order (no search per tag); Datadog's tag map keeps the last, as JSON.parse does.
        Assert.Equal(["1", "2"], activity.TagObjects.Where(t => t.Key == "function.request.a").Select(t => (string)t.Value!));
    }

    [Fact]
    public void OverlongKeysAreSkipped()
    {
        var name = new string('n', 2000);
        var tags = Tag($$"""{"{{name}}":{"a":1,"b":2},"ok":1}""");
        Assert.Equal(new Dictionary<string, string> { ["function.request.ok"] = "1" }, tags);
    }

    [Fact]
    public void Utf8Overload()
    {
        var sink = new RecordingTagSink();
        Assert.Equal(1, LambdaPayloadTagger.Tag(LambdaPayloadTagger.ResponsePrefix, """{"statusCode":200}"""u8, Settings(), sink));
        Assert.Equal("200", sink.Tags["function.response.statusCode"]);

        var raw = new RecordingTagSink();
        Assert.Equal(1, LambdaPayloadTagger.Tag(LambdaPayloadTagger.ResponsePrefix, "plain text, not JSON"u8, Settings(), raw));
        Assert.Equal("plain text, not JSON", raw.Tags["function.response"]);

        var trailing = new RecordingTagSink();
        LambdaPayloadTagger.Tag(LambdaPayloadTagger.ResponsePrefix, """{"a":1} {"b":2}"""u8, Settings(), trailing);
        Assert.Equal("""{"a":1} {"b":2}""", trailing.Tags["function.response"]);

        var deep = new RecordingTagSink();
        LambdaPayloadTagger.Tag(LambdaPayloadTagger.ResponsePrefix, Encoding.UTF8.GetBytes(new string('[', 1000)), Settings(), deep);
        Assert.Equal(new string('[', 1000), deep.Tags["function.response"]);
    }

    [Fact]
    public void NeverThrows()
    {
        var document = RecordingTagSink.Parse("""{"a":1}""");
        var element = document.RootElement;
        document.Dispose();
        Assert.Equal(0, LambdaPayloadTagger.Tag(Prefix, element, Settings(), new RecordingTagSink()));

        using var live = RecordingTagSink.Parse("""{"a":1,"b":2}""");
        var throwing = new ThrowingTagSink();
        Assert.Equal(0, LambdaPayloadTagger.Tag(Prefix, live.RootElement, Settings(), throwing));
        Assert.Equal(1, throwing.Calls);
    }

    private static LambdaPayloadCaptureSettings Resolve(Dictionary<string, string?> env) =>
        LambdaSettings.Resolve(EnvironmentSource.FromDictionary(env), new DatadogLambdaOptions()).PayloadCapture;

    [Fact]
    public void SettingsFromEnvironment()
    {
        var defaults = Resolve(new Dictionary<string, string?>());
        Assert.False(defaults.Enabled);
        Assert.Equal(10, defaults.MaxDepth);
        Assert.Equal(758, defaults.MaxTags);

        var set = Resolve(new Dictionary<string, string?>
        {
            ["DD_CAPTURE_LAMBDA_PAYLOAD"] = "true",
            ["DD_CAPTURE_LAMBDA_PAYLOAD_MAX_DEPTH"] = "3",
        });
        Assert.True(set.Enabled);
        Assert.Equal(3, set.MaxDepth);

        var deep = Resolve(new Dictionary<string, string?>
        {
            ["DD_CAPTURE_LAMBDA_PAYLOAD_MAX_DEPTH"] = "100000",
        });
        Assert.Equal(64, deep.MaxDepth);

        var invalid = Resolve(new Dictionary<string, string?>
        {
            ["DD_CAPTURE_LAMBDA_PAYLOAD_MAX_DEPTH"] = "deep",
        });
        Assert.Equal(10, invalid.MaxDepth);
    }

    [Fact]
    public void ActivitySinkWritesStringTags()
    {
        using var activity = new Activity("payload").Start();
        using var document = RecordingTagSink.Parse("""{"a":{"b":[true,null]}}""");
        Assert.Equal(2, LambdaPayloadTagger.Tag(Prefix, document.RootElement, Settings(), new ActivityPayloadTagSink(activity)));
        Assert.Equal("true", activity.GetTagItem("function.request.a.b.0"));
        Assert.Equal("null", activity.GetTagItem("function.request.a.b.1"));
        LambdaPayloadTagger.Tag(Prefix, document.RootElement, Settings(), new ActivityPayloadTagSink(null));
    }

    private static LambdaPayloadCaptureSettings Settings(int maxDepth = 10) => new() { Enabled = true, MaxDepth = maxDepth };

    private static Dictionary<string, string> Tag(string json, int maxDepth = 10, string prefix = Prefix, int parseDepth = 64)
    {
        var sink = new RecordingTagSink();
        using var document = RecordingTagSink.Parse(json, parseDepth);
        LambdaPayloadTagger.Tag(prefix, document.RootElement, Settings(maxDepth), sink);
        return sink.Tags;
    }
}
