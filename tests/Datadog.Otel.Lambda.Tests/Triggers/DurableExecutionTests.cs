// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Planning;
using Datadog.Otel.Lambda.Tests.TestSupport;
using Datadog.Otel.Lambda.Triggers;

namespace Datadog.Otel.Lambda.Tests.Triggers;

/// <summary>
/// Lambda durable executions (datadog-lambda-behaviour.md §1.5 item 8, §1.6, §1.9): detection, the <c>aws.durable.*</c>
/// tags, the execution status read from the response, and the context of the latest <c>_datadog_{N}</c> checkpoint, with
/// the vectors of datadog-lambda-python's tests/test_durable.py and test_tracing.py.
/// </summary>
[Collection("Tracing")]
public class DurableExecutionTests
{
    private const string Arn = "arn:aws:lambda:us-east-1:123456789012:function:my-func:1/durable-execution/my-execution/550e8400-e29b-41d4-a716-446655440004";

    private static string Event(string operations, string arn = Arn) =>
        "{\"DurableExecutionArn\":\"" + arn + "\",\"CheckpointToken\":\"t\",\"InitialExecutionState\":{\"Operations\":" + operations + "}}";

    private static string Checkpoint(string name, string result) => "{\"Name\":\"" + name + "\",\"Type\":\"STEP\",\"StepDetails\":{\"Result\":" + result + "}}";

    private static string Headers(ulong traceId, ulong parentId) =>
        "{\"x-datadog-trace-id\":\"" + traceId + "\",\"x-datadog-parent-id\":\"" + parentId + "\",\"x-datadog-sampling-priority\":\"1\"}";

    private static string HeadersText(ulong traceId, ulong parentId) => JsonSerializer.Serialize(Headers(traceId, parentId));

    private static (ulong TraceId, ulong ParentId)? Parent(InvocationPlan plan) =>
        plan.Upstream.HasParent ? (DatadogIds.Lower64(plan.Upstream.Parent.TraceId), DatadogIds.ToUInt64(plan.Upstream.Parent.SpanId)) : null;

    [Fact]
    public void TheSampleIsADurableExecutionWithItsTagsAndLatestCheckpoint()
    {
        var plan = Plans.PlanSample("durable-execution.json");
        Assert.Equal(TriggerKind.DurableExecution, plan.Trigger.Kind);
        Assert.Null(plan.Trigger.EventSource);
        Assert.Null(plan.EventSourceArn);
        Assert.Empty(plan.InferredSpans);
        Assert.Equal(
            [
                new("aws.durable.execution_name", "order-123"),
                new("aws.durable.execution_id", "550e8400-e29b-41d4-a716-446655440001"),
                new("aws.durable.first_invocation", "false"),
            ],
            plan.TriggerTags);
        Assert.Equal(((ulong, ulong)?)(123UL, 321UL), Parent(plan));
        Assert.Equal("durable-checkpoint", plan.Upstream.Carrier);
        Assert.Contains(new KeyValuePair<string, object?>("faas.trigger", "other"), Plans.LambdaTags(plan));
    }

    [Theory]
    [InlineData("[{\"OperationType\":\"EXECUTION\"}]", "true")]
    [InlineData("[{\"OperationType\":\"EXECUTION\"},{\"OperationType\":\"STEP\"}]", "false")]
    [InlineData("[]", "false")]
    [InlineData("{\"0\":{\"Type\":\"EXECUTION\"}}", "true")]
    [InlineData("{\"0\":{},\"1\":{}}", "false")]
    [InlineData("[1]", "true")]
    [InlineData("\"x\"", "true")]
    [InlineData("\"\u00e9\u00e9\"", "false")]
    [InlineData("null", null)]
    [InlineData("5", null)]
    public void FirstInvocationIsExactlyOneOperation(string operations, string? expected)
    {
        var tags = Plans.TriggerTags(Plans.Plan(Event(operations)));
        Assert.Equal("my-execution", tags["aws.durable.execution_name"]);
        Assert.Equal("550e8400-e29b-41d4-a716-446655440004", tags["aws.durable.execution_id"]);
        Assert.Equal(expected, tags.GetValueOrDefault("aws.durable.first_invocation"));
        Assert.Equal(expected is not null, tags.ContainsKey("aws.durable.first_invocation"));
    }

