// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Planning;
using Datadog.Otel.Lambda.Tests.TestSupport;
using Datadog.Otel.Lambda.Triggers;

namespace Datadog.Otel.Lambda.Tests.Triggers;

/// <summary>
/// Trigger detection, event source ARNs and HTTP tags: the vectors of datadog-lambda-behaviour.md §1.1–§1.4, read from the
/// invocation's plan (no span is made).
/// </summary>
public class TriggerDescriptionTests
{
    private static InvocationPlan Describe(string sample, Dictionary<string, string?>? env = null) => Plans.PlanSample(sample, env);

    private static Dictionary<string, object?> LambdaTags(InvocationPlan trigger) => Plans.TriggerTags(trigger);

    [Theory]
    [InlineData("api-gateway-rest.json", "ApiGatewayRest", "api-gateway")]
    [InlineData("authorizer-request-rest.json", "ApiGatewayRest", "api-gateway")]
    [InlineData("http-api.json", "ApiGatewayHttp", "api-gateway")]
    [InlineData("websocket.json", "ApiGatewayWebSocket", "api-gateway")]
    [InlineData("function-url.json", "FunctionUrl", "lambda-function-url")]
    [InlineData("alb.json", "ApplicationLoadBalancer", "application-load-balancer")]
    [InlineData("alb-multivalue.json", "ApplicationLoadBalancer", "application-load-balancer")]
    [InlineData("sqs.json", "Sqs", "sqs")]
    [InlineData("sqs-batch.json", "Sqs", "sqs")]
    [InlineData("sns-sqs.json", "Sqs", "sqs")]
    [InlineData("eventbridge-sqs.json", "Sqs", "sqs")]
    [InlineData("sns.json", "Sns", "sns")]
    [InlineData("eventbridge.json", "EventBridge", "eventbridge")]
    [InlineData("kinesis.json", "Kinesis", "kinesis")]
    [InlineData("dynamodb.json", "DynamoDb", "dynamodb")]
    [InlineData("s3.json", "S3", "s3")]
    [InlineData("step-functions-jsonpath.json", "StepFunctions", "states")]
    [InlineData("step-functions-jsonata.json", "StepFunctions", "states")]
    [InlineData("step-functions-legacy-payload.json", "StepFunctions", "states")]
    [InlineData("cloudwatch-logs.json", "CloudWatchLogs", "cloudwatch-logs")]
    [InlineData("cloudwatch-events.json", "CloudWatchEvents", "cloudwatch-events")]
    [InlineData("cloudfront.json", "CloudFront", "cloudfront")]
    [InlineData("appsync.json", "AppSync", null)]
    [InlineData("msk.json", "Kafka", "kafka")]
    [InlineData("durable-execution.json", "DurableExecution", null)]
    [InlineData("custom.json", "Unknown", null)]
    public void DetectsEverySource(string sample, string kindName, string? eventSource)
    {
        var kind = Enum.Parse<TriggerKind>(kindName);
        var trigger = Describe(sample);
        Assert.Equal(kind, trigger.Trigger.Kind);
        Assert.Equal(eventSource, trigger.Trigger.EventSource);
    }

