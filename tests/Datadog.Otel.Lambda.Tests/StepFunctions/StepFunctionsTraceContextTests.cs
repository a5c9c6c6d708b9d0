// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.StepFunctions;

namespace Datadog.Otel.Lambda.Tests.StepFunctions;

/// <summary>Every vector of spec section 1.7, with the inputs of the PY/JS tests they come from.</summary>
public class StepFunctionsTraceContextTests
{
    private const string ActivityExecution = "arn:aws:states:sa-east-1:425362996713:execution:abhinav-activity-state-machine:72a7ca3e-901c-41bb-b5a3-5f279b92a316";
    private const string JsLegacyExecution = "arn:aws:states:sa-east-1:425362996713:express:logs-to-traces-sequential:85a9933e-9e11-83dc-6a61-b92367b6c3be:3f7ef5c7-c8b8-4c88-90a1-d54aa7e7e2bf";
    private const string InnerStateMachine = "arn:aws:states:sa-east-1:425362996713:execution:abhinav-inner-state-machine:";

    [Fact]
    public void LegacyWithoutCounts()
    {
        var context = Create(new() { ExecutionId = ActivityExecution, StateName = "Lambda Invoke", StateEnteredTime = "2024-12-04T19:38:04.118Z" });

        Assert.Equal(StepFunctionsTraceSource.Execution, context.Source);
        Assert.Equal(435175499815315247UL, context.TraceIdLower);
        Assert.Equal("3e7a89d1b7310603", context.Tid);
        Assert.Equal(3929055471293792800UL, context.ParentSpanId);
        Assert.Equal(1, StepFunctionsTraceContext.SamplingPriority);
    }

    [Fact]
    public void RedriveCountAddsTheCountsSuffix()
    {
        var context = Create(new() { ExecutionId = ActivityExecution, StateName = "Lambda Invoke", StateEnteredTime = "2024-12-04T19:38:04.118Z", RedriveCount = 1 });
        Assert.Equal(435175499815315247UL, context.TraceIdLower);
        Assert.Equal(8782364156266188026UL, context.ParentSpanId); // suffix #0#1
    }

    [Fact]
    public void RetryCountAddsTheCountsSuffix()
    {
        // Computed value (suffix #1#0). The PY test file says 5063839446130725204, which is the hash with
        // suffix "#1" only; that assertion is not enforced there (Context.__eq__ ignores span_id).
        var context = Create(new() { ExecutionId = ActivityExecution, StateName = "Lambda Invoke", StateEnteredTime = "2024-12-04T19:38:04.118Z", RetryCount = 1 });
        Assert.Equal(5324109749361013132UL, context.ParentSpanId);
        Assert.True(StepFunctionsIdHash.TryHash(ActivityExecution + "#Lambda Invoke#2024-12-04T19:38:04.118Z#1", out var pyValue, out _));
        Assert.Equal(5063839446130725204UL, pyValue);
    }

    [Fact]
    public void JsLegacyEventWithRetries()
    {
        var context = Create(new() { ExecutionId = JsLegacyExecution, StateName = "step-one", StateEnteredTime = "2022-12-08T21:08:19.224Z", RetryCount = 2 });
        Assert.Equal(1139193989631387307UL, context.TraceIdLower);
        Assert.Equal(7747304477664363642UL, context.ParentSpanId);
    }

    [Fact]
    public void JsNestedRootExecution()
    {
        var context = Create(new()
        {
            ExecutionId = JsLegacyExecution,
            StateName = "step-one",
            StateEnteredTime = "2022-12-08T21:08:19.224Z",
            RetryCount = 2,
            RootExecutionId = "arn:aws:states:sa-east-1:425362996713:express:logs-to-traces-sequential:a1b2c3d4-e5f6-7890-1234-56789abcdef0:9f8e7d6c-5b4a-3c2d-1e0f-123456789abc",
            ServerlessVersion = "v1",
        });
        Assert.Equal(StepFunctionsTraceSource.RootExecution, context.Source);
        Assert.Equal(8676990472248253142UL, context.TraceIdLower);
        Assert.Equal(7747304477664363642UL, context.ParentSpanId);
    }

    [Fact]
    public void JsLambdaRoot()
    {
        var context = Create(new()
        {
            ExecutionId = JsLegacyExecution,
            StateName = "step-one",
            StateEnteredTime = "2022-12-08T21:08:19.224Z",
            RetryCount = 2,
            ServerlessVersion = "v1",
            UpstreamTraceId = "10593586103637578129",
            UpstreamTags = "_dd.p.dm=-0,_dd.p.tid=6734e7c300000000",
        });
        Assert.Equal(StepFunctionsTraceSource.UpstreamLambda, context.Source);
        Assert.Equal(10593586103637578129UL, context.TraceIdLower);
        Assert.Equal("6734e7c300000000", context.Tid);
        Assert.Equal(7747304477664363642UL, context.ParentSpanId);
    }

