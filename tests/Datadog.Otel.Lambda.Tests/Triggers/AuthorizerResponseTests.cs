// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry;

namespace Datadog.Otel.Lambda.Tests.Triggers;

/// <summary>An authorizer hands its trace to the function it authorizes through <c>context._datadog</c> (§1.10).</summary>
[Collection("Tracing")]
public class AuthorizerResponseTests
{
    private const string TokenEvent = """{"type":"TOKEN","authorizationToken":"allow","methodArn":"arn:aws:execute-api:us-east-1:123456789012:abcdef123/test/GET/request"}""";
    private const string Policy = """{"principalId":"user","policyDocument":{"Version":"2012-10-17","Statement":[]},"context":{"stringKey":"value"}}""";

    private static JsonElement Decode(string base64) => JsonDocument.Parse(Convert.FromBase64String(base64)).RootElement;

    [Fact]
    public async Task PolicyGetsTheAuthorizersTraceContext()
    {
        using var tracing = new TestTracing();
        var response = await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(TokenEvent), TestTracing.Context(), (_, _) => Task.FromResult(JsonDocument.Parse(Policy).RootElement));

        var lambda = tracing.LambdaSpan("req-1");
        var context = response.GetProperty("context");
        Assert.Equal("value", context.GetProperty("stringKey").GetString());
        var injected = Decode(context.GetProperty("_datadog").GetString()!);
        Assert.Equal(DatadogIds.Lower64(lambda.TraceId).ToString(System.Globalization.CultureInfo.InvariantCulture), injected.GetProperty("x-datadog-trace-id").GetString());
        Assert.Equal(DatadogIds.ToUInt64(lambda.SpanId).ToString(System.Globalization.CultureInfo.InvariantCulture), injected.GetProperty("x-datadog-parent-id").GetString());
        var finish = injected.GetProperty("x-datadog-parent-span-finish-time").GetInt64();
        Assert.Equal((lambda.StartTimeUtc + lambda.Duration - DateTime.UnixEpoch).Ticks * 100, finish);
        Assert.False(injected.TryGetProperty("x-datadog-authorizing-requestid", out _));
    }

    [Fact]
    public async Task PolicyReturnedAfterTheImpendingTimeoutStillGetsTheContext()
    {
        // Python's wrapper injects in its finally block, after the crash flush ended the spans.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var tracing = new TestTracing(configure: o => o.TimeProvider = clock);
        var context = new DatadogLambdaContext { AwsRequestId = "late", Deadline = clock.GetUtcNow() + TimeSpan.FromSeconds(1) };
        var release = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var invocation = DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(TokenEvent), context, (_, _) => release.Task);
        clock.Advance(TimeSpan.FromMilliseconds(901));
        var lambda = tracing.LambdaSpan("late");
        Assert.Equal("Impending Timeout", lambda.GetTagItem("error.type"));

        release.SetResult(Policy);
        var response = await invocation;
        var injected = Decode(JsonDocument.Parse(response).RootElement.GetProperty("context").GetProperty("_datadog").GetString()!);
        Assert.Equal(DatadogIds.ToUInt64(lambda.SpanId).ToString(System.Globalization.CultureInfo.InvariantCulture), injected.GetProperty("x-datadog-parent-id").GetString());
        Assert.Equal((lambda.StartTimeUtc + lambda.Duration - DateTime.UnixEpoch).Ticks * 100, injected.GetProperty("x-datadog-parent-span-finish-time").GetInt64());
    }

    [Fact]
    public async Task PolicyReturnedWhileTheWatchEndsTheSpansGetsTheContext()
    {
        // The handler returns at the moment the watch ends aws.lambda (inline, in its OnEnd): the watch has not finished
        // yet. The wrapper waits for it, so the policy gets the context with the finish time, as after the timeout.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var release = new TaskCompletionSource<string>();
        using var tracing = new TestTracing(configure: o => o.TimeProvider = clock, processor: new ReleaseOnInvocationSpanEnd(() => release.SetResult(Policy)));
        var context = new DatadogLambdaContext { AwsRequestId = "racing", Deadline = clock.GetUtcNow() + TimeSpan.FromSeconds(1) };
        var invocation = DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(TokenEvent), context, async (_, _) => await release.Task.ConfigureAwait(false));

        // Off the test's synchronization context, as a timer's thread is: there the handler's continuation runs inline.
        await Task.Run(() => clock.Advance(TimeSpan.FromMilliseconds(901)));

        var response = await invocation.WaitAsync(TimeSpan.FromSeconds(30));
        var lambda = tracing.LambdaSpan("racing");
        Assert.Equal("Impending Timeout", lambda.GetTagItem("error.type"));
        var injected = Decode(JsonDocument.Parse(response).RootElement.GetProperty("context").GetProperty("_datadog").GetString()!);
        Assert.Equal(DatadogIds.ToUInt64(lambda.SpanId).ToString(System.Globalization.CultureInfo.InvariantCulture), injected.GetProperty("x-datadog-parent-id").GetString());
    }

    [Fact]
    public async Task RequestAuthorizerNamesTheRequestAndTheInferredSpan()
    {
        using var tracing = new TestTracing();
        var evt = """{"type":"REQUEST","methodArn":"arn:aws:execute-api:us-east-1:1:a/dev/GET/","resource":"/","path":"/","httpMethod":"GET","headers":{},"requestContext":{"stage":"dev","httpMethod":"GET","requestId":"req-77","domainName":"a.execute-api.us-east-1.amazonaws.com","apiId":"a"}}""";
        var response = await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(evt), TestTracing.Context(), (_, _) => Task.FromResult(Policy));
        var injected = Decode(JsonDocument.Parse(response).RootElement.GetProperty("context").GetProperty("_datadog").GetString()!);
        var api = tracing.Exported.Single(a => a.DisplayName == "aws.apigateway");
        Assert.Equal(DatadogIds.ToUInt64(api.SpanId).ToString(System.Globalization.CultureInfo.InvariantCulture), injected.GetProperty("x-datadog-parent-id").GetString());
        Assert.Equal("req-77", injected.GetProperty("x-datadog-authorizing-requestid").GetString());
    }

    [Fact]
    public async Task TypedPolicyIsUpdatedThroughTheResolver()
    {
        using var tracing = new TestTracing(configure: o => o.JsonTypeInfoResolver = TestJsonContext.Default);
        var policy = new AuthorizerPolicy { PrincipalId = "user", PolicyDocument = new() { ["Version"] = "2012-10-17" } };
        var response = await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(TokenEvent), TestTracing.Context(), (_, _) => Task.FromResult(policy));
        Assert.True(Decode((string)response.Context!["_datadog"]).TryGetProperty("x-datadog-trace-id", out _));

        // A copy: the handler's object is as it wrote it, the copy has every other member.
        Assert.NotSame(policy, response);
        Assert.Null(policy.Context);
        Assert.Equal("user", response.PrincipalId);
        Assert.Same(policy.PolicyDocument, response.PolicyDocument);
    }

    [Fact]
    public async Task AReusedTypedPolicyGetsEachInvocationsOwnContext()
    {
        using var tracing = new TestTracing(configure: o => o.JsonTypeInfoResolver = TestJsonContext.Default);
        var cached = new AuthorizerPolicy { PrincipalId = "user", PolicyDocument = new() { ["Version"] = "2012-10-17" }, Context = new() { ["tier"] = "gold" } };
        var first = await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(TokenEvent), TestTracing.Context("first"), (_, _) => Task.FromResult(cached));
        var second = await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(TokenEvent), TestTracing.Context("second"), (_, _) => Task.FromResult(cached));

        var firstTrace = Decode((string)first.Context!["_datadog"]).GetProperty("x-datadog-trace-id").GetString();
        var secondTrace = Decode((string)second.Context!["_datadog"]).GetProperty("x-datadog-trace-id").GetString();
        Assert.NotEqual(firstTrace, secondTrace);
        Assert.Equal("gold", second.Context["tier"]);
        Assert.False(cached.Context.ContainsKey("_datadog"));
        Assert.Equal(["tier"], cached.Context.Keys);
    }

    [Fact]
    public async Task ATypedPolicyThatCannotBeCopiedGetsDatadogInItsOwnContext()
    {
        using var tracing = new TestTracing(configure: o => o.JsonTypeInfoResolver = TestJsonContext.Default);
        var withContext = new FixedAuthorizerPolicy { PrincipalId = "user", Context = new() { ["tier"] = "gold" } };
        var withoutContext = new FixedAuthorizerPolicy { PrincipalId = "user" };
        Assert.Same(withContext, await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(TokenEvent), TestTracing.Context("with"), (_, _) => Task.FromResult(withContext)));
        Assert.Same(withoutContext, await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(TokenEvent), TestTracing.Context("without"), (_, _) => Task.FromResult(withoutContext)));
        Assert.True(Decode((string)withContext.Context["_datadog"]).TryGetProperty("x-datadog-trace-id", out _));
        Assert.Equal("gold", withContext.Context["tier"]);
        Assert.True(Decode((string)withoutContext.Context!["_datadog"]).TryGetProperty("x-datadog-trace-id", out _));
    }

    [Fact]
    public async Task TheFunctionBehindTheAuthorizerContinuesItsTrace()
    {
        using var tracing = new TestTracing();
        var response = await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(TokenEvent), TestTracing.Context("auth"), (_, _) => Task.FromResult(Policy));
        var encoded = JsonDocument.Parse(response).RootElement.GetProperty("context").GetProperty("_datadog").GetString();
        var authorizerSpan = tracing.LambdaSpan("auth");

        var requestTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var apiEvent = $$$"""{"resource":"/","path":"/","httpMethod":"GET","headers":{},"requestContext":{"authorizer":{"_datadog":"{{{encoded}}}","principalId":"user","integrationLatency":12},"stage":"dev","httpMethod":"GET","requestTimeEpoch":{{{requestTime}}},"requestId":"r","domainName":"a.execute-api.us-east-1.amazonaws.com","apiId":"a"}}""";
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(apiEvent), TestTracing.Context("api"), (_, _) => Task.FromResult(0));
        var authorizer = tracing.Exported.Single(a => a.DisplayName == "aws.apigateway.authorizer");
        Assert.Equal(authorizerSpan.TraceId, authorizer.TraceId);
        Assert.Equal(authorizerSpan.SpanId, authorizer.ParentSpanId);
        Assert.Equal(authorizerSpan.TraceId, tracing.LambdaSpan("api").TraceId);
    }

    [Fact]
    public async Task NonPoliciesAndDisabledEncodingPassThrough()
    {
        using var tracing = new TestTracing();
        const string NotAPolicy = """{"principalId":"","policyDocument":{}}""";
        Assert.Equal(NotAPolicy, await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(TokenEvent), TestTracing.Context("a"), (_, _) => Task.FromResult(NotAPolicy)));

        using var disabled = new TestTracing(new() { ["DD_ENCODE_AUTHORIZER_CONTEXT"] = "false" });
        Assert.Equal(Policy, await DatadogLambda.TraceAsync(disabled.Provider, EventSamples.Stream(TokenEvent), TestTracing.Context("b"), (_, _) => Task.FromResult(Policy)));
    }

    private const string RouteEvent = """{"version":"2.0","type":"REQUEST","routeArn":"arn:aws:execute-api:us-east-1:123456789012:abcdef123/test/GET/request","identitySource":["x"],"routeKey":"GET /request","rawPath":"/request","headers":{},"requestContext":{"requestId":"r-2","domainName":"abcdef123.execute-api.us-east-1.amazonaws.com","apiId":"abcdef123","http":{"method":"GET","path":"/request"},"stage":"$default","timeEpoch":1}}""";

    /// <summary>Responses that are not exactly the policy shape API Gateway accepts for a REST authorizer: returned byte for byte.</summary>
    public static TheoryData<string> NotAcceptedPolicies => new()
    {
        """{"principalId":"u","policyDocument":{"Version":"1"},"context":"a string"}""",
        """{"principalId":"u","policyDocument":{"Version":"1"},"context":["an","array"]}""",
        """{"principalId":"u","policyDocument":{"Version":"1"},"context":null}""",
        """{"principalId":"u","policyDocument":{"Version":"1"},"context":42}""",
        """{"principalId":"u","policyDocument":{"Version":"1"},"context":{"nested":{"a":1}}}""",
        """{"principalId":"u","policyDocument":{"Version":"1"},"context":{"list":[1]}}""",
        """{"principalId":"u","policyDocument":{"Version":"1"},"context":{"empty":null}}""",
        """{"principalId":"u","policyDocument":{"Version":"1"},"context":{"_datadog":"the handler's own"}}""",
        """{"principalId":"u","policyDocument":{"Version":"1"},"context":{"\u005fdatadog":"escaped, still its own"}}""",
        """{"principalId":"u","policyDocument":{"Version":"1"},"context":{"a":"1"},"context":{"b":"2"}}""",
        """{"principalId":"u","principalId":"v","policyDocument":{"Version":"1"}}""",
        """{"principalId":1,"policyDocument":{"Version":"1"}}""",
        """{"principalId":"","policyDocument":{"Version":"1"}}""",
        """{"policyDocument":{"Version":"1"}}""",
        """{"principalId":"u","policyDocument":"a string"}""",
        """{"principalId":"u","policyDocument":[{"Version":"1"}]}""",
        """{"principalId":"u","policyDocument":{}}""",
        """{"principalId":"u"}""",
        """[{"principalId":"u","policyDocument":{"Version":"1"}}]""",
        """{"principalId":"u","policyDocument":{"Version":"1"}} trailing""",
        """{"principalId":"u","policyDocument":{"Version":"1"}}{}""",
        """{"principalId":"u","policyDocument":{"Version":"1"}""",
        """/* comment */ {"principalId":"u","policyDocument":{"Version":"1"}}""",
        "\uFEFF{\"principalId\":\"u\",\"policyDocument\":{\"Version\":\"1\"}}",
        "not json",
        "",
    };

    [Theory]
    [MemberData(nameof(NotAcceptedPolicies))]
    public async Task ResponsesOfAnyOtherShapeAreReturnedAsWritten(string response)
    {
        using var tracing = new TestTracing();
        Assert.Equal(response, await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(TokenEvent), TestTracing.Context(), (_, _) => Task.FromResult(response)));
        var element = await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(TokenEvent), TestTracing.Context("element"), (_, _) => Task.FromResult(JsonValue(response)));
        Assert.Equal(JsonValue(response).GetRawText(), element.GetRawText());
    }

    [Fact]
    public async Task TheMemberIsSplicedIntoTheResponsesOwnText()
    {
        using var tracing = new TestTracing();
        const string Response = """{ "principalId" : "u\u00e9", "policyDocument":{"Version":"2012-10-17","Statement":[]}, "context" : { "k" : "é<>+", "n": 1.50, "b": false } , "usageIdentifierKey":"key" }""";
        var result = await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(TokenEvent), TestTracing.Context(), (_, _) => Task.FromResult(Response));

        var encoded = JsonDocument.Parse(result).RootElement.GetProperty("context").GetProperty("_datadog").GetString()!;
        Assert.Equal(Response.Replace("\"b\": false }", "\"b\": false ,\"_datadog\":\"" + encoded + "\"}", StringComparison.Ordinal), result);
        Assert.True(Decode(encoded).TryGetProperty("x-datadog-trace-id", out _));
    }

    [Fact]
    public async Task AResponseWithoutContextGetsOne()
    {
        using var tracing = new TestTracing();
        const string Response = """{"principalId":"u","policyDocument":{"Version":"2012-10-17"}}""";
        var result = await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(TokenEvent), TestTracing.Context(), (_, _) => Task.FromResult(Response));
        var encoded = JsonDocument.Parse(result).RootElement.GetProperty("context").GetProperty("_datadog").GetString()!;
        Assert.Equal(Response[..^1] + ",\"context\":{\"_datadog\":\"" + encoded + "\"}}", result);

        const string Empty = """{"principalId":"u","policyDocument":{"Version":"2012-10-17"},"context":{}}""";
        var fromEmpty = await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(TokenEvent), TestTracing.Context("empty"), (_, _) => Task.FromResult(new MemoryStream(Encoding.UTF8.GetBytes(Empty))));
        var text = Encoding.UTF8.GetString(fromEmpty.ToArray());
        Assert.StartsWith(Empty[..^2] + "\"_datadog\":\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpApiAuthorizersMayKeepMapsAndArraysInTheirContext()
    {
        using var tracing = new TestTracing();
        const string Response = """{"principalId":"u","policyDocument":{"Version":"2012-10-17"},"context":{"arrayKey":["v1","v2"],"mapKey":{"v1":"v2"}}}""";
        var routed = await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(RouteEvent), TestTracing.Context("route"), (_, _) => Task.FromResult(Response));
        Assert.True(JsonDocument.Parse(routed).RootElement.GetProperty("context").TryGetProperty("_datadog", out _));
        Assert.Equal("v2", JsonDocument.Parse(routed).RootElement.GetProperty("context").GetProperty("mapKey").GetProperty("v1").GetString());

        // The same response to a REST authorizer is one API Gateway rejects: nothing is added to it.
        Assert.Equal(Response, await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(TokenEvent), TestTracing.Context("method"), (_, _) => Task.FromResult(Response)));
    }

    [Fact]
    public async Task TypedPoliciesKeepTheHandlersValues()
    {
        using var tracing = new TestTracing(configure: o => o.JsonTypeInfoResolver = TestJsonContext.Default);
        var own = new AuthorizerPolicy { PrincipalId = "user", PolicyDocument = new() { ["Version"] = "1" }, Context = new() { ["_datadog"] = "mine" } };
        var nested = new AuthorizerPolicy { PrincipalId = "user", PolicyDocument = new() { ["Version"] = "1" }, Context = new() { ["claims"] = new Dictionary<string, string> { ["a"] = "b" } } };
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(TokenEvent), TestTracing.Context("own"), (_, _) => Task.FromResult(own));
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(TokenEvent), TestTracing.Context("nested"), (_, _) => Task.FromResult(nested));
        Assert.Equal("mine", own.Context!["_datadog"]);
        Assert.False(nested.Context!.ContainsKey("_datadog"));
    }

    private static JsonElement JsonValue(string text)
    {
        try
        {
            return JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStringValue(text);
            }

            return JsonDocument.Parse(buffer.WrittenMemory).RootElement.Clone();
        }
    }

    private sealed class ReleaseOnInvocationSpanEnd(Action release) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            if (data.GetTagItem("operation.name") as string == "aws.lambda")
            {
                release();
            }
        }
    }
}
