// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Datadog.Otel.Lambda.Tests.TestSupport;

namespace Datadog.Otel.Lambda.Tests.Triggers;

/// <summary>
/// Where the differential test found this library apart from Datadog's own (issue 15): the invocation's request id on
/// the HTTP inferred spans, <c>dd_resource_key</c> only on API Gateway spans and in the API's own ARN, an authorizer span
/// that describes the authorizer, not the function's response; and, found by the same comparison, tags neither library
/// writes, the 502 of a failed HTTP invocation, <c>_dd.parent_id</c> on the span that continues the upstream context.
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

    private static async Task<(Activity Lambda, List<Activity> All)> InvokeAll(string json, Func<Task<object>>? handler = null)
    {
        using var tracing = new TestTracing();
        try
        {
            await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(json), TestTracing.Context("invocation-req", Arn), async (_, _) => handler is null ? new object() : await handler());
        }
        catch (InvalidOperationException)
        {
            // The handler's own exception, passed through unchanged.
        }

        return (tracing.LambdaSpan("invocation-req"), tracing.Exported.ToList());
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

    [Theory]
    [InlineData("api-gateway-rest.json")]
    [InlineData("http-api.json")]
    [InlineData("function-url.json")]
    [InlineData("alb.json")]
    public async Task AFailedHttpInvocationAnswers502(string sample)
    {
        // Both Datadog libraries tag 502 (API Gateway's answer to a failed integration) when the handler throws.
        var (lambda, all) = await InvokeAll(EventSamples.LoadShifted(sample, Now), () => throw new InvalidOperationException("boom"));
        Assert.Equal("502", lambda.GetTagItem("http.status_code"));
        Assert.Equal(ActivityStatusCode.Error, lambda.Status);
        Assert.Equal("boom", lambda.StatusDescription);
        var inferred = Assert.Single(all, a => a.GetTagItem("_inferred_span.tag_source") as string == "self");
        Assert.Equal("502", inferred.GetTagItem("http.status_code"));
    }

    [Fact]
    public async Task AFailedInvocationOfAnotherTriggerHasNoStatus()
    {
        var (lambda, _) = await InvokeAll(EventSamples.LoadShifted("sqs.json", Now), () => throw new InvalidOperationException("boom"));
        Assert.Null(lambda.GetTagItem("http.status_code"));
    }

    [Theory]
    [InlineData("api-gateway-rest.json", null)]
    [InlineData("http-api.json", null)]
    [InlineData("websocket.json", "aws.apigateway.websocket")]
    [InlineData("function-url.json", "aws.lambda.url")]
    [InlineData("alb.json", "aws.alb")]
    [InlineData("sqs.json", "aws.sqs")]
    public async Task OperationNameTagIsLeftOffTheRestAndHttpApiSpans(string sample, string? expected)
    {
        var span = Assert.Single(await InvokeSample(sample));
        Assert.Equal(expected, span.GetTagItem("operation_name"));
    }

    [Fact]
    public async Task AuthorizerSpanKeepsItsOperationNameTag()
    {
        var spans = await Invoke(AuthorizedRestEvent());
        Assert.Equal("aws.apigateway.authorizer", spans.Single(s => s.DisplayName == "aws.apigateway.authorizer").GetTagItem("operation_name"));
    }

    [Theory]
    [InlineData("api-gateway-rest.json", false)]
    [InlineData("http-api.json", false)]
    [InlineData("function-url.json", false)]
    [InlineData("alb.json", true)]
    public async Task UserAgentIsOnTheInvocationSpanForAlbEventsOnly(string sample, bool expected)
    {
        var (lambda, _) = await InvokeAll(EventSamples.LoadShifted(sample, Now));
        Assert.Equal(expected, lambda.GetTagItem("http.useragent") is not null);
    }

    [Fact]
    public async Task FunctionUrlSpanCarriesNeitherUserAgentNorSourceIp()
    {
        var span = Assert.Single(await InvokeSample("function-url.json"));
        Assert.Null(span.GetTagItem("http.useragent"));
        Assert.Null(span.GetTagItem("http.source_ip"));
    }

    [Fact]
    public async Task AFirstMultiValueTracestateTooLongToJoinIsReadAlone()
    {
        // The event's header map, as the getter carriers: a first value past the join's bound is read alone, keeping its dd member.
        var vendors = string.Join(',', Enumerable.Range(0, 600).Select(i => $"v{i}=x{i}"));
        var json = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["resource"] = "/",
            ["path"] = "/",
            ["httpMethod"] = "GET",
            ["headers"] = new Dictionary<string, string>(),
            ["multiValueHeaders"] = new Dictionary<string, string[]>
            {
                ["traceparent"] = ["00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"],
                ["tracestate"] = ["dd=s:2;o:rum," + vendors, "other=1"],
            },
            ["requestContext"] = new Dictionary<string, object>
            {
                ["stage"] = "prod",
                ["httpMethod"] = "GET",
                ["requestId"] = "r-1",
                ["apiId"] = "abc123",
                ["domainName"] = "abc123.execute-api.us-east-1.amazonaws.com",
                ["requestTimeEpoch"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            },
        });

        var (lambda, _) = await InvokeAll(json);

        Assert.Equal("0af7651916cd43dd8448eb211c80319c", lambda.TraceId.ToHexString());
        Assert.Contains("o:rum", lambda.TraceStateString ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheServiceReadFromTheEventLosesItsSurroundingWhiteSpace()
    {
        // Python strips the name it reads from the event (determine_service_name); the resource keeps the event's text.
        var json = EventSamples.LoadShifted("eventbridge.json", Now).Replace("\"source\":\"com.shop.orders\"", "\"source\":\" com.shop.orders\\t\"", StringComparison.Ordinal);
        Assert.Contains("\" com.shop.orders\\t\"", json, StringComparison.Ordinal);
        var span = Assert.Single(await Invoke(json));
        Assert.Equal("com.shop.orders", span.GetTagItem("datadog.service"));
        Assert.Equal(" com.shop.orders\t", span.GetTagItem("resource.name"));
    }

    [Fact]
    public async Task SqsSpanCarriesNeitherMessageIdNorRetryCount()
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(EventSamples.LoadShifted("sqs.json", Now))!;
        json["Records"]![0]!["attributes"]!["ApproximateReceiveCount"] = "3";
        var span = Assert.Single(await Invoke(json.ToJsonString()));
        Assert.Null(span.GetTagItem("message_id"));
        Assert.Null(span.GetTagItem("retry_count"));
    }

    [Fact]
    public async Task AlbSpanCarriesTheInvocationsRequestId()
    {
        var span = Assert.Single(await InvokeSample("alb.json"));
        Assert.Equal("invocation-req", span.GetTagItem("request_id"));
    }

    [Fact]
    public async Task DatadogParentIdIsOnTheSpanThatContinuesTheUpstreamContext()
    {
        // W3C headers with a dd tracestate member naming the last Datadog parent: _dd.parent_id records it, on the span
        // whose parent is the upstream context (the inferred span), as the tracers write trace-level tags.
        var json = System.Text.Json.Nodes.JsonNode.Parse(EventSamples.LoadShifted("http-api.json", Now))!;
        json["headers"]!["traceparent"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        json["headers"]!["tracestate"] = "dd=s:1;p:00f067aa0ba902b7";
        var (lambda, all) = await InvokeAll(json.ToJsonString());
        var api = all.Single(a => a.DisplayName == "aws.httpapi");
        Assert.Equal("00f067aa0ba902b7", api.GetTagItem("_dd.parent_id"));
        Assert.Null(lambda.GetTagItem("_dd.parent_id"));
        Assert.Equal("00f067aa0ba902b7", api.ParentSpanId.ToHexString());
    }

    [Fact]
    public async Task DatadogParentIdIsOnTheInvocationSpanWithoutInferredSpans()
    {
        const string Json = """{"headers":{"traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01","tracestate":"dd=s:1;p:00f067aa0ba902b7"}}""";
        var (lambda, _) = await InvokeAll(Json);
        Assert.Equal("00f067aa0ba902b7", lambda.GetTagItem("_dd.parent_id"));
    }

    [Fact]
    public async Task PropagationErrorIsOnTheSpanThatContinuesTheUpstreamContext()
    {
        // dd-trace-py keeps the error in the extracted context's meta, and the first span of the chunk (the inferred span
        // here) gets it; a present but malformed _dd.p.tid is named with its value.
        var json = System.Text.Json.Nodes.JsonNode.Parse(EventSamples.LoadShifted("http-api.json", Now))!;
        json["headers"]!["x-datadog-trace-id"] = "5";
        json["headers"]!["x-datadog-parent-id"] = "6";
        json["headers"]!["x-datadog-tags"] = "_dd.p.tid=NOTHEX,_dd.p.dm=-4";
        var (lambda, all) = await InvokeAll(json.ToJsonString());
        var api = all.Single(a => a.DisplayName == "aws.httpapi");
        Assert.Equal("malformed_tid NOTHEX", api.GetTagItem("_dd.propagation_error"));
        Assert.Null(lambda.GetTagItem("_dd.propagation_error"));
        Assert.Equal("00000000000000000000000000000005", api.TraceId.ToHexString());
    }

    [Fact]
    public async Task PropagationErrorIsOnTheInvocationSpanWithoutInferredSpans()
    {
        const string Json = """{"headers":{"x-datadog-trace-id":"5","x-datadog-parent-id":"6","x-datadog-tags":"_dd.p.dm=-4,bad"}}""";
        var (lambda, _) = await InvokeAll(Json);
        Assert.Equal("decoding_error", lambda.GetTagItem("_dd.propagation_error"));
    }

    [Theory]
    [InlineData("""{"_datadog":{"Execution":{"Id":"arn:aws:states:us-east-1:123456789012:execution:Flow:9f3c","RedriveCount":0},"StateMachine":{"Id":"arn:aws:states:us-east-1:123456789012:stateMachine:Flow","Name":"Flow"},"State":{"Name":"Charge","EnteredTime":"2026-11-25T10:00:00.000Z","RetryCount":0},"x-datadog-trace-id":"5821803790426892636","x-datadog-tags":"_dd.p.dm=-0,_dd.p.tid=672a7cb100000000","serverless-version":"v1"}}""", "672a7cb10000000050cb33b3c06ae95c")]
    [InlineData("""{"_datadog":{"Execution":{"Id":"arn:aws:states:us-east-1:123456789012:execution:Flow:9f3c"},"StateMachine":{"Id":"arn:aws:states:us-east-1:123456789012:stateMachine:Flow"},"State":{"Name":"Charge","EnteredTime":"2026-11-25T10:00:00.000Z"},"RootExecutionId":"arn:aws:states:us-east-1:123456789012:execution:Flow:9f3c","serverless-version":"v1"}}""", null)]
    [InlineData("""{"Execution":{"Id":"arn:aws:states:us-east-1:123456789012:execution:Flow:9f3c","RedriveCount":1},"StateMachine":{"Id":"arn:aws:states:us-east-1:123456789012:stateMachine:Flow"},"State":{"Name":"Charge","EnteredTime":"2026-11-25T10:00:00.000Z","RetryCount":2}}""", null)]
    public async Task StepFunctionsTriggerTagsOnlyTheStateMachine(string json, string? traceId)
    {
        // Python's extract_trigger_tags gives a states event function_trigger.event_source and .event_source_arn and
        // nothing else; the execution's fields (which datadog-lambda-js also tags) only make the parent context.
        var (lambda, _) = await InvokeAll(json);
        Assert.Equal("states", lambda.GetTagItem("function_trigger.event_source"));
        Assert.Equal("arn:aws:states:us-east-1:123456789012:stateMachine:Flow", lambda.GetTagItem("function_trigger.event_source_arn"));
        foreach (var name in new[] { "execution_id", "state_name", "state_entered_time", "retry_count", "redrive_count", "root_execution_id", "serverless_version", "trace_id", "dd_p_tid" })
        {
            Assert.Null(lambda.GetTagItem(name));
        }

        Assert.True(lambda.HasRemoteParent);
        if (traceId is not null)
        {
            Assert.Equal(traceId, lambda.TraceId.ToHexString());
        }
    }

    [Fact]
    public async Task StepFunctionsUpstreamTidWithoutLeadingZerosIsTheUpperHalf()
    {
        // Python's own Step Functions roots write _dd.p.tid as hex(…)[2:] (15 digits here); Python's Lambda layer takes
        // it as it is, and the upper half of the trace id is that number.
        const string Json = """{"_datadog":{"Execution":{"Id":"arn:aws:states:us-east-1:1:execution:sm:x"},"State":{"Name":"s","EnteredTime":"2025-03-13T15:17:34.008Z"},"StateMachine":{},"serverless-version":"v1","x-datadog-trace-id":"3401561763239692811","x-datadog-tags":"_dd.p.tid=a49ff3b7fb47b0b"}}""";
        var (lambda, _) = await InvokeAll(Json);
        Assert.Equal("0a49ff3b7fb47b0b2f34c666c3740a0b", lambda.TraceId.ToHexString());
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