    [Fact]
    public void PyJsonataLambdaRoot()
    {
        var context = Create(new()
        {
            ExecutionId = "665c417c-1237-4742-aaca-8b3becbb9e75",
            StateName = "my-awesome-state",
            StateEnteredTime = "Mon Nov 13 12:43:33 PST 2023",
            ServerlessVersion = "v1",
            UpstreamTraceId = "5821803790426892636",
            UpstreamTags = "_dd.p.dm=-0,_dd.p.tid=672a7cb100000000",
        });
        Assert.Equal(5821803790426892636UL, context.TraceIdLower);
        Assert.Equal("672a7cb100000000", context.Tid);
        Assert.Equal(6880978411788117524UL, context.ParentSpanId);
    }

    [Fact]
    public void PyJsonataStateMachineRoot()
    {
        var context = Create(new()
        {
            ExecutionId = "665c417c-1237-4742-aaca-8b3becbb9e75",
            StateName = "my-awesome-state",
            StateEnteredTime = "Mon Nov 13 12:43:33 PST 2023",
            ServerlessVersion = "v1",
            RootExecutionId = "4875aba4-ae31-4a4c-bf8a-63e9eee31dad",
        });
        Assert.Equal(4521899030418994483UL, context.TraceIdLower);
        Assert.Equal("12d1270d99cc5e03", context.Tid);
        Assert.Equal(6880978411788117524UL, context.ParentSpanId);
    }

    [Fact]
    public void PyLegacyWithExecutionInputDatadog()
    {
        var context = Create(new()
        {
            ExecutionId = "arn:aws:states:sa-east-1:425362996713:execution:rstrat-sfn-lambda-jsonpath-demo-dev-state-machine:7d67bd1e-57df-4021-8b52-f55d5cad1169",
            StateName = "InvokeDownstreamSecond",
            StateEnteredTime = "2026-05-01T18:13:16.310Z",
            UpstreamTraceId = "12766418539254701015",
            UpstreamTags = "_dd.p.dm=-0,_dd.p.tid=69f4ed3a00000000",
        });
        Assert.Equal(StepFunctionsTraceSource.LegacyUpstream, context.Source);
        Assert.Equal(12766418539254701015UL, context.TraceIdLower);
        Assert.Equal("69f4ed3a00000000", context.Tid);
        Assert.Equal(5718818197702795437UL, context.ParentSpanId);
    }

    [Theory]
    // Trace ids and tids are enforced by the PY tests; the parent ids are computed (the PY test files list
    // values above 2^63 that the algorithm cannot produce, and do not enforce them). The PY tid of the
    // EventBridge case is "a49ff3b7fb47b0b" (unpadded); we always pad to 16.
    [InlineData("912eaa4c-291a-488a-bda3-d06bcc21203d", "EventBridge PutEvents", "2025-03-13T15:17:34.008Z", 3401561763239692811UL, "0a49ff3b7fb47b0b", 2153517518581064194UL)]
    [InlineData("11623e4f-70ee-4330-8fbe-955152dea54c", "SNS Publish", "2025-03-13T15:19:14.061Z", 1459500239678510857UL, "0fafc98885fd4647", 4266287755575080658UL)]
    [InlineData("79478846-0cff-44de-91f5-02c96ff65762", "SNS Publish", "2025-03-13T15:01:49.768Z", 3818106616964044169UL, "3a4fd1a254eb514a", 325381182429965316UL)]
    [InlineData("fe087266-fe48-4a31-a21b-691f4e7ea985", "EventBridge PutEvents", "2025-03-13T15:14:21.765Z", 6527209323865742984UL, "2ee7d9862d048173", 4310287065445077138UL)]
    [InlineData("37ff72b8-0ee0-49e2-93c0-8a1764206a03", "SNS Publish", "2025-03-13T15:29:26.182Z", 5708348677301000120UL, "45457f5f3fde3fa1", 3647352300387604216UL)]
    public void PyStateMachineThroughMessaging(string execution, string state, string entered, ulong trace, string tid, ulong parent)
    {
        var arn = InnerStateMachine + execution;
        var context = Create(new() { ExecutionId = arn, StateName = state, StateEnteredTime = entered, RootExecutionId = arn, ServerlessVersion = "v1" });
        Assert.Equal(trace, context.TraceIdLower);
        Assert.Equal(tid, context.Tid);
        Assert.Equal(parent, context.ParentSpanId);
    }

    [Fact]
    public void TraceIdIsTidThenLower()
    {
        var context = Create(new() { ExecutionId = ActivityExecution, StateName = "Lambda Invoke", StateEnteredTime = "2024-12-04T19:38:04.118Z" });
        Assert.Equal("3e7a89d1b7310603060a0dcfb971e72f", context.TraceId.ToHexString());
        Assert.Equal("3686cf2255458220", context.SpanId.ToHexString());
    }

    [Fact]
    public void UpstreamTraceIdWinsOverTheRootExecution()
    {
        // Python's order (Node.js takes RootExecutionId first).
        var context = Create(new()
        {
            ExecutionId = "e",
            StateName = "s",
            StateEnteredTime = "t",
            ServerlessVersion = "v1",
            RootExecutionId = "4875aba4-ae31-4a4c-bf8a-63e9eee31dad",
            UpstreamTraceId = "123",
        });
        Assert.Equal(StepFunctionsTraceSource.UpstreamLambda, context.Source);
        Assert.Equal(123UL, context.TraceIdLower);
    }