    [Theory]
    [InlineData("{\"DurableExecutionArn\":\"" + Arn + "\"}", "false")]
    [InlineData("{\"DurableExecutionArn\":\"" + Arn + "\",\"InitialExecutionState\":{}}", "false")]
    [InlineData("{\"DurableExecutionArn\":\"" + Arn + "\",\"InitialExecutionState\":null}", null)]
    [InlineData("{\"DurableExecutionArn\":\"" + Arn + "\",\"InitialExecutionState\":[]}", null)]
    public void WithoutOperationsPythonCountsNone(string json, string? expected)
    {
        // Python's event.get("InitialExecutionState", {}).get("Operations", []): absent is no operations; a state it cannot
        // read raises there (and loses the invocation's trace), where the tag is left out here.
        var tags = Plans.TriggerTags(Plans.Plan(json));
        Assert.Equal("my-execution", tags["aws.durable.execution_name"]);
        Assert.Equal(expected, tags.GetValueOrDefault("aws.durable.first_invocation"));
    }

    [Theory]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:my-func:$LATEST/durable-execution/order-123/550e8400-e29b-41d4-a716-446655440001", "order-123", "550e8400-e29b-41d4-a716-446655440001")]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:my-func:1/durable-execution/my-execution/550e8400-e29b-41d4-a716-446655440004", "my-execution", "550e8400-e29b-41d4-a716-446655440004")]
    [InlineData("x/durable-execution/a/durable-execution/n/id", "n", "id")]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:my-func:$LATEST", null, null)]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:my-func:$LATEST/durable-execution/order-123", null, null)]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:my-func:$LATEST/durable-execution//550e8400-e29b-41d4-a716-446655440002", null, null)]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:my-func:$LATEST/durable-execution/order-123/", null, null)]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:my-func:$LATEST/durable-executions/order-123/id", null, null)]
    [InlineData("invalid-arn-without-durable-execution-marker", null, null)]
    [InlineData("/durable-execution/n/id", "n", "id")]
    [InlineData("durable-execution/n/id", null, null)]
    public void TheArnGivesNameAndIdAsPythonsPatternDoes(string arn, string? name, string? id)
    {
        // Python: re.search(r"/durable-execution/([^/]+)/([^/]+)$", arn).
        Assert.Equal(name is not null, DurableExecutionSource.TryParseArn(arn, out var parsedName, out var parsedId));
        if (name is not null)
        {
            Assert.Equal(name, parsedName);
            Assert.Equal(id, parsedId);
        }

        var tags = Plans.TriggerTags(Plans.Plan(Event("[{}]", arn)));
        Assert.Equal(name, tags.GetValueOrDefault("aws.durable.execution_name"));
        Assert.Equal(id, tags.GetValueOrDefault("aws.durable.execution_id"));

        // No tag at all for an ARN that does not parse (first_invocation included), as Python returns {}.
        Assert.Equal(name is null ? 0 : 3, tags.Count);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("null")]
    [InlineData("{}")]
    public void AnyDurableExecutionArnMemberIsADurableEventButOnlyAStringIsTagged(string arn)
    {
        // Python routes extraction on "DurableExecutionArn" in event; its tags need a string.
        var json = "{\"DurableExecutionArn\":" + arn + ",\"InitialExecutionState\":{\"Operations\":[" + Checkpoint("_datadog_0", Headers(5, 6)) + "]}}";
        var plan = Plans.Plan(json);
        Assert.Equal(TriggerKind.DurableExecution, plan.Trigger.Kind);
        Assert.Empty(plan.TriggerTags);
        Assert.Equal(((ulong, ulong)?)(5UL, 6UL), Parent(plan));
    }

    [Fact]
    public void PythonsOperationMapVectorGivesTheLatestCheckpoint()
    {
        // test_extracts_durable_trace_context_from_latest_checkpoint_operation_map: Operations as an object, results as objects.
        var json = "{\"DurableExecutionArn\":\"arn:aws:lambda:us-east-2:123456789012:function:demo:1/durable-execution/demo/abc\",\"CheckpointToken\":\"token\","
            + "\"InitialExecutionState\":{\"Operations\":{\"0\":{\"Type\":\"EXECUTION\"},\"1\":" + Checkpoint("_datadog_0", Headers(999, 888))
            + ",\"2\":" + Checkpoint("_datadog_1", Headers(123, 321)) + "}}}";
        var plan = Plans.Plan(json);
        Assert.Equal(((ulong, ulong)?)(123UL, 321UL), Parent(plan));
        Assert.Equal("false", Plans.TriggerTags(plan)["aws.durable.first_invocation"]);
    }

    [Theory]
    [InlineData("_datadog_9", "_datadog_10", 2)]
    [InlineData("_datadog_10", "_datadog_9", 1)]
    [InlineData("_datadog_1", "_datadog_1", 1)]
    [InlineData("_datadog_1", "_datadog_02", 2)]
    [InlineData("_datadog_99999", "_datadog_000000100000", 2)]
    [InlineData("_datadog_100000", "_datadog_0099999", 1)]
    [InlineData("_datadog_5", "_datadog_ 6 ", 2)]
    [InlineData("_datadog_5", "_datadog_+6", 2)]
    [InlineData("_datadog_5", "_datadog_1_0", 2)]
    [InlineData("_datadog_5", "_datadog_1__0", 1)]
    [InlineData("_datadog_5", "_datadog__10", 1)]
    [InlineData("_datadog_5", "_datadog_10_", 1)]
    [InlineData("_datadog_5", "_datadog_x", 1)]
    [InlineData("_datadog_5", "_datadog_", 1)]
    [InlineData("_datadog_5", "_datadog_6.0", 1)]
    [InlineData("_datadog_5", "_datadog_-7", 1)]
    [InlineData("_datadog_-1", "_datadog_-0", 2)]
    [InlineData("_datadog_5", "datadog_6", 1)]
    [InlineData("_datadog_5", "_Datadog_6", 1)]
    [InlineData("_datadog_5", "\\u005fdatadog_\\u0036", 2)]
    public void TheLatestCheckpointHasTheHighestNumberAsPythonsIntReadsIt(string first, string second, int winner)
    {
        var json = Event("[{\"Type\":\"EXECUTION\"}," + Checkpoint(first, HeadersText(1, 11)) + "," + Checkpoint(second, HeadersText(2, 22)) + "]");
        var plan = Plans.Plan(json);
        var expected = winner == 1 ? (1UL, 11UL) : (2UL, 22UL);
        Assert.Equal(((ulong, ulong)?)expected, Parent(plan));
    }

    [Fact]
    public void ANumberOfMoreThan4300DigitsIsNoNumberAsInPython()
    {
        var longest = "1" + new string('0', DurableOperations.MaxDigits - 1);
        var tooLong = "1" + new string('0', DurableOperations.MaxDigits);
        var json = Event("[" + Checkpoint("_datadog_5", HeadersText(1, 11)) + "," + Checkpoint("_datadog_" + tooLong, HeadersText(2, 22)) + "]");
        Assert.Equal(((ulong, ulong)?)(1UL, 11UL), Parent(Plans.Plan(json)));

        json = Event("[" + Checkpoint("_datadog_" + longest, HeadersText(3, 33)) + "," + Checkpoint("_datadog_" + longest[..^1] + "9", HeadersText(4, 44)) + "," + Checkpoint("_datadog_5", HeadersText(1, 11)) + "]");
        Assert.Equal(((ulong, ulong)?)(4UL, 44UL), Parent(Plans.Plan(json)));
    }

    [Theory]
    [InlineData("\"not json\"")]
    [InlineData("\"[1,2]\"")]
    [InlineData("\"{\\\"x-datadog-trace-id\\\":\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("[{\"x-datadog-trace-id\":\"1\"}]")]
    public void AResultThatIsNoHeaderMapGivesNoContextNotAnEarlierCheckpoints(string result)
    {
        // Python takes the latest checkpoint first and reads only it.
        var json = Event("[" + Checkpoint("_datadog_0", Headers(7, 8)) + "," + Checkpoint("_datadog_1", result) + "]");
        var plan = Plans.Plan(json);
        Assert.Equal(TriggerKind.DurableExecution, plan.Trigger.Kind);
        Assert.Null(Parent(plan));
    }

    [Fact]
    public void AnUnreadableArnOrCheckpointSaysWhy()
    {
        using var recorder = new MarkedWarnings("durable");
        Plans.Plan(Event("[" + Checkpoint("_datadog_0", Headers(5, 6)) + "]", "arn:aws:lambda:us-east-1:1:function:f/durable-executions/x"));
        Plans.Plan(Event("[" + Checkpoint("_datadog_0", "\"not json\"") + "]"));
        Plans.Plan(Event("[" + Checkpoint("_datadog_0", Headers(5, 6)) + "]"));
        Assert.Contains(recorder.Messages, m => m.Contains("durable execution", StringComparison.Ordinal) && m.Contains("DurableExecutionArn", StringComparison.Ordinal));
        Assert.Single(recorder.Messages, m => m.Contains("durable checkpoint", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{\"Name\":\"_datadog_1\",\"StepDetails\":\"x\"}")]
    [InlineData("{\"Name\":\"_datadog_1\"}")]
    [InlineData("{\"Name\":\"_datadog_1\",\"StepDetails\":{}}")]
    [InlineData("{\"Name\":\"_datadog_1\",\"StepDetails\":{\"Result\":\"{}\"},\"StepDetails\":5}")]
    [InlineData("{\"Name\":\"_datadog_1\",\"StepDetails\":{\"Result\":\"{}\",\"Result\":null}}")]
    public void ALatestCheckpointWithoutAResultGivesNoContext(string latest)
    {
        var plan = Plans.Plan(Event("[" + Checkpoint("_datadog_0", Headers(7, 8)) + "," + latest + "]"));
        Assert.Null(Parent(plan));
    }

    [Theory]
    [InlineData("[\"_datadog_1\", 5, null, [1, {\"Name\":\"_datadog_2\"}]]")]
    [InlineData("[{\"Name\":5}, {\"Name\":null}, {\"Name\":[\"_datadog_3\"]}, {\"Name\":{\"x\":\"_datadog_3\"}}]")]
    [InlineData("{}")]
    [InlineData("\"_datadog_1\"")]
    public void OperationsThatAreNoCheckpointsAreSkipped(string operations)
    {
        var plan = Plans.Plan(Event(operations));
        Assert.Equal(TriggerKind.DurableExecution, plan.Trigger.Kind);
        Assert.Null(Parent(plan));
        Assert.Equal("my-execution", Plans.TriggerTags(plan)["aws.durable.execution_name"]);
    }

    [Fact]
    public void AnEscapedNameWithAnUnpairedSurrogateIsNoCheckpointAndNoFailure()
    {
        // Found by the hostile-input property test: the reader's own unescaping throws on "\udc00".
        var json = Event("[" + Checkpoint("_datadog_0", Headers(2, 22)) + ",{\"Name\":\"_datadog_9\\udc00\"},{\"Name\":\"\\u005fdatadog_1\",\"StepDetails\":{\"Result\":" + Headers(3, 33) + "}}]");
        var plan = Plans.Plan(json);
        Assert.Equal(TriggerKind.DurableExecution, plan.Trigger.Kind);
        Assert.Equal(((ulong, ulong)?)(3UL, 33UL), Parent(plan));
    }

    [Fact]
    public void TheLastOfDuplicateMembersCountsAsInAPythonDict()
    {
        var operation = "{\"Name\":\"_datadog_9\",\"Name\":\"other\",\"StepDetails\":{\"Result\":" + Headers(1, 11) + "}}";
        var json = Event("[" + Checkpoint("_datadog_0", Headers(2, 22)) + "," + operation + "]");
        Assert.Equal(((ulong, ulong)?)(2UL, 22UL), Parent(Plans.Plan(json)));

        operation = "{\"Name\":\"other\",\"Name\":\"_datadog_9\",\"StepDetails\":{\"Result\":\"x\",\"Result\":" + Headers(1, 11) + "}}";
        json = Event("[" + Checkpoint("_datadog_0", Headers(2, 22)) + "," + operation + "]");
        Assert.Equal(((ulong, ulong)?)(1UL, 11UL), Parent(Plans.Plan(json)));
    }

    [Fact]
    public void ManyOperationsAreReadInOnePass()
    {
        // 20,000 operations, the checkpoint last: linear work, and the count is right.
        var operations = new StringBuilder("[");
        for (var i = 0; i < 20_000; i++)
        {
            operations.Append(i % 2 == 0 ? "{\"Name\":\"step\",\"StepDetails\":{\"Result\":\"{}\"}}," : "{\"Name\":\"_datadog_" + i + "\"},");
        }

        operations.Append(Checkpoint("_datadog_20000", HeadersText(9, 99))).Append(']');
        Assert.Equal(20_001, DurableOperations.Scan(Encoding.UTF8.GetBytes(operations.ToString()), out var checkpoint));
        Assert.Equal(DurableOperations.ResultKind.String, checkpoint.Kind);
        Assert.Equal(((ulong, ulong)?)(9UL, 99UL), Parent(Plans.Plan(Event(operations.ToString()))));
    }

    [Theory]
    [InlineData("{\"headers\":{}}")]
    [InlineData("{\"multiValueHeaders\":null}")]
    [InlineData("{\"request\":{}}")]
    public void AnEventPythonReadsHeadersOfFirstIsNotDurable(string start)
    {
        var json = start[..^1] + ",\"DurableExecutionArn\":\"" + Arn + "\",\"InitialExecutionState\":{\"Operations\":[" + Checkpoint("_datadog_0", Headers(5, 6)) + "]}}";
        var plan = Plans.Plan(json);
        Assert.Equal(TriggerKind.Unknown, plan.Trigger.Kind);
        Assert.Empty(plan.TriggerTags);
        Assert.Null(Parent(plan));
    }

    [Fact]
    public void AnEventAnotherSourceClaimsStaysThatSources()
    {
        var sqs = EventSamples.Load("sqs.json").TrimEnd();
        var json = sqs[..^1] + ",\"DurableExecutionArn\":\"" + Arn + "\"}";
        Assert.Equal(TriggerKind.Sqs, Plans.Plan(json).Trigger.Kind);
    }

    [Fact]
    public void WithoutACheckpointTheClientContextIsRead()
    {
        var context = new DatadogLambdaContext
        {
            InvokedFunctionArn = Plans.PythonTestArn,
            FunctionName = "python-layer-test",
            ClientContextCustom = new Dictionary<string, string> { ["x-datadog-trace-id"] = "41", ["x-datadog-parent-id"] = "42" },
        };
        Assert.Equal(((ulong, ulong)?)(41UL, 42UL), Parent(Plans.Plan(Event("[{}]"), context: context)));

        // A checkpoint's context comes first.
        Assert.Equal(((ulong, ulong)?)(5UL, 6UL), Parent(Plans.Plan(Event("[" + Checkpoint("_datadog_0", Headers(5, 6)) + "]"), context: context)));
    }

    [Fact]
    public void ACustomExtractorReplacesTheCheckpointButTheTagsStay()
    {
        var planner = Plans.Planner(configure: o => o.TraceExtractor = (_, _) => null);
        var plan = planner.Plan(
            Encoding.UTF8.GetBytes(Event("[" + Checkpoint("_datadog_0", Headers(5, 6)) + "]")),
            new DatadogLambdaContext { InvokedFunctionArn = Plans.PythonTestArn, FunctionName = "python-layer-test" },
            ColdStartState.Warm,
            default,
            DateTimeOffset.UtcNow);
        Assert.Null(Parent(plan));
        Assert.Equal("true", Plans.TriggerTags(plan)["aws.durable.first_invocation"]);
    }

    [Fact]
    public void TheCheckpointIsReadWithTheConfiguredStyles()
    {
        var w3c = "{\"traceparent\":\"00-0000000000000000000000000000000a-000000000000000b-01\"}";
        var json = Event("[" + Checkpoint("_datadog_0", JsonSerializer.Serialize(w3c)) + "]");
        Assert.Equal(((ulong, ulong)?)(10UL, 11UL), Parent(Plans.Plan(json)));
        Assert.Null(Parent(Plans.Plan(json, new() { ["DD_TRACE_PROPAGATION_STYLE_EXTRACT"] = "datadog" })));
    }

    [Theory]
    [InlineData("{\"Status\":\"SUCCEEDED\",\"Result\":\"some-result\"}", "SUCCEEDED")]
    [InlineData("{\"Status\":\"FAILED\",\"Error\":\"some-error\"}", "FAILED")]
    [InlineData("{\"Status\":\"PENDING\"}", "PENDING")]
    [InlineData("{\"Status\":\"INVALID\"}", null)]
    [InlineData("{\"Status\":\"succeeded\"}", null)]
    [InlineData("{\"status\":\"SUCCEEDED\"}", null)]
    [InlineData("{\"Status\":1}", null)]
    [InlineData("{\"Result\":\"some-result\"}", null)]
    [InlineData("[\"SUCCEEDED\"]", null)]
    [InlineData("{\"Status\":\"FAILED\",\"Status\":\"SUCCEEDED\"}", "SUCCEEDED")]
    public async Task TheResponsesStatusIsTheExecutionStatus(string response, string? expected)
    {
        using var tracing = new TestTracing();
        using var document = JsonDocument.Parse(response);
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(Event("[{}]")), TestTracing.Context("element"), (_, _) => Task.FromResult(document.RootElement.Clone()));
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(Event("[{}]")), TestTracing.Context("stream"), (_, _) => Task.FromResult<Stream>(new MemoryStream(Encoding.UTF8.GetBytes(response))));
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(Event("[{}]")), TestTracing.Context("text"), (_, _) => Task.FromResult(response));
        Assert.Equal(expected, tracing.LambdaSpan("element").GetTagItem(DurableExecutionSource.ExecutionStatusTag));
        Assert.Equal(expected, tracing.LambdaSpan("stream").GetTagItem(DurableExecutionSource.ExecutionStatusTag));

        // A string result is sent as a JSON string: Python reads the status of a dict only.
        Assert.Null(tracing.LambdaSpan("text").GetTagItem(DurableExecutionSource.ExecutionStatusTag));
    }

    [Fact]
    public async Task ATypedResponsesStatusIsReadThroughItsMetadata()
    {
        using var tracing = new TestTracing(configure: o => o.JsonTypeInfoResolver = DurableJsonContext.Default);
        var durable = Event("[{}]");
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(durable), TestTracing.Context("string"), (_, _) => Task.FromResult(new DurableStringResponse { Status = "PENDING" }));
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(durable), TestTracing.Context("enum"), (_, _) => Task.FromResult(new DurableEnumResponse { Status = DurableStatus.FAILED }));
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(durable), TestTracing.Context("camel"), (_, _) => Task.FromResult(new DurableCamelResponse { Status = "SUCCEEDED" }));
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(durable), TestTracing.Context("other"), (_, _) => Task.FromResult(new DurableEnumResponse { Status = DurableStatus.STOPPED }));
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(durable), TestTracing.Context("sdk"), (_, _) => Task.FromResult(new SdkShapedOutput { Status = SdkShapedStatus.Succeeded }));
        Assert.Equal("PENDING", tracing.LambdaSpan("string").GetTagItem(DurableExecutionSource.ExecutionStatusTag));

        // Shaped as Amazon.Lambda.DurableExecution's output: a PascalCase enum whose converter writes UPPER_SNAKE_CASE.
        Assert.Equal("SUCCEEDED", tracing.LambdaSpan("sdk").GetTagItem(DurableExecutionSource.ExecutionStatusTag));
        Assert.Equal("FAILED", tracing.LambdaSpan("enum").GetTagItem(DurableExecutionSource.ExecutionStatusTag));

        // Serialized as "status": no Status member, as Python's dict would have none.
        Assert.Null(tracing.LambdaSpan("camel").GetTagItem(DurableExecutionSource.ExecutionStatusTag));
        Assert.Null(tracing.LambdaSpan("other").GetTagItem(DurableExecutionSource.ExecutionStatusTag));
    }

    [Fact]
    public async Task TheStatusIsReadAlsoWhenThePayloadIsCaptured()
    {
        using var tracing = new TestTracing(new() { ["DD_CAPTURE_LAMBDA_PAYLOAD"] = "true" }, o => o.JsonTypeInfoResolver = DurableJsonContext.Default);
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(Event("[{}]")), TestTracing.Context(), (_, _) => Task.FromResult(new DurableStringResponse { Status = "SUCCEEDED" }));
        var span = tracing.LambdaSpan("req-1");
        Assert.Equal("SUCCEEDED", span.GetTagItem(DurableExecutionSource.ExecutionStatusTag));
        Assert.Equal("SUCCEEDED", span.GetTagItem("function.response.Status"));
    }

    [Fact]
    public async Task OnlyADurableEventsResponseGivesAStatus()
    {
        using var tracing = new TestTracing();
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream("{\"key\":\"value\"}"), TestTracing.Context("plain"), (_, _) => Task.FromResult("{\"Status\":\"SUCCEEDED\"}"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => DatadogLambda.TraceAsync<string>(tracing.Provider, EventSamples.Stream(Event("[{}]")), TestTracing.Context("thrown"), (_, _) => throw new InvalidOperationException("boom")));
        Assert.Null(tracing.LambdaSpan("plain").GetTagItem(DurableExecutionSource.ExecutionStatusTag));
        Assert.Null(tracing.LambdaSpan("thrown").GetTagItem(DurableExecutionSource.ExecutionStatusTag));
        Assert.Equal("my-execution", tracing.LambdaSpan("thrown").GetTagItem("aws.durable.execution_name"));
    }

    [Fact]
    public async Task TheTagsAndTheCheckpointsContextReachTheSpans()
    {
        using var tracing = new TestTracing();
        var result = await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(EventSamples.Load("durable-execution.json")), TestTracing.Context(), (_, _) => Task.FromResult(JsonDocument.Parse("{\"Status\":\"PENDING\"}").RootElement));
        Assert.Equal("PENDING", result.GetProperty("Status").GetString());
        var span = tracing.LambdaSpan("req-1");
        Assert.Equal("order-123", span.GetTagItem("aws.durable.execution_name"));
        Assert.Equal("550e8400-e29b-41d4-a716-446655440001", span.GetTagItem("aws.durable.execution_id"));
        Assert.Equal("false", span.GetTagItem("aws.durable.first_invocation"));
        Assert.Equal("PENDING", span.GetTagItem(DurableExecutionSource.ExecutionStatusTag));
        Assert.Null(span.GetTagItem("function_trigger.event_source"));
        Assert.Equal(123UL, DatadogIds.Lower64(span.TraceId));
        Assert.Equal(321UL, DatadogIds.ToUInt64(span.ParentSpanId));
    }

    [Theory]
    [InlineData("7", "7")]
    [InlineData("007", "7")]
    [InlineData("0", "")]
    [InlineData("-0", "")]
    [InlineData(" \t12\n", "12")]
    [InlineData("\u001f3\u001c", "3")]
    [InlineData("1_2_3", "123")]
    [InlineData("+4", "4")]
    [InlineData("-4", null)]
    [InlineData("", null)]
    [InlineData(" ", null)]
    [InlineData("+", null)]
    [InlineData("1 2", null)]
    [InlineData("- 1", null)]
    [InlineData("_1", null)]
    [InlineData("1_", null)]
    [InlineData("1__2", null)]
    [InlineData("0x10", null)]
    [InlineData("1e3", null)]
    public void NumbersAreReadAsPythonsIntReadsThem(string text, string? digits)
    {
        var buffer = new byte[DurableOperations.MaxDigits];
        var read = DurableOperations.TryReadNumber(Encoding.UTF8.GetBytes(text), buffer, out var length);
        Assert.Equal(digits is not null, read);
        if (digits is not null)
        {
            Assert.Equal(digits, Encoding.ASCII.GetString(buffer, 0, length));
        }
    }
}

