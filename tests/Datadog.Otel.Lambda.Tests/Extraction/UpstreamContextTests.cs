// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Tests.TestSupport;

namespace Datadog.Otel.Lambda.Tests.Extraction;

/// <summary>The upstream context of every trigger, through the wrapper: datadog-lambda-behaviour.md §1.5–§1.10, §6.</summary>
[Collection("Tracing")]
public class UpstreamContextTests
{
    private const string XRayHeader = "Root=1-5e272390-8c398be037738dc042009320;Parent=94ae789b969f1cc5;Sampled=1;Lineage=c6c5b1b9:0";

    private static async Task<Activity> RootSpan(string json, Dictionary<string, string?>? env = null, DatadogLambdaContext? context = null, Action<DatadogLambdaOptions>? configure = null)
    {
        using var tracing = new TestTracing(env, configure);
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(json), context ?? TestTracing.Context(), (_, _) => Task.FromResult(0));
        var lambda = tracing.LambdaSpan(context?.AwsRequestId ?? "req-1");
        var byId = tracing.Exported.ToDictionary(a => a.SpanId);
        var root = lambda;
        while (byId.TryGetValue(root.ParentSpanId, out var parent))
        {
            root = parent;
        }

        return root;
    }

    private static Task<Activity> RootSpanOf(string sample, Dictionary<string, string?>? env = null) =>
        RootSpan(EventSamples.LoadShifted(sample, DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds())), env);

    private static void AssertParent(Activity root, ulong traceId, ulong parentId, int? priority, ulong traceIdHigh = 0)
    {
        Assert.Equal(traceId, DatadogIds.Lower64(root.TraceId));
        Assert.Equal(traceIdHigh, DatadogIds.Upper64(root.TraceId));
        Assert.Equal(parentId, DatadogIds.ToUInt64(root.ParentSpanId));
        Assert.True(root.HasRemoteParent);
        if (priority is { } expected)
        {
            Assert.Equal((long)expected, Convert.ToInt64(root.GetTagItem("sampling.priority"), System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Theory]
    [InlineData("api-gateway-rest.json", 1234567890123456789UL, 9876543210987654321UL, 1)]
    [InlineData("function-url.json", 111UL, 222UL, 2)]
    [InlineData("alb.json", 5555UL, 6666UL, 1)]
    [InlineData("alb-multivalue.json", 5555UL, 6666UL, 1)]
    [InlineData("appsync.json", 12345UL, 67890UL, 1)]
    [InlineData("eventbridge.json", 5123UL, 6123UL, 2)]
    [InlineData("eventbridge-sqs.json", 7777UL, 8888UL, 1)]
    [InlineData("kinesis.json", 4948377316357291421UL, 2876253380018681026UL, 1)]
    [InlineData("sqs-awstraceheader.json", 7925498337868555493UL, 5245570649555658903UL, 1)]
    public async Task ContinuesTheTraceFoundInTheEvent(string sample, ulong traceId, ulong parentId, int priority)
    {
        var root = await RootSpanOf(sample);
        AssertParent(root, traceId, parentId, priority);
    }

    [Fact]
    public async Task SqsStringAttributeCarries128BitIds()
    {
        var root = await RootSpanOf("sqs.json");
        AssertParent(root, 2684756524522091840, 7431398482019833808, 1, traceIdHigh: 0x66bcb5eb00000000);
        Assert.Equal("aws.sqs", root.DisplayName);
    }

    [Theory]
    [InlineData("sns.json", "aws.sns")]
    [InlineData("sns-sqs.json", "aws.sns")]
    public async Task SnsBinaryAttributeDirectAndInsideSqs(string sample, string rootName)
    {
        var root = await RootSpanOf(sample);
        AssertParent(root, 3333, 4444, 1, traceIdHigh: 0x6734e7c300000000);
        Assert.Equal(rootName, root.DisplayName);
    }

    [Fact]
    public async Task W3CHeadersCarryPriorityAndOrigin()
    {
        var root = await RootSpanOf("http-api.json");
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", root.TraceId.ToHexString());
        Assert.Equal("b7ad6b7169203331", root.ParentSpanId.ToHexString());
        Assert.Equal(2L, Convert.ToInt64(root.GetTagItem("sampling.priority"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("o:rum", root.TraceStateString, StringComparison.Ordinal);
        Assert.Contains("congo=t61rcWkgMzE", root.TraceStateString, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("step-functions-jsonpath.json", 435175499815315247UL, 0x3e7a89d1b7310603UL, 3929055471293792800UL)]
    [InlineData("step-functions-legacy-payload.json", 1139193989631387307UL, 0UL, 7747304477664363642UL)]
    [InlineData("step-functions-jsonata.json", 5821803790426892636UL, 0x672a7cb100000000UL, 6880978411788117524UL)]
    public async Task StepFunctionsContextsGiveDeterministicIds(string sample, ulong traceId, ulong high, ulong parentId)
    {
        var root = await RootSpanOf(sample);
        Assert.Equal(traceId, DatadogIds.Lower64(root.TraceId));
        if (high != 0)
        {
            Assert.Equal(high, DatadogIds.Upper64(root.TraceId));
        }

        Assert.Equal(parentId, DatadogIds.ToUInt64(root.ParentSpanId));
        Assert.Equal(1L, Convert.ToInt64(root.GetTagItem("sampling.priority"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task V1WithBothRootsContinuesTheUpstreamLambda()
    {
        // Python checks x-datadog-trace-id before RootExecutionId (Node.js the other way round): the PY JSONata
        // lambda-root vector with the SFN-root vector's RootExecutionId added keeps the Lambda's trace (§1.7).
        const string Json = """
            {"_datadog":{"Execution":{"Id":"665c417c-1237-4742-aaca-8b3becbb9e75"},"StateMachine":{},
            "State":{"Name":"my-awesome-state","EnteredTime":"Mon Nov 13 12:43:33 PST 2023"},
            "RootExecutionId":"4875aba4-ae31-4a4c-bf8a-63e9eee31dad",
            "x-datadog-trace-id":"5821803790426892636","x-datadog-tags":"_dd.p.dm=-0,_dd.p.tid=672a7cb100000000",
            "serverless-version":"v1"}}
            """;
        var root = await RootSpan(Json);
        AssertParent(root, 5821803790426892636, 6880978411788117524, 1, traceIdHigh: 0x672a7cb100000000);
    }

    [Fact]
    public async Task LegacyContextIgnoresATopLevelTraceId()
    {
        // Without serverless-version Python reads an upstream trace only from Execution.Input._datadog; a trace id
        // beside Execution is not read, so the ids are the execution hash of the JSONPath vector.
        const string Json = """
            {"Execution":{"Id":"arn:aws:states:sa-east-1:425362996713:execution:abhinav-activity-state-machine:72a7ca3e-901c-41bb-b5a3-5f279b92a316","Input":{}},
            "State":{"EnteredTime":"2024-12-04T19:38:04.118Z","Name":"Lambda Invoke"},"StateMachine":{},
            "x-datadog-trace-id":"5821803790426892636","x-datadog-tags":"_dd.p.dm=-0,_dd.p.tid=672a7cb100000000"}
            """;
        var root = await RootSpan(Json);
        AssertParent(root, 435175499815315247, 3929055471293792800, 1, traceIdHigh: 0x3e7a89d1b7310603);
    }

    [Fact]
    public async Task KafkaRecordHeaders()
    {
        var root = await RootSpanOf("msk.json");
        Assert.Equal(2147UL, DatadogIds.Lower64(root.TraceId));
    }

    [Fact]
    public async Task ClientContextOfADirectInvocation()
    {
        var context = TestTracing.Context() is var c ? new DatadogLambdaContext
        {
            AwsRequestId = c.AwsRequestId,
            FunctionName = c.FunctionName,
            InvokedFunctionArn = c.InvokedFunctionArn,
            ClientContextCustom = new Dictionary<string, string> { ["x-datadog-trace-id"] = "667309514221035538", ["x-datadog-parent-id"] = "1350735035497811828", ["x-datadog-sampling-priority"] = "1" },
        } : null;
        var root = await RootSpan("{\"order\":1}", context: context);
        AssertParent(root, 667309514221035538, 1350735035497811828, 1);

        var legacy = new DatadogLambdaContext
        {
            AwsRequestId = "legacy",
            ClientContextCustom = new Dictionary<string, string> { ["_datadog"] = "{\"x-datadog-trace-id\":\"42\",\"x-datadog-parent-id\":\"43\",\"x-datadog-sampling-priority\":\"2\"}" },
        };
        AssertParent(await RootSpan("{}", context: legacy), 42, 43, 2);
    }

    [Fact]
    public async Task BatchRecordsWithOtherTracesBecomeLinks()
    {
        var root = await RootSpanOf("sqs-batch.json");
        AssertParent(root, 1001, 2001, 1);
        var link = Assert.Single(root.Links);
        Assert.Equal(1002UL, DatadogIds.Lower64(link.Context.TraceId));
        Assert.Equal(2002UL, DatadogIds.ToUInt64(link.Context.SpanId));
        var attributes = link.Tags!.ToDictionary(t => t.Key, t => t.Value);
        Assert.Equal("m-2", attributes["messaging.message.id"]);
        Assert.Equal("batch_record", attributes["reason"]);
        Assert.Equal(4L, root.GetTagItem("messaging.batch.message_count"));
    }

    [Fact]
    public async Task BatchLinksAreCapped()
    {
        var records = string.Join(',', Enumerable.Range(1, 30).Select(i =>
            $$$"""{"messageId":"m{{{i}}}","body":"x","attributes":{"SentTimestamp":"1"},"messageAttributes":{"_datadog":{"dataType":"String","stringValue":"{\"x-datadog-trace-id\":\"{{{i}}}\",\"x-datadog-parent-id\":\"1\",\"x-datadog-sampling-priority\":\"1\"}"}},"eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-1:1:q"}"""));
        var root = await RootSpan("{\"Records\":[" + records + "]}", new() { ["DD_OTEL_LAMBDA_MAX_BATCH_LINKS"] = "5" });
        Assert.Equal(5, root.Links.Count());
    }

    [Fact]
    public async Task ConflictingStylesLinkTheOtherTrace()
    {
        var json = """{"headers":{"x-datadog-trace-id":"3541","x-datadog-parent-id":"3540","x-datadog-sampling-priority":"2","traceparent":"00-11111111111111110000000000000005-000000003ade68b1-01"},"requestContext":{"stage":"prod","httpMethod":"GET","domainName":"x.execute-api.us-east-1.amazonaws.com","apiId":"x"},"httpMethod":"GET","resource":"/"}""";
        var root = await RootSpan(json);
        AssertParent(root, 3541, 3540, 2);
        var link = Assert.Single(root.Links);
        Assert.Equal("11111111111111110000000000000005", link.Context.TraceId.ToHexString());
        var attributes = link.Tags!.ToDictionary(t => t.Key, t => t.Value);
        Assert.Equal("terminated_context", attributes["reason"]);
        Assert.Equal("tracecontext", attributes["context_headers"]);
    }

    [Fact]
    public async Task AuthorizerContextParentsTheAuthorizerSpanWhenTheAuthorizerRan()
    {
        var now = DateTimeOffset.UtcNow;
        var finish = now.AddMilliseconds(-900);
        var injected = Convert.ToBase64String(Encoding.UTF8.GetBytes(
            $$$"""{"x-datadog-trace-id":"13478705995797221209","x-datadog-parent-id":"8471288263384216896","x-datadog-sampling-priority":"1","x-datadog-parent-span-finish-time":{{{finish.ToUnixTimeMilliseconds() * 1_000_000}}},"x-datadog-authorizing-requestid":"req-abc"}"""));
        var requestTime = now.AddMilliseconds(-1000).ToUnixTimeMilliseconds();
        var json = $$$"""{"resource":"/hello","path":"/hello","httpMethod":"GET","headers":{},"requestContext":{"authorizer":{"_datadog":"{{{injected}}}","principalId":"u","integrationLatency":300},"resourcePath":"/hello","httpMethod":"GET","path":"/dev/hello","stage":"dev","requestTimeEpoch":{{{requestTime}}},"requestId":"req-abc","domainName":"a.execute-api.eu-west-1.amazonaws.com","apiId":"a"}}""";

        using var tracing = new TestTracing();
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(json), TestTracing.Context(), (_, _) => Task.FromResult(0));
        var authorizer = tracing.Exported.Single(a => a.DisplayName == "aws.apigateway.authorizer");
        var api = tracing.Exported.Single(a => a.DisplayName == "aws.apigateway");
        AssertParent(authorizer, 13478705995797221209, 8471288263384216896, 1);
        Assert.Equal(authorizer.SpanId, api.ParentSpanId);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(finish.ToUnixTimeMilliseconds()).UtcDateTime, authorizer.StartTimeUtc);

        // The authorizer span ends at requestTimeEpoch + integrationLatency, where the API Gateway span starts.
        var authorizerEnd = DateTimeOffset.FromUnixTimeMilliseconds(requestTime + 300).UtcDateTime;
        Assert.Equal(authorizerEnd, authorizer.StartTimeUtc + authorizer.Duration);
        Assert.Equal(authorizerEnd, api.StartTimeUtc);
    }

    [Theory]
    [InlineData("\\ud800")]
    [InlineData("\\udc00x")]
    [InlineData("\u00ff\u00fe")]
    public async Task UnreadableStringsInTheEventDoNotCostItsTrace(string bad)
    {
        // Found by the hostile-input properties: JsonDocument accepts these, then GetString throws on them.
        var json = "{\"headers\":{\"User-Agent\":\"a" + bad + "\",\"x-datadog-trace-id\":\"3541\",\"x-datadog-parent-id\":\"3540\",\"x-datadog-sampling-priority\":\"1\"},\"requestContext\":{\"stage\":\"prod\",\"httpMethod\":\"GET\",\"domainName\":\"x.execute-api.us-east-1.amazonaws.com\",\"apiId\":\"x\"},\"httpMethod\":\"GET\",\"resource\":\"/\"}";
        var bytes = Encoding.Latin1.GetBytes(json);
        using var tracing = new TestTracing();
        await DatadogLambda.TraceAsync(tracing.Provider, new MemoryStream(bytes), TestTracing.Context(), (_, _) => Task.FromResult(0));
        var root = tracing.Exported.Single(a => a.DisplayName == "aws.apigateway");
        AssertParent(root, 3541, 3540, 1);
    }

    [Theory]
    [InlineData("9223372036854775807", "1795600800000")]
    [InlineData("-1e300", "1795600800000")]
    [InlineData("300", "999999999999999")]
    public async Task OutOfRangeAuthorizerTimesStillConnectTheTrace(string latency, string requestTimeEpoch)
    {
        // Found by the hostile-input properties: these overflowed TimeSpan/DateTimeOffset and cost the invocation its trace.
        var finish = DateTimeOffset.UtcNow.AddMilliseconds(-900);
        var injected = Convert.ToBase64String(Encoding.UTF8.GetBytes(
            $$$"""{"x-datadog-trace-id":"13478705995797221209","x-datadog-parent-id":"8471288263384216896","x-datadog-sampling-priority":"1","x-datadog-parent-span-finish-time":{{{finish.ToUnixTimeMilliseconds() * 1_000_000}}},"x-datadog-authorizing-requestid":"req-abc"}"""));
        var json = $$$"""{"resource":"/hello","path":"/hello","httpMethod":"GET","headers":{},"requestContext":{"authorizer":{"_datadog":"{{{injected}}}","principalId":"u","integrationLatency":{{{latency}}}},"resourcePath":"/hello","httpMethod":"GET","path":"/dev/hello","stage":"dev","requestTimeEpoch":{{{requestTimeEpoch}}},"requestId":"req-abc","domainName":"a.execute-api.eu-west-1.amazonaws.com","apiId":"a"}}""";

        using var tracing = new TestTracing();
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(json), TestTracing.Context(), (_, _) => Task.FromResult(0));
        var authorizer = tracing.Exported.Single(a => a.DisplayName == "aws.apigateway.authorizer");
        AssertParent(authorizer, 13478705995797221209, 8471288263384216896, 1);
        Assert.True(authorizer.Duration >= TimeSpan.Zero);
    }

    [Fact]
    public async Task CachedAuthorizationIsIgnored()
    {
        var injected = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"x-datadog-trace-id":"99","x-datadog-parent-id":"98","x-datadog-sampling-priority":"1","x-datadog-authorizing-requestid":"an-earlier-request"}"""));
        var json = $$$"""{"resource":"/","path":"/","httpMethod":"GET","headers":{},"requestContext":{"authorizer":{"_datadog":"{{{injected}}}","integrationLatency":0},"stage":"dev","httpMethod":"GET","requestId":"this-request","domainName":"a.b.c","apiId":"a"}}""";
        var root = await RootSpan(json);
        Assert.NotEqual(99UL, DatadogIds.Lower64(root.TraceId));
        Assert.False(root.HasRemoteParent);
    }

    [Fact]
    public async Task XRayIsIgnoredWithoutMerging()
    {
        var context = new DatadogLambdaContext { AwsRequestId = "req-1", XRayTraceHeader = XRayHeader };
        var root = await RootSpan("{}", context: context);
        Assert.False(root.HasRemoteParent);
        Assert.Null(root.GetTagItem("_dd.parent_source"));
    }

    [Fact]
    public async Task XRayMergingContinuesTheXRayTraceInDatadogIds()
    {
        var context = new DatadogLambdaContext { AwsRequestId = "req-1", XRayTraceHeader = XRayHeader };
        var root = await RootSpan("{}", new() { ["DD_MERGE_XRAY_TRACES"] = "true" }, context);
        AssertParent(root, 3995693151288333088, 10713633173203262661, 2);
        Assert.Equal("xray", root.GetTagItem("_dd.parent_source"));
    }

    [Fact]
    public async Task XRaySampledZeroDoesNotDropTheTrace()
    {
        var context = new DatadogLambdaContext { AwsRequestId = "req-1", XRayTraceHeader = "Root=1-5e272390-8c398be037738dc042009320;Parent=94ae789b969f1cc5;Sampled=0" };
        var root = await RootSpan("{}", new() { ["DD_MERGE_XRAY_TRACES"] = "true" }, context);
        Assert.Equal(3995693151288333088UL, DatadogIds.Lower64(root.TraceId));
        Assert.True(root.Recorded);
        Assert.Equal(1L, Convert.ToInt64(root.GetTagItem("sampling.priority"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task XRayHeaderComesFromTheEnvironmentWhenTheContextHasNone()
    {
        var root = await RootSpan("{}", new() { ["DD_MERGE_XRAY_TRACES"] = "true", ["_X_AMZN_TRACE_ID"] = XRayHeader });
        Assert.Equal(3995693151288333088UL, DatadogIds.Lower64(root.TraceId));
    }

    [Fact]
    public async Task EventContextWithMergingHangsUnderTheXRaySegment()
    {
        var context = new DatadogLambdaContext { AwsRequestId = "req-1", XRayTraceHeader = XRayHeader };
        var json = """{"x":1,"headers":{"x-datadog-trace-id":"123","x-datadog-parent-id":"321","x-datadog-sampling-priority":"1"}}""";
        var root = await RootSpan(json, new() { ["DD_MERGE_XRAY_TRACES"] = "true" }, context);
        AssertParent(root, 123, 10713633173203262661, 1);

        // The parent is the event's (under the X-Ray segment): Python names only an X-Ray parent.
        Assert.Null(root.GetTagItem("_dd.parent_source"));
    }

    [Fact]
    public async Task CustomExtractorReplacesEventExtraction()
    {
        var custom = new ActivityContext(DatadogIds.TraceId(0, 777), DatadogIds.SpanId(888), ActivityTraceFlags.Recorded, "dd=s:2");
        var root = await RootSpan(EventSamples.Load("api-gateway-rest.json"), configure: o => o.TraceExtractor = (evt, ctx) =>
        {
            Assert.Equal("POST", evt.GetProperty("httpMethod").GetString());
            return custom;
        });
        AssertParent(root, 777, 888, 2);
    }

    [Fact]
    public async Task FailingCustomExtractorFallsBackToXRay()
    {
        var context = new DatadogLambdaContext { AwsRequestId = "req-1", XRayTraceHeader = XRayHeader };
        var root = await RootSpan(EventSamples.Load("api-gateway-rest.json"), new() { ["DD_MERGE_XRAY_TRACES"] = "true" }, context, o => o.TraceExtractor = (_, _) => throw new InvalidOperationException("broken"));
        Assert.Equal(3995693151288333088UL, DatadogIds.Lower64(root.TraceId));
    }

    [Theory]
    [InlineData("{\"Records\":[{\"eventSource\":\"aws:sqs\",\"messageAttributes\":{\"_datadog\":{\"dataType\":\"String\",\"stringValue\":\"not json\"}}}]}")]
    [InlineData("{\"Records\":[{\"eventSource\":\"aws:sqs\",\"messageAttributes\":{\"_datadog\":{\"dataType\":\"Binary\",\"binaryValue\":\"***\"}}}]}")]
    [InlineData("{\"Records\":[{\"eventSource\":\"aws:sqs\",\"messageAttributes\":{\"_datadog\":{\"dataType\":\"Number\",\"stringValue\":\"5\"}}}]}")]
    [InlineData("{\"Records\":[{\"eventSource\":\"aws:sqs\",\"body\":\"{\\\"Type\\\":\\\"Notification\\\",\\\"TopicArn\\\":\\\"t\\\",\\\"MessageAttributes\\\":5}\"}]}")]
    [InlineData("{\"Records\":[{\"EventSource\":\"aws:sns\",\"Sns\":{\"MessageAttributes\":{\"_datadog\":{\"Type\":\"Binary\",\"Value\":\"e30=\"}}}}]}")]
    [InlineData("{\"Records\":[{\"eventSource\":\"aws:kinesis\",\"kinesis\":{\"data\":\"H4sIAAAAAAAA\"}}]}")]
    [InlineData("{\"detail-type\":\"x\",\"source\":\"s\",\"detail\":{\"_datadog\":\"not an object\"}}")]
    [InlineData("{\"headers\":{\"x-datadog-trace-id\":\"-1\",\"x-datadog-parent-id\":\"abc\"},\"requestContext\":{\"stage\":\"s\",\"httpMethod\":\"GET\"},\"httpMethod\":\"GET\"}")]
    public async Task MalformedCarriersStartANewTrace(string json)
    {
        var root = await RootSpan(json);
        Assert.False(root.HasRemoteParent);
    }
}