    [Theory]
    [InlineData("api-gateway-rest.json", "arn:aws:apigateway:us-west-1::/restapis/1234567890/stages/prod")]
    [InlineData("http-api.json", "arn:aws:apigateway:us-west-1::/restapis/x02yirxc7a/stages/$default")]
    [InlineData("cloudfront.json", "arn:aws:cloudfront::123457598159:distribution/EXAMPLE")]
    [InlineData("cloudwatch-logs.json", "arn:aws:logs:us-west-1:123457598159:log-group:testLogGroup")]
    [InlineData("cloudwatch-events.json", "arn:aws:events:us-east-1:123456789012:rule/ExampleRule")]
    [InlineData("step-functions-jsonata.json", "arn:aws:states:ca-central-1:425362996713:stateMachine:MyStateMachine-wsx8chv4d")]
    [InlineData("s3.json", "arn:aws:s3:::example-bucket")]
    [InlineData("sqs.json", "arn:aws:sqs:us-east-1:123456789012:my-queue")]
    [InlineData("sns.json", "arn:aws:sns:us-east-1:123456789012:my-topic")]
    [InlineData("kinesis.json", "arn:aws:kinesis:us-east-1:123456789012:stream/clicks")]
    [InlineData("dynamodb.json", "arn:aws:dynamodb:us-east-1:123456789012:table/ExampleTableWithStream/stream/2026-11-25T00:00:00.000")]
    [InlineData("alb.json", "arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/lambda-279XGJDqGZ5rsrHC2Fjr/49e9d65c45c6791a")]
    [InlineData("function-url.json", "arn:aws:lambda:us-west-1:123457598159:url:python-layer-test")]
    [InlineData("msk.json", "arn:aws:kafka:us-east-1:123456789012:cluster/vpc-2priv-2pub/751d2973-a626-431c-9d4e-d7975eb44dd7-2")]
    [InlineData("eventbridge.json", null)]
    [InlineData("custom.json", null)]
    public void EventSourceArnMatchesDatadog(string sample, string? expected)
    {
        var trigger = Describe(sample);
        Assert.Equal(expected, trigger.EventSourceArn);
    }

    [Fact]
    public void PartitionFollowsTheFunctionsRegion()
    {
        var china = FunctionInfo.Create("arn:aws-cn:lambda:cn-north-1:123:function:f", "f");
        var gov = FunctionInfo.Create("arn:aws-us-gov:lambda:us-gov-west-1:123:function:f", "f");
        Assert.Equal("arn:aws-cn:apigateway:cn-north-1::/restapis/a/stages/s", ApiGatewayArns.Stage(china, "a", "s"));
        Assert.Equal("arn:aws-us-gov:apigateway:us-gov-west-1::/restapis/a/stages/s", ApiGatewayArns.Stage(gov, "a", "s"));
    }

    [Fact]
    public void RestApiHttpTagsMatchThePythonVector()
    {
        var trigger = Describe("api-gateway-rest.json");
        var tags = LambdaTags(trigger);
        Assert.Equal("https://70ixmpl4fl.execute-api.us-east-2.amazonaws.com/prod/path/to/resource", tags["http.url"]);
        Assert.Equal("POST", tags["http.method"]);
        Assert.Equal("/{proxy+}", tags["http.route"]);
        Assert.Equal("https://shop.example.com/cart", tags["http.referer"]);

        // Python tags the user agent on aws.lambda for ALB events only (API Gateway's is on its inferred span).
        Assert.False(tags.ContainsKey("http.useragent"));
    }

    [Theory]
    [InlineData("alb.json")]
    [InlineData("alb-multivalue.json")]
    public void AlbHttpTagsMatchThePythonVector(string sample)
    {
        var trigger = Describe(sample);
        var tags = LambdaTags(trigger);
        Assert.Equal("http://lambda-alb-123578498.us-east-2.elb.amazonaws.com/lambda", tags["http.url"]);
        Assert.Equal("/lambda", tags["http.route"]);
        Assert.Equal("GET", tags["http.method"]);
        Assert.Equal("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/71.0.3578.98 Safari/537.36", tags["http.useragent"]);
    }

    [Fact]
    public void WebSocketTagsOnlyTheDomain()
    {
        var trigger = Describe("websocket.json");
        Assert.Equal("https://p62c47itsb.execute-api.eu-west-1.amazonaws.com", LambdaTags(trigger)["http.url"]);
        Assert.DoesNotContain("http.method", LambdaTags(trigger).Keys);
    }

    [Fact]
    public void FunctionUrlRouteIsTheRouteKey()
    {
        // Python's extract_http_tags takes the last token of the top-level routeKey for a function URL too.
        var plan = Describe("function-url.json");
        Assert.Equal("$default", LambdaTags(plan)["http.route"]);
        Assert.Equal("$default", plan.HttpRoute);
    }