#pragma warning disable CA1707, SA1602 // The enum's members are the durable SDKs' status names.
public enum DurableStatus
{
    SUCCEEDED,
    FAILED,
    PENDING,
    STOPPED,
}
#pragma warning restore CA1707, SA1602

public sealed class DurableStringResponse
{
    public string? Status { get; set; }
}

public sealed class DurableEnumResponse
{
    [JsonConverter(typeof(JsonStringEnumConverter<DurableStatus>))]
    public DurableStatus Status { get; set; }
}

public sealed class DurableCamelResponse
{
    [JsonPropertyName("status")]
    public string? Status { get; set; }
}

/// <summary>The status of Amazon.Lambda.DurableExecution's <c>InvocationStatus</c>: PascalCase members.</summary>
public enum SdkShapedStatus
{
    Succeeded,
    Failed,
    Pending,
}

/// <summary>Shaped as Amazon.Lambda.DurableExecution's <c>DurableExecutionInvocationOutput</c>.</summary>
public sealed class SdkShapedOutput
{
    [JsonPropertyName("Status")]
    [JsonConverter(typeof(UpperCaseEnumConverter<SdkShapedStatus>))]
    public SdkShapedStatus Status { get; set; }

    [JsonPropertyName("Result")]
    public string? Result { get; set; }
}

/// <summary>Writes an enum member upper-cased, as the SDK's UpperSnakeCaseEnumConverter writes one-word members.</summary>
public sealed class UpperCaseEnumConverter<T> : JsonConverter<T>
    where T : struct, Enum
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Enum.Parse<T>(reader.GetString()!, ignoreCase: true);

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString().ToUpperInvariant());
}

[JsonSerializable(typeof(SdkShapedOutput))]
[JsonSerializable(typeof(DurableStringResponse))]
[JsonSerializable(typeof(DurableEnumResponse))]
[JsonSerializable(typeof(DurableCamelResponse))]
internal sealed partial class DurableJsonContext : JsonSerializerContext
{
}