    [Fact]
    public void InvalidUpstreamTraceIdFallsBackToTheRootExecutionInV1()
    {
        var context = Create(new()
        {
            ExecutionId = "e",
            StateName = "s",
            StateEnteredTime = "t",
            ServerlessVersion = "v1",
            RootExecutionId = "4875aba4-ae31-4a4c-bf8a-63e9eee31dad",
            UpstreamTraceId = "not-a-number",
        });
        Assert.Equal(StepFunctionsTraceSource.RootExecution, context.Source);
        Assert.Equal(4521899030418994483UL, context.TraceIdLower);
    }

    [Fact]
    public void UpstreamWithoutTagsHasNoTid()
    {
        var context = Create(new() { ExecutionId = "e", StateName = "s", StateEnteredTime = "t", ServerlessVersion = "v1", UpstreamTraceId = "42" });
        Assert.Equal(42UL, context.TraceIdLower);
        Assert.Equal(0UL, context.TraceIdUpper);
        Assert.Null(context.Tid);
        Assert.Equal("0000000000000000000000000000002a", context.TraceId.ToHexString());
    }

    [Fact]
    public void V1WithNothingUpstreamHasNoContext()
    {
        Assert.False(StepFunctionsTraceContext.TryCreate(new() { ExecutionId = "e", StateName = "s", StateEnteredTime = "t", ServerlessVersion = "v1" }, out _));
    }

    [Fact]
    public void OtherServerlessVersionsAreLegacy()
    {
        var context = Create(new() { ExecutionId = ActivityExecution, StateName = "Lambda Invoke", StateEnteredTime = "2024-12-04T19:38:04.118Z", ServerlessVersion = "v2", RootExecutionId = "ignored" });
        Assert.Equal(StepFunctionsTraceSource.Execution, context.Source);
        Assert.Equal(435175499815315247UL, context.TraceIdLower);
    }

    [Theory]
    [InlineData("not-a-number")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("18446744073709551616")]
    [InlineData("")]
    public void InvalidUpstreamTraceIdFallsBackToTheExecutionHashInLegacy(string upstream)
    {
        var context = Create(new() { ExecutionId = ActivityExecution, StateName = "Lambda Invoke", StateEnteredTime = "2024-12-04T19:38:04.118Z", UpstreamTraceId = upstream });
        Assert.Equal(StepFunctionsTraceSource.Execution, context.Source);
        Assert.Equal(435175499815315247UL, context.TraceIdLower);
        Assert.False(StepFunctionsTraceContext.TryCreate(new() { ExecutionId = "e", StateName = "s", StateEnteredTime = "t", ServerlessVersion = "v1", UpstreamTraceId = upstream }, out _));
    }

    [Fact]
    public void MissingExecutionIdHasNoContext()
    {
        Assert.False(StepFunctionsTraceContext.TryCreate(new() { ExecutionId = string.Empty, StateName = "s", StateEnteredTime = "t" }, out _));
        Assert.False(StepFunctionsTraceContext.TryCreate(new() { ExecutionId = null!, StateName = "s", StateEnteredTime = "t" }, out _));
        Assert.False(StepFunctionsTraceContext.TryCreate(new() { ExecutionId = new string('x', 20_000), StateName = "s", StateEnteredTime = "t" }, out _));
    }

    [Theory]
    [InlineData("_dd.p.dm=-0,_dd.p.tid=672a7cb100000000", 0x672a7cb100000000UL)]
    [InlineData(" _dd.p.tid = 672A7CB100000000 ", 0x672a7cb100000000UL)]
    [InlineData("_dd.p.tid=a49ff3b7fb47b0b", 0x0a49ff3b7fb47b0bUL)] // 15 digits, as Python's own Step Functions root writes it
    [InlineData("_dd.p.dm=-0,_dd.p.tid=1", 1UL)]
    [InlineData("_dd.p.tid=672a7cb1000000001", 0UL)] // 17 digits
    [InlineData("_dd.p.tid=0x672a7cb1", 0UL)]
    [InlineData("_dd.p.tid=+672a7cb1", 0UL)]
    [InlineData("_dd.p.tid=-672a7cb1", 0UL)]
    [InlineData("_dd.p.tid=672a_7cb1", 0UL)]
    [InlineData("_dd.p.tid=672a 7cb1", 0UL)]
    [InlineData("_dd.p.tid=", 0UL)]
    [InlineData("_dd.p.tid=zz2a7cb100000000", 0UL)]
    [InlineData("x_dd.p.tid=672a7cb100000000", 0UL)]
    [InlineData("_dd.p.dm=-0", 0UL)]
    [InlineData("", 0UL)]
    [InlineData(null, 0UL)]
    public void TidParsing(string? tags, ulong expected)
    {
        Assert.Equal(expected, StepFunctionsTraceContext.ParseTid(tags));
    }

    private static StepFunctionsTraceContext Create(StepFunctionsContextFields fields)
    {
        Assert.True(StepFunctionsTraceContext.TryCreate(fields, out var context));
        return context;
    }
}