    [Fact]
    public void WebSocketRefererIsTagged()
    {
        // Python's extract_http_tags reads the referer of every HTTP event (Node.js has no WebSocket branch).
        var json = EventSamples.Load("websocket.json").Replace(
            "\"headers\": {\"Host\": \"p62c47itsb.execute-api.eu-west-1.amazonaws.com\"}",
            "\"headers\": {\"Host\": \"p62c47itsb.execute-api.eu-west-1.amazonaws.com\", \"Referer\": \"https://app.example.com/chat\"}",
            StringComparison.Ordinal);
        Assert.Contains("Referer", json, StringComparison.Ordinal);
        Assert.Equal("https://app.example.com/chat", LambdaTags(Plans.Plan(json))["http.referer"]);
    }

    [Fact]
    public void HttpApiRouteIsTheRouteKeyPath()
    {
        var trigger = Describe("http-api.json");
        var tags = LambdaTags(trigger);
        Assert.Equal("/users/{id}", tags["http.route"]);
        Assert.Equal("https://x02yirxc7a.execute-api.eu-west-1.amazonaws.com/users/17", tags["http.url"]);
        Assert.Equal("GET", tags["http.method"]);
    }

    [Theory]
    [InlineData("{\"requestContext\":{\"domainName\":\"abc.lambda-url.us-east-1.on.aws\",\"stage\":\"$default\"}}", "FunctionUrl")]
    [InlineData("{\"requestContext\":{\"domainName\":\"lambda-url.example.com\",\"stage\":\"x\"},\"httpMethod\":\"GET\"}", "ApiGatewayRest")]
    [InlineData("{\"Records\":[{\"EventSource\":\"aws:sns\",\"Sns\":{}}]}", "Sns")]
    [InlineData("{\"Records\":[{\"eventSource\":\"aws:dynamodb\"}]}", "DynamoDb")]
    [InlineData("{\"source\":\"aws.events\",\"detail-type\":\"Scheduled Event\"}", "CloudWatchEvents")]
    [InlineData("{\"detail-type\":\"x\",\"detail\":{\"EventCategories\":[\"backup\"]}}", "CloudWatchEvents")]
    [InlineData("{\"Records\":[]}", "Unknown")]
    [InlineData("{\"Records\":[\"x\"]}", "Unknown")]
    [InlineData("{\"requestContext\":\"x\"}", "Unknown")]
    [InlineData("{\"Execution\":{\"Id\":1},\"State\":{},\"StateMachine\":{}}", "Unknown")]
    public void DetectionEdgeCases(string json, string expectedName)
    {
        var expected = Enum.Parse<TriggerKind>(expectedName);
        Assert.Equal(expected, Plans.Plan(json).Trigger.Kind);
    }

    [Theory]
    [InlineData("{\"_datadog\":{\"Execution\":{\"Id\":\"e\"},\"State\":{\"Name\":\"s\",\"EnteredTime\":\"t\"},\"StateMachine\":{}}}", "Unknown")]
    [InlineData("{\"Payload\":{\"_datadog\":{\"Execution\":{\"Id\":\"e\"},\"State\":{\"Name\":\"s\",\"EnteredTime\":\"t\"},\"StateMachine\":{}}}}", "Unknown")]
    [InlineData("{\"_datadog\":{\"Execution\":{\"Id\":\"e\"},\"State\":{\"Name\":\"s\",\"EnteredTime\":\"t\"},\"StateMachine\":{},\"serverless-version\":\"v1\"}}", "StepFunctions")]
    [InlineData("{\"Payload\":{\"_datadog\":{\"Execution\":{\"Id\":\"e\"},\"State\":{\"Name\":\"s\",\"EnteredTime\":\"t\"},\"StateMachine\":{},\"serverless-version\":\"v1\"}}}", "StepFunctions")]
    public void DatadogContextWithoutServerlessVersionIsNotStepFunctions(string json, string expectedName)
    {
        // Python's is_step_function_event takes a _datadog member as a JSONata context only with serverless-version (§1.7).
        var plan = Plans.Plan(json);
        Assert.Equal(Enum.Parse<TriggerKind>(expectedName), plan.Trigger.Kind);
    }
}
