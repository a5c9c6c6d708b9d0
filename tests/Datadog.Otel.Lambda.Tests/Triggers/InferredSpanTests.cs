// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Globalization;
using Datadog.Otel.Lambda.Tests.TestSupport;

namespace Datadog.Otel.Lambda.Tests.Triggers;

/// <summary>Inferred spans through the wrapper: datadog-lambda-behaviour.md §2 (names, services, resources, types, times, end rules, parentage, tags).</summary>
[Collection("Tracing")]
public class InferredSpanTests
{
    private const string Arn = "arn:aws:lambda:us-east-1:123456789012:function:My-Function";

    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    private static async Task<(Activity Lambda, List<Activity> Inferred)> Invoke(string sample, Dictionary<string, string?>? env = null, object? result = null)
    {
        using var tracing = new TestTracing(env);
        var json = EventSamples.LoadShifted(sample, Now);
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(json), TestTracing.Context("req", Arn), (_, _) => Task.FromResult(result ?? new object()));
        var lambda = tracing.LambdaSpan("req");
        var inferred = tracing.Exported.Where(a => a.TraceId == lambda.TraceId && a.GetTagItem("_inferred_span.tag_source") as string == "self").ToList();
        return (lambda, inferred);
    }

    private static DateTimeOffset SampleTime(long unixMs) => EventSamples.Shifted(DateTimeOffset.FromUnixTimeMilliseconds(unixMs), Now);

    private static void AssertDatadogView(Activity span, string operation, string service, string resource, string type)
    {
        Assert.Equal(operation, span.GetTagItem("operation.name"));
        Assert.Equal(operation, span.DisplayName);
        Assert.Equal(service, span.GetTagItem("datadog.service"));
        Assert.Equal(resource, span.GetTagItem("resource.name"));
        Assert.Equal(type, span.GetTagItem("span.type"));
        // Python leaves span.kind off the HTTP API and function URL spans (Node.js writes server there too).
        Assert.Equal(operation is "aws.httpapi" or "aws.lambda.url" ? null : "server", span.GetTagItem("span.kind"));
        // Both Datadog libraries leave operation_name off the REST and HTTP API spans.
        Assert.Equal(operation is "aws.apigateway" or "aws.httpapi" ? null : operation, span.GetTagItem("operation_name"));
        Assert.Equal(resource, span.GetTagItem("resource_names"));
    }

    [Theory]
    [InlineData(200, true)]
    [InlineData(365, true)]
    [InlineData(367, false)]
    public async Task AnOldRecordsSpanStartsAtItsArrivalWithinAYear(int daysOld, bool startsAtArrival)
    {
        // A Kinesis stream keeps records up to 365 days, and Python starts the span at the arrival however old it is;
        // past a year (no AWS source keeps an event that long for a function) the span starts with the invocation.
        using var tracing = new TestTracing();
        var arrival = Now - TimeSpan.FromDays(daysOld);
        var json = EventSamples.LoadShifted("kinesis.json", arrival);
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(json), TestTracing.Context("old", Arn), (_, _) => Task.FromResult(new object()));
        var lambda = tracing.LambdaSpan("old");
        var kinesis = Assert.Single(tracing.Exported, a => a.SpanId == lambda.ParentSpanId);

        if (startsAtArrival)
        {
            Assert.Equal(EventSamples.Shifted(DateTimeOffset.FromUnixTimeMilliseconds(1795600799428), arrival).UtcDateTime, kinesis.StartTimeUtc);
        }
        else
        {
            Assert.True(lambda.StartTimeUtc - kinesis.StartTimeUtc < TimeSpan.FromMinutes(1));
        }
    }

    [Fact]
    public async Task SqsSpanIsAsyncAndEndsWhenTheFunctionStarts()
    {
        var (lambda, inferred) = await Invoke("sqs.json");
        var sqs = Assert.Single(inferred);
        AssertDatadogView(sqs, "aws.sqs", "my-queue", "my-queue", "web");
        Assert.Equal(ActivityKind.Consumer, sqs.Kind);
        Assert.Equal("async", sqs.GetTagItem("_inferred_span.synchronicity"));
        Assert.Equal(SampleTime(1795600799500).UtcDateTime, sqs.StartTimeUtc);
        Assert.Equal(lambda.StartTimeUtc, sqs.StartTimeUtc + sqs.Duration);
        Assert.Equal(sqs.SpanId, lambda.ParentSpanId);
        Assert.Equal("my-queue", sqs.GetTagItem("queuename"));
        Assert.Equal("arn:aws:sqs:us-east-1:123456789012:my-queue", sqs.GetTagItem("event_source_arn"));
        Assert.Null(sqs.GetTagItem("dd_resource_key"));
        Assert.Equal("AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a", sqs.GetTagItem("receipt_handle"));
        Assert.Equal("AIDAIENQZJOLO23YVJ4VO", sqs.GetTagItem("sender_id"));
        Assert.Equal("sqs", lambda.GetTagItem("function_trigger.event_source"));
        Assert.Equal("arn:aws:sqs:us-east-1:123456789012:my-queue", lambda.GetTagItem("function_trigger.event_source_arn"));
        Assert.Equal("pubsub", lambda.GetTagItem("faas.trigger"));
    }

    [Fact]
    public async Task SnsInsideSqsGivesTwoChainedSpans()
    {
        var (lambda, inferred) = await Invoke("sns-sqs.json");
        Assert.Equal(2, inferred.Count);
        var sns = inferred.Single(s => s.DisplayName == "aws.sns");
        var sqs = inferred.Single(s => s.DisplayName == "aws.sqs");
        AssertDatadogView(sns, "aws.sns", "orders-topic", "orders-topic", "web");
        AssertDatadogView(sqs, "aws.sqs", "orders-queue", "orders-queue", "web");
        Assert.Equal(sns.SpanId, sqs.ParentSpanId);
        Assert.Equal(sqs.SpanId, lambda.ParentSpanId);
        Assert.Equal(EventSamples.Shifted(DateTimeOffset.Parse("2026-11-25T09:59:59.000Z"), Now).UtcDateTime, sns.StartTimeUtc);
        Assert.Equal(sqs.StartTimeUtc, sns.StartTimeUtc + sns.Duration);
        Assert.Equal(SampleTime(1795600799400).UtcDateTime, sqs.StartTimeUtc);
        Assert.Equal("arn:aws:sns:us-east-1:123456789012:orders-topic", sns.GetTagItem("topic_arn"));
    }

    [Fact]
    public async Task EventBridgeInsideSqsGivesTwoChainedSpans()
    {
        var (lambda, inferred) = await Invoke("eventbridge-sqs.json");
        var eventBridge = inferred.Single(s => s.DisplayName == "aws.eventbridge");
        var sqs = inferred.Single(s => s.DisplayName == "aws.sqs");
        AssertDatadogView(eventBridge, "aws.eventbridge", "com.shop.orders", "com.shop.orders", "web");
        Assert.Equal(eventBridge.SpanId, sqs.ParentSpanId);
        Assert.Equal(sqs.SpanId, lambda.ParentSpanId);
        Assert.Equal(sqs.StartTimeUtc, eventBridge.StartTimeUtc + eventBridge.Duration);
    }

    [Fact]
    public async Task InferredSpansCarryTheInferredSpanMetricButNotTheAuthorizerSpan()
    {
        // Python sets _dd._inferred_span = 1.0 on every span it infers from the event, the SNS span around SQS included.
        var (_, chain) = await Invoke("sns-sqs.json");
        Assert.Equal(2, chain.Count);
        Assert.All(chain, span => Assert.Equal(1.0, span.GetTagItem("_dd._inferred_span")));

        var (_, authorized) = await Invoke("authorizer-request-rest.json");
        Assert.Equal(1.0, authorized.Single(s => s.DisplayName == "aws.apigateway").GetTagItem("_dd._inferred_span"));
        Assert.Null(authorized.Single(s => s.DisplayName == "aws.apigateway.authorizer").GetTagItem("_dd._inferred_span"));
    }

    [Fact]
    public async Task PeerServiceIsOnTheInnermostInferredSpanOnly()
    {
        // Python tags peer.service after the handler on the span aws.lambda is a child of; Node.js on every inferred span.
        var (lambda, inferred) = await Invoke("sns-sqs.json", new() { ["DD_SERVICE"] = "shop" });
        var sqs = inferred.Single(s => s.DisplayName == "aws.sqs");
        Assert.Equal(sqs.SpanId, lambda.ParentSpanId);
        Assert.Equal("shop", sqs.GetTagItem("peer.service"));
        Assert.Null(inferred.Single(s => s.DisplayName == "aws.sns").GetTagItem("peer.service"));
    }

    [Fact]
    public async Task SnsSpan()
    {
        var (lambda, inferred) = await Invoke("sns.json");
        var sns = Assert.Single(inferred);
        AssertDatadogView(sns, "aws.sns", "my-topic", "my-topic", "web");
        Assert.Equal("TestInvoke", sns.GetTagItem("subject"));
        Assert.Equal("Notification", sns.GetTagItem("type"));
        Assert.Equal("95df01b4-ee98-5cb9-9903-4c221d41eb5e", sns.GetTagItem("message_id"));
        Assert.Equal(EventSamples.Shifted(DateTimeOffset.Parse("2026-11-25T09:59:59.250Z"), Now).UtcDateTime, sns.StartTimeUtc);
        Assert.Equal(lambda.StartTimeUtc, sns.StartTimeUtc + sns.Duration);
    }

    [Fact]
    public async Task SnsSpanHasPythonsTagSetWithoutTheSubscriptionArn()
    {
        // Python's aws.sns tags: no event_subscription_arn (Node.js adds it for a direct SNS event).
        var (_, inferred) = await Invoke("sns.json");
        var sns = Assert.Single(inferred);
        Assert.Null(sns.GetTagItem("event_subscription_arn"));
        Assert.Equal("arn:aws:sns:us-east-1:123456789012:my-topic", sns.GetTagItem("topic_arn"));
    }

    [Theory]
    [InlineData("\"\"", null)]
    [InlineData("null", null)]
    [InlineData("\" \"", " ")]
    public async Task SnsSubjectIsWrittenOnlyWhenItHasText(string subjectJson, string? expected)
    {
        // Python: `if subject: tags["subject"] = subject`; an empty Subject is no tag.
        var json = EventSamples.LoadShifted("sns.json", Now).Replace("\"Subject\":\"TestInvoke\"", "\"Subject\":" + subjectJson, StringComparison.Ordinal);
        Assert.DoesNotContain("TestInvoke", json, StringComparison.Ordinal);
        using var tracing = new TestTracing();
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(json), TestTracing.Context("sns", Arn), (_, _) => Task.FromResult(0));
        var lambda = tracing.LambdaSpan("sns");
        var sns = Assert.Single(tracing.Exported, a => a.TraceId == lambda.TraceId && a.DisplayName == "aws.sns");
        Assert.Equal(expected, sns.GetTagItem("subject"));
    }

    [Fact]
    public async Task KinesisSpan()
    {
        var (_, inferred) = await Invoke("kinesis.json");
        var kinesis = Assert.Single(inferred);
        AssertDatadogView(kinesis, "aws.kinesis", "clicks", "clicks", "web");
        Assert.Equal("shardId-000000000006", kinesis.GetTagItem("shardid"));
        Assert.Equal("partitionKey-03", kinesis.GetTagItem("partition_key"));
        Assert.Equal("aws:kinesis:record", kinesis.GetTagItem("event_name"));
        Assert.Equal(EventSamples.Shifted(DateTimeOffset.FromUnixTimeMilliseconds(1795600799428), Now).UtcDateTime, kinesis.StartTimeUtc);
    }

    [Fact]
    public async Task DynamoDbSpan()
    {
        var (_, inferred) = await Invoke("dynamodb.json");
        var dynamo = Assert.Single(inferred);
        AssertDatadogView(dynamo, "aws.dynamodb", "ExampleTableWithStream", "ExampleTableWithStream", "web");
        Assert.Equal("INSERT", dynamo.GetTagItem("event_name"));
        Assert.Equal("NEW_AND_OLD_IMAGES", dynamo.GetTagItem("stream_view_type"));
        Assert.Equal("26", dynamo.GetTagItem("size_bytes"));
        Assert.Equal(2L, dynamo.GetTagItem("messaging.batch.message_count"));
    }

    [Fact]
    public async Task DynamoDbSpanStartsAtTheWholeSecondOfTheRecordsCreation()
    {
        // Python reads ApproximateCreationDateTime with int(): the fraction is dropped (Node.js keeps it).
        var created = Now.AddSeconds(-2);
        var json = System.Text.Json.Nodes.JsonNode.Parse(EventSamples.LoadShifted("dynamodb.json", Now))!;
        json["Records"]![0]!["dynamodb"]!["ApproximateCreationDateTime"] = created.ToUnixTimeSeconds() + 0.75;
        using var tracing = new TestTracing();
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(json.ToJsonString()), TestTracing.Context("ddb", Arn), (_, _) => Task.FromResult(0));
        var lambda = tracing.LambdaSpan("ddb");
        var dynamo = Assert.Single(tracing.Exported, a => a.TraceId == lambda.TraceId && a.DisplayName == "aws.dynamodb");
        Assert.Equal(created.UtcDateTime, dynamo.StartTimeUtc);
    }

    [Fact]
    public async Task S3Span()
    {
        var (_, inferred) = await Invoke("s3.json");
        var s3 = Assert.Single(inferred);
        AssertDatadogView(s3, "aws.s3", "example-bucket", "example-bucket", "web");
        Assert.Equal("ObjectCreated:Put", s3.GetTagItem("event_name"));
        Assert.Equal("test/key", s3.GetTagItem("object_key"));
        Assert.Equal("1024", s3.GetTagItem("object_size"));
        Assert.Equal("0123456789abcdef0123456789abcdef", s3.GetTagItem("object_etag"));
        Assert.Equal("arn:aws:s3:::example-bucket", s3.GetTagItem("bucket_arn"));
    }

    [Fact]
    public async Task EventBridgeSpan()
    {
        var (_, inferred) = await Invoke("eventbridge.json");
        var eventBridge = Assert.Single(inferred);
        AssertDatadogView(eventBridge, "aws.eventbridge", "com.shop.orders", "com.shop.orders", "web");
        Assert.Equal("OrderPlaced", eventBridge.GetTagItem("detail_type"));
        Assert.Equal(EventSamples.Shifted(DateTimeOffset.Parse("2026-11-25T09:59:58Z"), Now).UtcDateTime, eventBridge.StartTimeUtc);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task EventBridgeSpanStartsAtTheStateEntryOnlyForAVersionedStepFunctionsContext(bool versioned)
    {
        // Python's is_step_function_event(detail): a _datadog member is a Step Functions context only with
        // serverless-version; otherwise the span starts at the event's time.
        var time = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 2);
        var entered = time.AddMilliseconds(500);
        var version = versioned ? ",\"serverless-version\":\"v1\"" : string.Empty;
        var json = """{"version":"0","id":"e-1","detail-type":"OrderPlaced","source":"com.shop.orders","account":"123456789012","time":"TIME","region":"us-east-1","resources":[],"detail":{"order":1,"_datadog":{"Execution":{"Id":"arn:aws:states:us-east-1:123456789012:execution:Flow:1"},"StateMachine":{"Id":"arn:aws:states:us-east-1:123456789012:stateMachine:Flow"},"State":{"Name":"Put","EnteredTime":"ENTERED"}VERSION}}}"""
            .Replace("TIME", time.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("ENTERED", entered.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("VERSION", version, StringComparison.Ordinal);
        using var tracing = new TestTracing();
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(json), TestTracing.Context("eb", Arn), (_, _) => Task.FromResult(0));

        var lambda = tracing.LambdaSpan("eb");
        var eventBridge = Assert.Single(tracing.Exported, a => a.TraceId == lambda.TraceId && a.DisplayName == "aws.eventbridge");
        Assert.Equal((versioned ? entered : time).UtcDateTime, eventBridge.StartTimeUtc);
    }

    [Fact]
    public async Task RestApiSpanIsSyncAndEndsAfterTheFunction()
    {
        var (lambda, inferred) = await Invoke("api-gateway-rest.json", result: System.Text.Json.JsonDocument.Parse("{\"statusCode\":201}").RootElement);
        var api = Assert.Single(inferred);
        AssertDatadogView(api, "aws.apigateway", "70ixmpl4fl.execute-api.us-east-2.amazonaws.com", "POST /{proxy+}", "web");
        Assert.Equal(ActivityKind.Server, api.Kind);
        Assert.Equal("sync", api.GetTagItem("_inferred_span.synchronicity"));
        Assert.Equal(SampleTime(1795600800000).UtcDateTime, api.StartTimeUtc);
        Assert.True(api.StartTimeUtc + api.Duration >= lambda.StartTimeUtc + lambda.Duration);
        Assert.Equal("201", api.GetTagItem("http.status_code"));
        Assert.Equal("201", lambda.GetTagItem("http.status_code"));
        Assert.Equal("/{proxy+}", api.GetTagItem("http.route"));
        Assert.Equal("https://70ixmpl4fl.execute-api.us-east-2.amazonaws.com/path/to/resource", api.GetTagItem("http.url"));
        Assert.Equal("/path/to/resource", api.GetTagItem("endpoint"));
        Assert.Equal("1234567890", api.GetTagItem("apiid"));
        Assert.Equal("prod", api.GetTagItem("stage"));
        Assert.Equal("req", api.GetTagItem("request_id"));
        Assert.Equal("http", lambda.GetTagItem("faas.trigger"));
    }

    [Fact]
    public async Task AsyncRestApiSpanEndsWhenTheFunctionStartsAndStillGetsTheResponseStatusAndRoute()
    {
        // X-Amz-Invocation-Type: Event: API Gateway answered without waiting for the function. Python tags the innermost
        // inferred span with the status and route whatever its end (Node.js the status too); the span ends at aws.lambda's start.
        var (lambda, inferred) = await Invoke("api-gateway-rest-async.json", result: System.Text.Json.JsonDocument.Parse("{\"statusCode\":202}").RootElement);
        var api = Assert.Single(inferred);
        AssertDatadogView(api, "aws.apigateway", "70ixmpl4fl.execute-api.us-east-2.amazonaws.com", "POST /orders/{id}", "web");
        Assert.Equal("async", api.GetTagItem("_inferred_span.synchronicity"));
        Assert.Equal(ActivityKind.Consumer, api.Kind);
        Assert.Equal(SampleTime(1795600800000).UtcDateTime, api.StartTimeUtc);
        Assert.Equal(lambda.StartTimeUtc, api.StartTimeUtc + api.Duration);
        Assert.Equal("202", api.GetTagItem("http.status_code"));
        Assert.Equal("/orders/{id}", api.GetTagItem("http.route"));
        Assert.Equal("202", lambda.GetTagItem("http.status_code"));
    }

    [Theory]
    [InlineData("http-api.json", "aws.httpapi", "/users/{id}")]
    [InlineData("websocket.json", "aws.apigateway.websocket", null)]
    public async Task AsyncHttpApiAndWebSocketSpansGetTheResponseStatus(string sample, string operation, string? route)
    {
        using var tracing = new TestTracing();
        var json = EventSamples.LoadShifted(sample, Now).Replace("\"headers\":{", "\"headers\":{\"X-Amz-Invocation-Type\":\"Event\",", StringComparison.Ordinal);
        Assert.Contains("X-Amz-Invocation-Type", json, StringComparison.Ordinal);
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(json), TestTracing.Context("req", Arn), (_, _) => Task.FromResult(System.Text.Json.JsonDocument.Parse("{\"statusCode\":202}").RootElement));
        var lambda = tracing.LambdaSpan("req");
        var api = Assert.Single(tracing.Exported, a => a.TraceId == lambda.TraceId && a.DisplayName == operation);
        Assert.Equal("async", api.GetTagItem("_inferred_span.synchronicity"));

        // The WebSocket sample's request time is 100 ms after the anchor: when the test runs within 100 ms of the second
        // it is anchored to, that time is after the invocation's start, the span starts with aws.lambda, and it keeps a
        // visible duration of one tick.
        var end = api.StartTimeUtc < lambda.StartTimeUtc ? lambda.StartTimeUtc : api.StartTimeUtc.AddTicks(1);
        Assert.Equal(end, api.StartTimeUtc + api.Duration);
        Assert.Equal("202", api.GetTagItem("http.status_code"));
        Assert.Equal(route, api.GetTagItem("http.route"));
    }

    [Fact]
    public async Task HttpApiSpan()
    {
        var (_, inferred) = await Invoke("http-api.json");
        var api = Assert.Single(inferred);
        AssertDatadogView(api, "aws.httpapi", "x02yirxc7a.execute-api.eu-west-1.amazonaws.com", "GET /users/{id}", "web");
        Assert.Equal("198.51.100.7", api.GetTagItem("http.source_ip"));
        Assert.Equal("HTTP/1.1", api.GetTagItem("http.protocol"));
    }

    [Fact]
    public async Task WebSocketSpan()
    {
        var (_, inferred) = await Invoke("websocket.json");
        var ws = Assert.Single(inferred);
        AssertDatadogView(ws, "aws.apigateway.websocket", "p62c47itsb.execute-api.eu-west-1.amazonaws.com", "$connect", "web");
        Assert.Equal("https://p62c47itsb.execute-api.eu-west-1.amazonaws.com$connect", ws.GetTagItem("http.url"));
        Assert.Equal("Fc5SmeVHjoECH2w=", ws.GetTagItem("connection_id"));
        Assert.Equal("IN", ws.GetTagItem("message_direction"));
    }

    [Fact]
    public async Task FunctionUrlSpan()
    {
        var (_, inferred) = await Invoke("function-url.json");
        var url = Assert.Single(inferred);
        AssertDatadogView(url, "aws.lambda.url", "a3k2b5vq7c.lambda-url.us-east-1.on.aws", "POST /hello", "http");
    }

    [Fact]
    public async Task AlbSpanStartsWithTheInvocation()
    {
        var (lambda, inferred) = await Invoke("alb.json");
        var alb = Assert.Single(inferred);
        AssertDatadogView(alb, "aws.alb", "lambda-alb-123578498.us-east-2.elb.amazonaws.com", "GET /lambda", "http");
        Assert.Equal(lambda.StartTimeUtc, alb.StartTimeUtc);
    }

    [Theory]
    [InlineData("cloudwatch-events.json")]
    [InlineData("cloudwatch-logs.json")]
    [InlineData("cloudfront.json")]
    [InlineData("step-functions-jsonpath.json")]
    [InlineData("appsync.json")]
    [InlineData("custom.json")]
    public async Task SourcesWithoutInferredSpans(string sample)
    {
        var (_, inferred) = await Invoke(sample);
        Assert.Empty(inferred);
    }

    [Fact]
    public async Task ManagedServicesOffRemovesInferredSpans()
    {
        var (lambda, inferred) = await Invoke("sqs.json", new() { ["DD_TRACE_MANAGED_SERVICES"] = "false" });
        Assert.Empty(inferred);
        Assert.Equal("sqs", lambda.GetTagItem("function_trigger.event_source"));
    }

    [Fact]
    public async Task ServiceMappingRenamesInferredServices()
    {
        var (_, specific) = await Invoke("sqs.json", new() { ["DD_SERVICE_MAPPING"] = "my-queue:orders-queue-svc,lambda_sqs:all-queues" });
        Assert.Equal("orders-queue-svc", specific[0].GetTagItem("datadog.service"));
        var (_, generic) = await Invoke("sqs.json", new() { ["DD_SERVICE_MAPPING"] = "lambda_sqs:all-queues" });
        Assert.Equal("all-queues", generic[0].GetTagItem("datadog.service"));
    }

    [Fact]
    public async Task ServiceMappingLooksUpTheFinalServiceOnceMore()
    {
        // dd-trace-py's tracer maps every span's service once (tracer.py, _start_span) after datadog-lambda-python's
        // determine_service_name chose it: the fallback, a mapped name and the function's service alike.
        var (_, fallback) = await Invoke("sqs.json", new() { ["DD_TRACE_AWS_SERVICE_REPRESENTATION_ENABLED"] = "false", ["DD_SERVICE_MAPPING"] = "sqs:order-queues" });
        Assert.Equal("order-queues", fallback[0].GetTagItem("datadog.service"));
        var (_, chained) = await Invoke("sqs.json", new() { ["DD_SERVICE_MAPPING"] = "lambda_sqs:queues,queues:q2,q2:q3" });
        Assert.Equal("q2", chained[0].GetTagItem("datadog.service"));
        var (_, extracted) = await Invoke("sqs.json", new() { ["DD_SERVICE_MAPPING"] = "lambda_sns:topics" });
        Assert.Equal("my-queue", extracted[0].GetTagItem("datadog.service"));

        var (lambda, api) = await Invoke("api-gateway-rest.json", new() { ["DD_TRACE_AWS_SERVICE_REPRESENTATION_ENABLED"] = "false", ["DD_SERVICE"] = "shop", ["DD_SERVICE_MAPPING"] = "shop:shop-web" });
        Assert.Equal("shop-web", api[0].GetTagItem("datadog.service"));
        Assert.Equal("shop-web", lambda.GetTagItem("datadog.service"));
        Assert.Equal("shop", api[0].GetTagItem("peer.service"));
    }

    [Fact]
    public async Task RepresentationDisabledUsesFallbackServices()
    {
        var (_, sqs) = await Invoke("sqs.json", new() { ["DD_TRACE_AWS_SERVICE_REPRESENTATION_ENABLED"] = "false" });
        Assert.Equal("sqs", sqs[0].GetTagItem("datadog.service"));
        var (_, api) = await Invoke("api-gateway-rest.json", new() { ["DD_TRACE_AWS_SERVICE_REPRESENTATION_ENABLED"] = "false", ["DD_SERVICE"] = "shop" });
        Assert.Equal("shop", api[0].GetTagItem("datadog.service"));
        Assert.Equal("shop", api[0].GetTagItem("peer.service"));
    }
}
