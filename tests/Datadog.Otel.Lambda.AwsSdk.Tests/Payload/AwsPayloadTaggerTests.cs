// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using System.Text.Json;
using Datadog.Otel.Lambda.AwsSdk.Payload;
using Datadog.Otel.Lambda.Payload;
using Datadog.Otel.Lambda.Tests.Payload;

namespace Datadog.Otel.Lambda.AwsSdk.Tests.Payload;

/// <summary>Spec 8.2: the dd-trace-py snapshot, the documentation examples and the dd-trace-js tagger tests.</summary>
public class AwsPayloadTaggerTests
{
    private const string JsPrefix = "http.payload";

    [Fact]
    public void SnsValidConfigSnapshot()
    {
        // dd-trace-py snapshot test_aws_payload_tagging_sns_valid_config: PublishBatch with two entries of ten
        // String attributes each, one named "f.our"; request rules on the entries' Message and Id.
        var settings = AwsPayloadTaggingSettings.Create(
            "$..PublishBatchRequestEntries.[*].Message,$..PublishBatchRequestEntries.[*].Id",
            "$..HTTPHeaders.*");
        string[] names = ["one", "two", "three", "f.our", "five", "six", "seven", "eight", "nine", "ten"];
        var attributes = "{" + string.Join(",", names.Select(n => $"\"{n}\":{{\"DataType\":\"String\",\"StringValue\":\"{(n == "f.our" ? "four" : n)}\"}}")) + "}";
        var request = $$"""
            {"TopicArn":"arn:aws:sns:us-east-1:000000000000:testTopic","PublishBatchRequestEntries":[
              {"Id":"1","Message":"ironmaiden","MessageAttributes":{{attributes}}},
              {"Id":"2","Message":"megadeth","MessageAttributes":{{attributes}}}]}
            """;

        var sink = new RecordingTagSink();
        using (var document = JsonDocument.Parse(request))
        {
            AwsPayloadTagger.TagRequest(settings, "sns", document.RootElement, sink);
        }

        var expected = new Dictionary<string, string> { ["aws.request.body.TopicArn"] = "arn:aws:sns:us-east-1:000000000000:testTopic" };
        for (var entry = 0; entry < 2; entry++)
        {
            expected[$"aws.request.body.PublishBatchRequestEntries.{entry}.Id"] = "redacted";
            expected[$"aws.request.body.PublishBatchRequestEntries.{entry}.Message"] = "redacted";
            foreach (var name in names)
            {
                var key = name.Replace(".", "\\.", StringComparison.Ordinal);
                expected[$"aws.request.body.PublishBatchRequestEntries.{entry}.MessageAttributes.{key}.DataType"] = "String";
                expected[$"aws.request.body.PublishBatchRequestEntries.{entry}.MessageAttributes.{key}.StringValue"] = name == "f.our" ? "four" : name;
            }
        }

        Assert.Equal(expected, sink.Tags);
        Assert.Equal("four", sink.Tags["aws.request.body.PublishBatchRequestEntries.0.MessageAttributes.f\\.our.StringValue"]);

        // The snapshot's response side: botocore's ResponseMetadata with the HTTP headers redacted by the rule.
        var response = new RecordingTagSink();
        using (var document = JsonDocument.Parse("""
            {"RequestId":"RXIWQJVSSBAWXA388J9P2GGCMHCT75MA2TQWGO0PD4KI7SRHAE7V","HTTPStatusCode":200,"HTTPHeaders":{"content-type":"text/xml","content-length":"1123","date":"Mon, 13 Apr 2026 19:37:20 GMT","server":"hypercorn-h11"},"RetryAttempts":0}
            """))
        {
            AwsPayloadTagger.TagResponse(settings, "sns", document.RootElement, response);
        }

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["aws.response.body.RequestId"] = "RXIWQJVSSBAWXA388J9P2GGCMHCT75MA2TQWGO0PD4KI7SRHAE7V",
                ["aws.response.body.HTTPStatusCode"] = "200",
                ["aws.response.body.HTTPHeaders.content-type"] = "redacted",
                ["aws.response.body.HTTPHeaders.content-length"] = "redacted",
                ["aws.response.body.HTTPHeaders.date"] = "redacted",
                ["aws.response.body.HTTPHeaders.server"] = "redacted",
                ["aws.response.body.RetryAttempts"] = "0",
            },
            response.Tags);
    }

    [Fact]
    public void DocumentationExample()
    {
        var tags = TagRequest("""{"Message":{"foo.bar":"baz","Arr":["a","b"]}}""", "sqs", "all");
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["aws.request.body.Message.foo\\.bar"] = "baz",
                ["aws.request.body.Message.Arr.0"] = "a",
                ["aws.request.body.Message.Arr.1"] = "b",
            },
            tags);
    }

    [Fact]
    public void DocumentationUserRules()
    {
        // The documentation's rule names "Pass", which is also a built-in sensitive name: "Code" shows the path alone.
        var tags = TagRequest("""{"Metadata":{"UserId":"u-1","Other":"o"},"Attributes":[{"Code":"p","Keep":"k"},{"Code":"p2"}]}""", "sqs", "$.Metadata.UserId,$.Attributes.0.Code");
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["aws.request.body.Metadata.UserId"] = "redacted",
                ["aws.request.body.Metadata.Other"] = "o",
                ["aws.request.body.Attributes.0.Code"] = "redacted",
                ["aws.request.body.Attributes.0.Keep"] = "k",
                ["aws.request.body.Attributes.1.Code"] = "p2",
            },
            tags);
    }

    [Fact]
    public void CapOf758()
    {
        // 759 leaves: 758 tags and the incomplete marker (the brief's count; dd-trace-js stops one earlier).
        var sink = new RecordingTagSink();
        using var document = JsonDocument.Parse($"{{\"foo\":{{{string.Join(",", Enumerable.Range(0, 759).Select(i => $"\"{i}\":{i}"))}}}}}");

        var written = AwsPayloadTagger.Tag(JsPrefix, document.RootElement, JsonPathRedactionSet.Empty, 10, 758, sink);

        Assert.Equal(758, written);
        Assert.Equal(759, sink.Calls.Count);
        Assert.Equal(new KeyValuePair<string, string>("_dd.payload_tags_incomplete", "true"), sink.Calls[^1]);
    }

    [Fact]
    public void BelowTheCap()
    {
        var sink = new RecordingTagSink();
        using var document = JsonDocument.Parse($"{{\"foo\":{{{string.Join(",", Enumerable.Range(0, 200).Select(i => $"\"{i}\":{i}"))}}}}}");
        Assert.Equal(200, AwsPayloadTagger.Tag(JsPrefix, document.RootElement, JsonPathRedactionSet.Empty, 10, 758, sink));
        Assert.Equal(200, sink.Calls.Count);
    }

    [Fact]
    public void ScalarAtMaxDepthIsKept()
    {
        var tags = TagJs("""{"1":{"2":{"3":{"4":{"5":{"6":{"7":{"8":{"9":{"10":11}}}}}}}}}}""");
        Assert.Equal(new Dictionary<string, string> { ["http.payload.1.2.3.4.5.6.7.8.9.10"] = "11" }, tags);
    }

    [Fact]
    public void ObjectBeyondMaxDepthIsTruncated()
    {
        var tags = TagJs("""{"1":{"2":{"3":{"4":{"5":{"6":{"7":{"8":{"9":{"10":{"11":"too much"}}}}}}}}}}}""");
        Assert.Equal(new Dictionary<string, string> { ["http.payload.1.2.3.4.5.6.7.8.9.10"] = "truncated" }, tags);
    }

    [Fact]
    public void RedactsSensitiveKeys()
    {
        var tags = TagJs("""{"foo":{"bar":{"token":"tokenpleaseredact","authorization":"pleaseredact","valid":"valid"},"baz":{"password":"shouldgo","x-authorization":"shouldbegone","data":"shouldstay"}}}""");
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["http.payload.foo.bar.token"] = "redacted",
                ["http.payload.foo.bar.authorization"] = "redacted",
                ["http.payload.foo.bar.valid"] = "valid",
                ["http.payload.foo.baz.password"] = "redacted",
                ["http.payload.foo.baz.x-authorization"] = "redacted",
                ["http.payload.foo.baz.data"] = "shouldstay",
            },
            tags);
    }

    [Fact]
    public void RedactsSensitiveKeysEvenIfObjects()
    {
        var tags = TagJs("""{"foo":{"authorization":{"token":"tokenpleaseredact","authorization":"pleaseredact","valid":"valid"},"baz":{"password":"shouldgo","x-authorization":"shouldbegone","data":"shouldstay"}}}""");
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["http.payload.foo.authorization"] = "redacted",
                ["http.payload.foo.baz.password"] = "redacted",
                ["http.payload.foo.baz.x-authorization"] = "redacted",
                ["http.payload.foo.baz.data"] = "shouldstay",
            },
            tags);
    }

    [Fact]
    public void RedactsTheDesignsKeysCaseInsensitively()
    {
        var tags = TagJs("""{"Cookie":"a","SET-COOKIE":["b"],"x-api-key":{"k":1},"X-Amz-Security-Token":"t","Token":1,"a.token":"dotted","tokenizer":"t"}""");
        Assert.All(["http.payload.Cookie", "http.payload.SET-COOKIE", "http.payload.x-api-key", "http.payload.X-Amz-Security-Token", "http.payload.Token"], k => Assert.Equal("redacted", tags[k]));

        // dd-trace-js compares whole names ("a.token" kept); a name containing a sensitive word is redacted here.
        Assert.Equal("redacted", tags["http.payload.a\\.token"]);
        Assert.Equal("redacted", tags["http.payload.tokenizer"]);
    }

    [Fact]
    public void EscapesDotsInKeys()
    {
        Assert.Equal(new Dictionary<string, string> { ["http.payload.foo\\.bar.baz"] = "quux" }, TagJs("""{"foo.bar":{"baz":"quux"}}"""));
    }

    [Fact]
    public void ScalarForms()
    {
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["http.payload.foo"] = "bar",
                ["http.payload.baz"] = "null",
                ["http.payload.t"] = "true",
                ["http.payload.f"] = "false",
                ["http.payload.n"] = "1.50",
                ["http.payload.list.0"] = "v0",
                ["http.payload.list.1"] = "v1",
            },
            TagJs("""{"foo":"bar","baz":null,"t":true,"f":false,"n":1.50,"list":["v0","v1"]}"""));
    }

    [Theory]
    [InlineData(5000)]
    [InlineData(5001)]
    [InlineData(10_000)]
    [InlineData(1_000_000)]
    public void TruncatesLongStrings(int length)
    {
        var tags = TagJs(JsonSerializer.Serialize(new Dictionary<string, string> { ["string"] = new string('x', length) }));
        Assert.Equal(new string('x', 5000), tags["http.payload.string"]);
    }

    [Fact]
    public void RequestRulesForRequestsAndResponseRulesForResponses()
    {
        var settings = AwsPayloadTaggingSettings.Create("$.request", "$.response");
        const string body = """{"request":"foo","response":"bar"}""";

        var request = Tag(settings, "sqs", body, AwsPayloadDirection.Request);
        Assert.Equal("redacted", request["aws.request.body.request"]);
        Assert.Equal("bar", request["aws.request.body.response"]);

        var response = Tag(settings, "sqs", body, AwsPayloadDirection.Response);
        Assert.Equal("redacted", response["aws.response.body.response"]);
        Assert.Equal("foo", response["aws.response.body.request"]);
    }

    [Fact]
    public void InvalidRulesTurnTheirDirectionOff()
    {
        var settings = AwsPayloadTaggingSettings.Create("invalid,request", "invalid,$.foo,$.response");
        Assert.False(settings.RequestsEnabled);
        Assert.False(settings.ResponsesEnabled);
        Assert.Empty(Tag(settings, "sqs", """{"request":"foo","response":"bar"}""", AwsPayloadDirection.Response));
    }

    [Fact]
    public void SqsInvalidConfigTagsNothing()
    {
        // dd-trace-py snapshot sqs_invalid_config (request "non_json_path", response with a space in a name): no body tags.
        var settings = AwsPayloadTaggingSettings.Create("non_json_path", "$..Attr ibutes.PlatformCredential");
        Assert.False(settings.RequestsEnabled);
        Assert.False(settings.ResponsesEnabled);
        Assert.Empty(Tag(settings, "sqs", """{"QueueUrl":"q"}""", AwsPayloadDirection.Request));
    }

    [Fact]
    public void DollarAloneRedactsNothing()
    {
        var settings = AwsPayloadTaggingSettings.Create("$", null);
        Assert.True(settings.RequestsEnabled);
        Assert.False(settings.ResponsesEnabled);
        Assert.Equal("x", Tag(settings, "sqs", """{"a":"x"}""", AwsPayloadDirection.Request)["aws.request.body.a"]);
        Assert.Empty(Tag(settings, "sqs", """{"a":"x"}""", AwsPayloadDirection.Response));
    }

    [Fact]
    public void OffWhenUnset()
    {
        var settings = AwsPayloadTaggingSettings.FromEnvironment(EnvironmentSource.FromDictionary(new Dictionary<string, string?>
        {
            ["DD_TRACE_CLOUD_REQUEST_PAYLOAD_TAGGING"] = " ",
        }));
        Assert.False(settings.Enabled);
        Assert.Empty(Tag(settings, "sqs", """{"a":"x"}""", AwsPayloadDirection.Request));
        Assert.False(AwsPayloadTaggingSettings.Disabled.Enabled);
    }

    [Fact]
    public void SnsDefaultRedactions()
    {
        var request = TagRequest(
            """{"Attributes":{"Token":"t","KmsMasterKeyId":"k","PlatformCredential":"c","PlatformPrincipal":"p","DisplayName":"shown"},"AWSAccountId":["1"],"Endpoint":"e","OneTimePassword":"o","phoneNumber":"+1","PhoneNumber":"+2","PublishBatchRequestEntries":[{"Endpoint":"nested","Message":"m"}]}""",
            "sns",
            "all");
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["aws.request.body.Attributes.Token"] = "redacted",
                ["aws.request.body.Attributes.KmsMasterKeyId"] = "redacted",
                ["aws.request.body.Attributes.PlatformCredential"] = "redacted",
                ["aws.request.body.Attributes.PlatformPrincipal"] = "redacted",
                ["aws.request.body.Attributes.DisplayName"] = "shown",
                ["aws.request.body.AWSAccountId"] = "redacted",
                ["aws.request.body.Endpoint"] = "redacted",
                ["aws.request.body.OneTimePassword"] = "redacted",
                ["aws.request.body.phoneNumber"] = "redacted",
                ["aws.request.body.PhoneNumber"] = "redacted",
                ["aws.request.body.PublishBatchRequestEntries.0.Endpoint"] = "redacted",
                ["aws.request.body.PublishBatchRequestEntries.0.Message"] = "m",
            },
            request);

        var settings = AwsPayloadTaggingSettings.Create(null, "all");
        var response = Tag(
            settings,
            "SNS",
            """{"Endpoints":{"arn1":{"Token":"t","Enabled":"true"}},"PlatformApplication":{"a":{"PlatformCredential":"c","PlatformPrincipal":"p"}},"Subscriptions":{"s":{"Endpoint":"e","Protocol":"sqs"}},"PhoneNumbers":[{"PhoneNumber":"+1","Status":"ok"}],"phoneNumbers":["+2","+3"],"Attributes":{"KmsMasterKeyId":"k","Token":"t2"}}""",
            AwsPayloadDirection.Response);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["aws.response.body.Endpoints.arn1.Token"] = "redacted",
                ["aws.response.body.Endpoints.arn1.Enabled"] = "true",
                ["aws.response.body.PlatformApplication.a.PlatformCredential"] = "redacted",
                ["aws.response.body.PlatformApplication.a.PlatformPrincipal"] = "redacted",
                ["aws.response.body.Subscriptions.s.Endpoint"] = "redacted",
                ["aws.response.body.Subscriptions.s.Protocol"] = "sqs",
                ["aws.response.body.PhoneNumbers.0.PhoneNumber"] = "redacted",
                ["aws.response.body.PhoneNumbers.0.Status"] = "ok",
                ["aws.response.body.phoneNumbers.0"] = "redacted",
                ["aws.response.body.phoneNumbers.1"] = "redacted",
                ["aws.response.body.Attributes.KmsMasterKeyId"] = "redacted",
                ["aws.response.body.Attributes.Token"] = "redacted",
            },
            response);
    }

    [Fact]
    public void EventBridgeDefaultRedactionsByServiceName()
    {
        const string body = """
            {"AuthParameters":{"BasicAuthParameters":{"Username":"u","Password":"p"},"ApiKeyAuthParameters":{"ApiKeyName":"n","ApiKeyValue":"v"},"OAuthParameters":{"ClientParameters":{"ClientID":"id","ClientSecret":"s"},"OAuthHttpParameters":{"HeaderParameters":[{"Key":"h","Value":"hv"}]}},"InvocationHttpParameters":{"BodyParameters":[{"Key":"b","Value":"bv","IsValueSecret":false}]}},"Targets":[{"Id":"t","RedshiftDataParameters":{"Sql":"select 1","Database":"db"},"AppSyncParameters":{"GraphQLOperation":"query"}}]}
            """;
        var expectedRequest = new Dictionary<string, string>
        {
            ["aws.request.body.AuthParameters.BasicAuthParameters.Username"] = "u",
            ["aws.request.body.AuthParameters.BasicAuthParameters.Password"] = "redacted",
            ["aws.request.body.AuthParameters.ApiKeyAuthParameters"] = "redacted", // a built-in name ("apikey"): the whole object
            ["aws.request.body.AuthParameters.OAuthParameters.ClientParameters.ClientID"] = "id",
            ["aws.request.body.AuthParameters.OAuthParameters.ClientParameters.ClientSecret"] = "redacted",
            ["aws.request.body.AuthParameters.OAuthParameters.OAuthHttpParameters.HeaderParameters.0.Key"] = "h",
            ["aws.request.body.AuthParameters.OAuthParameters.OAuthHttpParameters.HeaderParameters.0.Value"] = "redacted",
            ["aws.request.body.AuthParameters.InvocationHttpParameters.BodyParameters.0.Key"] = "b",
            ["aws.request.body.AuthParameters.InvocationHttpParameters.BodyParameters.0.Value"] = "redacted",
            ["aws.request.body.AuthParameters.InvocationHttpParameters.BodyParameters.0.IsValueSecret"] = "redacted", // names with "secret" are redacted
            ["aws.request.body.Targets.0.Id"] = "t",
            ["aws.request.body.Targets.0.RedshiftDataParameters.Sql"] = "redacted",
            ["aws.request.body.Targets.0.RedshiftDataParameters.Database"] = "db",
            ["aws.request.body.Targets.0.AppSyncParameters.GraphQLOperation"] = "redacted",
        };

        // Matched by name: the list's "eventbridge", the SDK's service id, and the endpoint prefix all work.
        foreach (var service in new[] { "eventbridge", "EventBridge", "events" })
        {
            Assert.Equal(expectedRequest, TagRequest(body, service, "all"));
        }

        // Responses redact the nine shared paths only (credentials are request-only).
        var response = Tag(AwsPayloadTaggingSettings.Create(null, "all"), "eventbridge", body, AwsPayloadDirection.Response);
        Assert.Equal("redacted", response["aws.response.body.Targets.0.RedshiftDataParameters.Sql"]);
        Assert.Equal("redacted", response["aws.response.body.AuthParameters.InvocationHttpParameters.BodyParameters.0.Value"]);
        // The default response paths leave the credentials; the sensitive-key list takes them.
        Assert.Equal("redacted", response["aws.response.body.AuthParameters.ApiKeyAuthParameters"]);
        Assert.Equal("redacted", response["aws.response.body.AuthParameters.OAuthParameters.ClientParameters.ClientSecret"]);
        Assert.Equal("redacted", response["aws.response.body.AuthParameters.BasicAuthParameters.Password"]);
    }

    [Fact]
    public void S3DefaultRedactions()
    {
        var request = TagRequest("""{"Bucket":"b","Key":"k","SSECustomerKey":"x","CopySourceSSECustomerKey":"y","SSEKMSKeyId":"z","SSEKMSEncryptionContext":"c","RestoreRequest":{"OutputLocation":{"S3":{"Encryption":{"KMSKeyId":"kms","EncryptionType":"aws:kms"}}}}}""", "s3", "all");
        Assert.Equal("b", request["aws.request.body.Bucket"]);
        Assert.Equal("k", request["aws.request.body.Key"]);
        Assert.All(
            ["SSECustomerKey", "CopySourceSSECustomerKey", "SSEKMSKeyId", "SSEKMSEncryptionContext", "RestoreRequest.OutputLocation.S3.Encryption.KMSKeyId"],
            k => Assert.Equal("redacted", request["aws.request.body." + k]));
        Assert.Equal("aws:kms", request["aws.request.body.RestoreRequest.OutputLocation.S3.Encryption.EncryptionType"]);

        var response = Tag(AwsPayloadTaggingSettings.Create(null, "all"), "S3", """{"Credentials":{"AccessKeyId":"a","SecretAccessKey":"s","SessionToken":"t"},"SSECustomerKey":"only-a-request-path"}""", AwsPayloadDirection.Response);
        // The default paths redact SecretAccessKey and SessionToken; "Credentials" is a built-in sensitive name, so the
        // whole object goes (its AccessKeyId too).
        Assert.Equal("redacted", response["aws.response.body.Credentials"]);
        Assert.DoesNotContain(response.Keys, k => k.StartsWith("aws.response.body.Credentials.", StringComparison.Ordinal));
        Assert.Equal("only-a-request-path", response["aws.response.body.SSECustomerKey"]);
    }

    [Fact]
    public void DefaultsCannotBeSwitchedOffByUserPaths()
    {
        var tags = TagRequest("""{"Endpoint":"e","Other":"o"}""", "sns", "$.Other");
        Assert.Equal("redacted", tags["aws.request.body.Endpoint"]);
        Assert.Equal("redacted", tags["aws.request.body.Other"]);
    }

    [Fact]
    public void SqsKinesisDynamoDbHaveNoDefaults()
    {
        foreach (var service in new[] { "sqs", "kinesis", "dynamodb", "DynamoDB", "dynamodbv2" })
        {
            var tags = TagRequest("""{"Endpoint":"e","Token":"t"}""", service, "all");
            Assert.Equal("e", tags["aws.request.body.Endpoint"]);
            Assert.Equal("redacted", tags["aws.request.body.Token"]); // the sensitive-key list still applies
        }
    }

    [Fact]
    public void ServicesList()
    {
        var defaults = AwsPayloadTaggingSettings.Create("all", "all");
        Assert.Equal(["s3", "sns", "sqs", "kinesis", "eventbridge", "dynamodb"], defaults.Services);
        Assert.False(defaults.TryGetRedactions("lambda", AwsPayloadDirection.Request, out _));
        Assert.False(defaults.TryGetRedactions(string.Empty, AwsPayloadDirection.Request, out _));

        var custom = AwsPayloadTaggingSettings.FromEnvironment(EnvironmentSource.FromDictionary(new Dictionary<string, string?>
        {
            ["DD_TRACE_CLOUD_REQUEST_PAYLOAD_TAGGING"] = "all",
            ["DD_TRACE_CLOUD_PAYLOAD_TAGGING_SERVICES"] = " SQS , Lambda,,events ",
        }));
        Assert.Equal(["sqs", "lambda", "eventbridge"], custom.Services);
        Assert.True(custom.TryGetRedactions("sqs", AwsPayloadDirection.Request, out _));
        Assert.True(custom.TryGetRedactions("Lambda", AwsPayloadDirection.Request, out var lambda));
        Assert.Equal(0, lambda.Count);
        Assert.True(custom.TryGetRedactions("EventBridge", AwsPayloadDirection.Request, out _));
        Assert.False(custom.TryGetRedactions("sns", AwsPayloadDirection.Request, out _));
        Assert.False(custom.TryGetRedactions("sqs", AwsPayloadDirection.Response, out _));

        // dd-trace-py's list names botocore's endpoint prefixes: they name the same services here.
        var prefixes = AwsPayloadTaggingSettings.FromEnvironment(EnvironmentSource.FromDictionary(new Dictionary<string, string?>
        {
            ["DD_TRACE_CLOUD_REQUEST_PAYLOAD_TAGGING"] = "all",
            ["DD_TRACE_CLOUD_PAYLOAD_TAGGING_SERVICES"] = "states,logs,monitoring,email",
        }));
        Assert.Equal(["stepfunctions", "cloudwatchlogs", "cloudwatch", "ses", "sesv2"], prefixes.Services);
        Assert.True(prefixes.TryGetRedactions("stepfunctions", AwsPayloadDirection.Request, out _));
    }

    [Theory]
    [InlineData("$.QueueUrl,Entries[*].MessageBody")]
    [InlineData("$.QueueUrl,")]
    [InlineData("$.QueueUrl,$[")]
    public void OneInvalidPathTurnsItsDirectionOff(string paths)
    {
        // dd-trace-py: a mistyped path must not leave the field it meant to redact tagged; the other direction goes on.
        var settings = AwsPayloadTaggingSettings.Create(paths, "all");
        Assert.False(settings.RequestsEnabled);
        Assert.False(settings.TryGetRedactions("sqs", AwsPayloadDirection.Request, out _));
        Assert.True(settings.ResponsesEnabled);
        Assert.True(settings.TryGetRedactions("sqs", AwsPayloadDirection.Response, out _));
    }

    [Fact]
    public void SettingsFromEnvironment()
    {
        var settings = AwsPayloadTaggingSettings.FromEnvironment(EnvironmentSource.FromDictionary(new Dictionary<string, string?>
        {
            ["DD_TRACE_CLOUD_REQUEST_PAYLOAD_TAGGING"] = "$..secret, $['a,b'] ",
            ["DD_TRACE_CLOUD_RESPONSE_PAYLOAD_TAGGING"] = "all",
            ["DD_TRACE_CLOUD_PAYLOAD_TAGGING_MAX_DEPTH"] = "3",
            ["DD_TRACE_CLOUD_PAYLOAD_TAGGING_MAX_TAGS"] = "5",
        }));
        Assert.True(settings.RequestsEnabled);
        Assert.True(settings.ResponsesEnabled);
        Assert.Equal(3, settings.MaxDepth);
        Assert.Equal(5, settings.MaxTags);
        Assert.Equal(["$..secret", "$['a,b']"], settings.RequestPaths.Select(p => p.Text));
        Assert.Empty(settings.ResponsePaths);

        var tags = Tag(settings, "sqs", """{"a,b":1,"x":{"secret":2,"y":{"z":{"w":1}}},"k1":1,"k2":2,"k3":3,"k4":4}""", AwsPayloadDirection.Request);
        Assert.Equal("redacted", tags["aws.request.body.a,b"]);
        Assert.Equal("redacted", tags["aws.request.body.x.secret"]);
        Assert.Equal("truncated", tags["aws.request.body.x.y.z"]);
        Assert.Equal("true", tags["_dd.payload_tags_incomplete"]);
        Assert.Equal(6, tags.Count);

        var invalid = AwsPayloadTaggingSettings.FromEnvironment(EnvironmentSource.FromDictionary(new Dictionary<string, string?>
        {
            ["DD_TRACE_CLOUD_PAYLOAD_TAGGING_MAX_DEPTH"] = "deep",
            ["DD_TRACE_CLOUD_PAYLOAD_TAGGING_MAX_TAGS"] = "lots",
        }));
        Assert.Equal(10, invalid.MaxDepth);
        Assert.Equal(758, invalid.MaxTags);

        // dd-trace-py takes any integer as the depth; past our bounds it is the bound, not the default.
        Assert.Equal(0, AwsPayloadTaggingSettings.FromEnvironment(EnvironmentSource.FromDictionary(new Dictionary<string, string?> { ["DD_TRACE_CLOUD_PAYLOAD_TAGGING_MAX_DEPTH"] = "-1" })).MaxDepth);
        Assert.Equal(64, AwsPayloadTaggingSettings.FromEnvironment(EnvironmentSource.FromDictionary(new Dictionary<string, string?> { ["DD_TRACE_CLOUD_PAYLOAD_TAGGING_MAX_DEPTH"] = "500" })).MaxDepth);
    }

    [Fact]
    public void TooManyUserPathsTurnTheDirectionOff()
    {
        // The paths past the bound would not be compiled, so their fields would be tagged: nothing is.
        var most = string.Join(",", Enumerable.Range(0, JsonPathRedactionSet.MaxPatterns - 16).Select(i => $"$.p{i}"));
        var settings = AwsPayloadTaggingSettings.Create(most, null);
        Assert.Equal(JsonPathRedactionSet.MaxPatterns - 16, settings.RequestPaths.Count);
        Assert.True(settings.TryGetRedactions("eventbridge", AwsPayloadDirection.Request, out var set));
        Assert.Equal(12 + settings.RequestPaths.Count, set.Count);

        var tooMany = AwsPayloadTaggingSettings.Create(most + ",$.one_more", null);
        Assert.False(tooMany.RequestsEnabled);
        Assert.False(tooMany.TryGetRedactions("eventbridge", AwsPayloadDirection.Request, out _));
    }

    [Fact]
    public void JsonStringsExpandInPlaceAndRedactionReachesInside()
    {
        var tags = TagRequest(
            """{"QueueUrl":"q","MessageBody":"{\"order\":{\"id\":7,\"card\":\"4111\"},\"password\":\"p\",\"Token\":\"t\"}","Scalar":"42"}""",
            "sqs",
            "$.MessageBody.order.card");
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["aws.request.body.QueueUrl"] = "q",
                ["aws.request.body.MessageBody.order.id"] = "7",
                ["aws.request.body.MessageBody.order.card"] = "redacted",
                ["aws.request.body.MessageBody.password"] = "redacted",
                ["aws.request.body.MessageBody.Token"] = "redacted",
                ["aws.request.body.Scalar"] = "42",
            },
            tags);
    }

    [Fact]
    public void ExpandedJsonTakesTheStringsDepth()
    {
        // dd-trace-js expands before flattening, so the parsed value sits where the string was.
        Assert.Equal(new Dictionary<string, string> { ["http.payload.a.b"] = "1" }, TagJs("""{"a":"{\"b\":1}"}""", maxDepth: 2));
        Assert.Equal(new Dictionary<string, string> { ["http.payload.a.b"] = "truncated" }, TagJs("""{"a":{"b":"{\"c\":1}"}}""", maxDepth: 2));
        Assert.Equal(new Dictionary<string, string> { ["http.payload.a.b"] = "plain" }, TagJs("""{"a":{"b":"plain"}}""", maxDepth: 2));
    }

    [Fact]
    public void PyRedactionEngineVectors()
    {
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["http.payload.PublishBatchRequestEntries.0.Message"] = "redacted",
                ["http.payload.PublishBatchRequestEntries.1.Message"] = "redacted",
            },
            TagJs("""{"PublishBatchRequestEntries":[{"Message":"m1"},{"Message":"m2"}]}""", paths: "$..PublishBatchRequestEntries.[*].Message"));

        Assert.Equal(
            new Dictionary<string, string> { ["http.payload.weird\\.[key]"] = "redacted", ["http.payload.other"] = "keep" },
            TagJs("""{"weird.[key]":"secret","other":"keep"}""", paths: "$['weird.[key]']"));

        Assert.Equal(
            new Dictionary<string, string> { ["http.payload.phoneNumbers.0"] = "redacted", ["http.payload.phoneNumbers.1"] = "redacted" },
            TagJs("""{"phoneNumbers":["+15550001","+15550002"]}""", paths: "$..phoneNumbers[*]"));

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["http.payload.Attributes.Token"] = "redacted",
                ["http.payload.Attributes.Keep"] = "keep",
                ["http.payload.Nested.Attributes.Token"] = "redacted",
            },
            TagJs("""{"Attributes":{"Token":"t1","Keep":"keep"},"Nested":{"Attributes":{"Token":"t2"}}}""", paths: "$..Attributes.Token"));

        // dd-trace-js: a path redacts per path, not per aliased object.
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["http.payload.a.hidden"] = "redacted",
                ["http.payload.a.plain"] = "ok",
                ["http.payload.b.hidden"] = "h1dden",
                ["http.payload.b.plain"] = "ok",
            },
            TagJs("""{"a":{"hidden":"h1dden","plain":"ok"},"b":{"hidden":"h1dden","plain":"ok"}}""", paths: "$.a.hidden"));
    }

    // About 20 seconds per leg on 2 cores (10,000 nesting levels): the slow lane.
    [Trait("Category", "Slow")]
    [Fact]
    public void HostileInput()
    {
        // 10,000 levels: truncated at the max depth, never recursing further.
        var deep = new string('[', 10_000) + new string(']', 10_000);
        var sink = new RecordingTagSink();
        using (var document = JsonDocument.Parse(deep, new JsonDocumentOptions { MaxDepth = 20_000 }))
        {
            AwsPayloadTagger.Tag(JsPrefix, document.RootElement, JsonPathRedactionSet.Empty, 10, 758, sink);
        }

        Assert.Equal(new KeyValuePair<string, string>("http.payload.0.0.0.0.0.0.0.0.0.0", "truncated"), Assert.Single(sink.Calls));

        // A string holding deeper JSON than a nested parse accepts, invalid JSON, non-ASCII keys, duplicates.
        var tags = TagJs(JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["deep"] = "{\"a\":" + deep + "}",
            ["bad"] = "{\"a\":",
            ["名前"] = "値",
        }));
        Assert.Equal(("{\"a\":" + deep)[..5000], tags["http.payload.deep"]);
        Assert.Equal("{\"a\":", tags["http.payload.bad"]);
        Assert.Equal("値", tags["http.payload.名前"]);

        var duplicates = new RecordingTagSink();
        using (var document = JsonDocument.Parse("""{"a":1,"a":2}"""))
        {
            AwsPayloadTagger.Tag(JsPrefix, document.RootElement, JsonPathRedactionSet.Empty, 10, 758, duplicates);
        }

        Assert.Equal(["1", "2"], duplicates.Calls.Select(c => c.Value));
    }

    [Fact]
    public void ExpansionBudgetMarksIncomplete()
    {
        var body = JsonSerializer.Serialize(new { x = new string('y', 600_000) });
        var tags = TagJs(JsonSerializer.Serialize(new { first = body, second = body }));
        Assert.Equal(5000, tags["http.payload.first.x"].Length);
        Assert.Equal("truncated", tags["http.payload.second"]);
        Assert.Equal("true", tags["_dd.payload_tags_incomplete"]);
    }

    [Fact]
    public void NeverThrows()
    {
        var document = JsonDocument.Parse("""{"a":1}""");
        var element = document.RootElement;
        document.Dispose();
        Assert.Equal(0, AwsPayloadTagger.Tag(JsPrefix, element, JsonPathRedactionSet.Empty, 10, 758, new RecordingTagSink()));

        using var live = JsonDocument.Parse("""{"a":1}""");
        Assert.Equal(0, AwsPayloadTagger.Tag(JsPrefix, live.RootElement, JsonPathRedactionSet.Empty, 10, 758, new ThrowingTagSink()));
    }

    private static Dictionary<string, string> TagJs(string json, int maxDepth = 10, string? paths = null)
    {
        var patterns = new List<JsonPathPattern>();
        foreach (var path in (paths ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.True(JsonPathPattern.TryParse(path, out var pattern, out var error), error);
            patterns.Add(pattern);
        }

        var sink = new RecordingTagSink();
        using var document = JsonDocument.Parse(json);
        AwsPayloadTagger.Tag(JsPrefix, document.RootElement, new JsonPathRedactionSet(patterns), maxDepth, 758, sink);
        return sink.Tags;
    }

    [Fact]
    public void KinesisRecordDataThatIsJsonIsExpandedSoPathsReachIt()
    {
        // The marshalled request carries the record as base64; dd-trace-py tags the bytes the user passed, parsed as JSON.
        var data = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"orderId":"1","card":"4111111111111111"}"""));
        var text = Convert.ToBase64String(Encoding.UTF8.GetBytes("plain text"));
        var json = $$"""{"StreamName":"orders","PartitionKey":"p","Data":"{{data}}","Records":[{"Data":"{{data}}"},{"Data":"{{text}}"}]}""";

        var tags = TagRequest(json, "kinesis", "$..Data.card");

        Assert.Equal("1", tags["aws.request.body.Data.orderId"]);
        Assert.Equal("redacted", tags["aws.request.body.Data.card"]);
        Assert.Equal("redacted", tags["aws.request.body.Records.0.Data.card"]);
        Assert.Equal(text, tags["aws.request.body.Records.1.Data"]);
        Assert.Equal("p", tags["aws.request.body.PartitionKey"]);
        Assert.DoesNotContain(tags.Values, v => v.Contains("4111", StringComparison.Ordinal));

        // Other services' strings are not decoded: base64 there is a value of its own (an SQS binary attribute).
        Assert.Equal(data, TagRequest($$"""{"Data":"{{data}}"}""", "sqs", "all")["aws.request.body.Data"]);
    }

    [Fact]
    public void OnlyRecordDataIsDecodedAndOnlyWhenItIsJson()
    {
        var logLine = Convert.ToBase64String(Encoding.UTF8.GetBytes("[INFO] started"));
        var record = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"id":7}"""));

        // A partition key that happens to be base64 of JSON ("[tenant-1]", "{}") is the user's text; data that is not JSON stays base64.
        var kinesis = TagRequest($$"""{"PartitionKey":"W3RlbmFudC0xXQ==","ExplicitHashKey":"e30=","Data":"{{logLine}}"}""", "kinesis", "all");
        Assert.Equal("W3RlbmFudC0xXQ==", kinesis["aws.request.body.PartitionKey"]);
        Assert.Equal("e30=", kinesis["aws.request.body.ExplicitHashKey"]);
        Assert.Equal(logLine, kinesis["aws.request.body.Data"]);

        // Firehose (when listed): PutRecord's Record.Data and PutRecordBatch's Records[*].Data.
        var firehose = AwsPayloadTaggingSettings.Create("all", null, services: "firehose");
        Assert.Equal("7", Tag(firehose, "firehose", $$$"""{"DeliveryStreamName":"d","Record":{"Data":"{{{record}}}"}}""", AwsPayloadDirection.Request)["aws.request.body.Record.Data.id"]);
        Assert.Equal("7", Tag(firehose, "firehose", $$$"""{"DeliveryStreamName":"d","Records":[{"Data":"{{{record}}}"}]}""", AwsPayloadDirection.Request)["aws.request.body.Records.0.Data.id"]);

        // JSON data at the maximum depth is truncated, as a JSON string there is: its text could hold what the paths redact.
        var shallow = AwsPayloadTaggingSettings.Create("all", null, maxDepth: 1);
        Assert.Equal("truncated", Tag(shallow, "kinesis", $$"""{"Data":"{{record}}"}""", AwsPayloadDirection.Request)["aws.request.body.Data"]);
    }

    private static Dictionary<string, string> TagRequest(string json, string service, string rules) =>
        Tag(AwsPayloadTaggingSettings.Create(rules, null), service, json, AwsPayloadDirection.Request);

    private static Dictionary<string, string> Tag(AwsPayloadTaggingSettings settings, string service, string json, AwsPayloadDirection direction)
    {
        var sink = new RecordingTagSink();
        using var document = JsonDocument.Parse(json);
        if (direction == AwsPayloadDirection.Request)
        {
            AwsPayloadTagger.TagRequest(settings, service, document.RootElement, sink);
        }
        else
        {
            AwsPayloadTagger.TagResponse(settings, service, document.RootElement, sink);
        }

        return sink.Tags;
    }
}
