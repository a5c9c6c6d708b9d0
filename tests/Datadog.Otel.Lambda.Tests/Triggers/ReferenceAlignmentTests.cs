// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Datadog.Otel.Lambda.Tests.TestSupport;

namespace Datadog.Otel.Lambda.Tests.Triggers;

/// <summary>
/// Where the differential test found this library apart from Datadog's own (issue 15): the invocation's request id on
/// the HTTP inferred spans, <c>dd_resource_key</c> only on API Gateway spans and in the API's own ARN, and an authorizer
/// span that describes the authorizer, not the function's response.
/// </summary>
[Collection("Tracing")]
public class ReferenceAlignmentTests
{
    private const string Arn = "arn:aws:lambda:us-east-1:123456789012:function:My-Function";

    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    private static async Task<List<Activity>> Invoke(string json, Func<Task<object>>? handler = null, string arn = Arn)
    {
        using var tracing = new TestTracing();
        try
        {
            await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(json), TestTracing.Context("invocation-req", arn), async (_, _) => handler is null ? new object() : await handler());
        }
        catch (InvalidOperationException)
        {
            // The handler's own exception, passed through unchanged.
        }

        return tracing.Exported.Where(a => a.GetTagItem("_inferred_span.tag_source") as string == "self").ToList();
    }

    private static Task<List<Activity>> InvokeSample(string sample, Func<Task<object>>? handler = null, string arn = Arn) =>
        Invoke(EventSamples.LoadShifted(sample, Now), handler, arn);

    [Theory]
    [InlineData("api-gateway-rest.json", "aws.apigateway")]
    [InlineData("http-api.json", "aws.httpapi")]
    [InlineData("websocket.json", "aws.apigateway.websocket")]
    [InlineData("function-url.json", "aws.lambda.url")]
    public async Task HttpInferredSpansCarryTheInvocationsRequestId(string sample, string operation)
    {
        // Both Datadog libraries tag context.awsRequestId, not API Gateway's requestContext.requestId.
        var span = Assert.Single(await InvokeSample(sample));
        Assert.Equal(operation, span.DisplayName);
        Assert.Equal("invocation-req", span.GetTagItem("request_id"));
    }

    [Fact]
    public async Task AuthorizerSpanCarriesTheInvocationsRequestId()
    {
        var spans = await Invoke(AuthorizedRestEvent());
        Assert.Equal("invocation-req", spans.Single(s => s.DisplayName == "aws.apigateway.authorizer").GetTagItem("request_id"));
        Assert.Equal("invocation-req", spans.Single(s => s.DisplayName == "aws.apigateway").GetTagItem("request_id"));
    }

    [Theory]
    [InlineData("api-gateway-rest.json", "arn:aws:apigateway:us-east-1::/restapis/1234567890")]
    [InlineData("websocket.json", "arn:aws:apigateway:us-east-1::/restapis/p62c47itsb")]
    [InlineData("http-api.json", "arn:aws:apigateway:us-east-1::/apis/x02yirxc7a")]
    public async Task ApiGatewaySpansCarryTheApisResourceKeyWithoutTheStage(string sample, string expected)
    {
        var span = Assert.Single(await InvokeSample(sample));
        Assert.Equal(expected, span.GetTagItem("dd_resource_key"));
    }

    [Fact]
    public async Task ResourceKeyPartitionIsAwsAsInDatadogsNodeLibrary()
    {
        // datadog-lambda-js writes arn:aws: whatever the function's partition.
        var span = Assert.Single(await InvokeSample("api-gateway-rest.json", arn: "arn:aws-cn:lambda:cn-north-1:123456789012:function:My-Function"));
        Assert.Equal("arn:aws:apigateway:cn-north-1::/restapis/1234567890", span.GetTagItem("dd_resource_key"));
    }

    [Theory]
    [InlineData("sqs.json")]
    [InlineData("sns.json")]
    [InlineData("sns-sqs.json")]
    [InlineData("eventbridge-sqs.json")]
    [InlineData("kinesis.json")]
    [InlineData("dynamodb.json")]
    [InlineData("s3.json")]
    [InlineData("function-url.json")]
    [InlineData("alb.json")]
    public async Task OtherInferredSpansCarryNoResourceKey(string sample)
    {
        var spans = await InvokeSample(sample);
        Assert.NotEmpty(spans);
        Assert.All(spans, s => Assert.Null(s.GetTagItem("dd_resource_key")));
    }

    [Fact]
    public async Task AuthorizerSpanCarriesNoResourceKey()
    {
        var spans = await Invoke(AuthorizedRestEvent());
        Assert.Null(spans.Single(s => s.DisplayName == "aws.apigateway.authorizer").GetTagItem("dd_resource_key"));
        Assert.Equal("arn:aws:apigateway:us-east-1::/restapis/a", spans.Single(s => s.DisplayName == "aws.apigateway").GetTagItem("dd_resource_key"));
    }

    [Fact]
    public async Task AuthorizerSpanDoesNotTakeTheFunctionsResponse()
    {
        var response = JsonDocument.Parse("{\"statusCode\":503}").RootElement;
        var spans = await Invoke(AuthorizedRestEvent(), () => Task.FromResult<object>(response));
        var authorizer = spans.Single(s => s.DisplayName == "aws.apigateway.authorizer");
        var api = spans.Single(s => s.DisplayName == "aws.apigateway");
        Assert.Null(authorizer.GetTagItem("http.status_code"));
        Assert.Null(authorizer.GetTagItem("http.route"));
        Assert.Equal("503", api.GetTagItem("http.status_code"));
        Assert.Equal("/hello", api.GetTagItem("http.route"));
    }

    [Fact]
    public async Task AuthorizerSpanIsNotMarkedWithTheFunctionsError()
    {
        var spans = await Invoke(AuthorizedRestEvent(), () => throw new InvalidOperationException("boom"));
        var authorizer = spans.Single(s => s.DisplayName == "aws.apigateway.authorizer");
        var api = spans.Single(s => s.DisplayName == "aws.apigateway");
        Assert.Equal(ActivityStatusCode.Unset, authorizer.Status);
        Assert.Equal(ActivityStatusCode.Error, api.Status);
    }

    /// <summary>A REST request whose Lambda authorizer ran (positive integration latency) and left its trace context.</summary>
    private static string AuthorizedRestEvent()
    {
        var finish = Now.AddMilliseconds(-900);
        var injected = Convert.ToBase64String(Encoding.UTF8.GetBytes(
            $$$"""{"x-datadog-trace-id":"13478705995797221209","x-datadog-parent-id":"8471288263384216896","x-datadog-sampling-priority":"1","x-datadog-parent-span-finish-time":{{{finish.ToUnixTimeMilliseconds() * 1_000_000}}},"x-datadog-authorizing-requestid":"req-abc"}"""));
        var requestTime = Now.AddMilliseconds(-1000).ToUnixTimeMilliseconds();
        return $$$"""{"resource":"/hello","path":"/hello","httpMethod":"GET","headers":{},"requestContext":{"authorizer":{"_datadog":"{{{injected}}}","principalId":"u","integrationLatency":300},"resourcePath":"/hello","httpMethod":"GET","path":"/dev/hello","stage":"dev","requestTimeEpoch":{{{requestTime}}},"requestId":"req-abc","domainName":"a.execute-api.eu-west-1.amazonaws.com","apiId":"a"}}""";
    }
}
