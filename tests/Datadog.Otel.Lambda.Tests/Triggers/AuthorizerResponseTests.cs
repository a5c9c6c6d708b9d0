// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using System.Text.Json;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Tests.TestSupport;

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
        Assert.Same(policy, response);
        Assert.True(Decode((string)response.Context!["_datadog"]).TryGetProperty("x-datadog-trace-id", out _));
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
}
