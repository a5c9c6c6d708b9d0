// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Propagation;

namespace Datadog.Otel.Lambda.Tests.Propagation;

/// <summary>The <c>dd</c> tracestate member as the carrier of Datadog state inside OpenTelemetry.</summary>
public class DatadogTraceStateTests
{
    [Theory]
    [InlineData(null, 1, "-0", "dd=s:1;t.dm:-0")]
    [InlineData("", 2, "-3", "dd=s:2;t.dm:-3")]
    [InlineData("foo=1", 1, "-0", "dd=s:1;t.dm:-0,foo=1")]
    [InlineData("dd=o:rum;t.usr.id:5,foo=1", 1, "-0", "dd=s:1;o:rum;t.dm:-0;t.usr.id:5,foo=1")]
    [InlineData("a=1,dd=s:1;o:rum;p:0000000000000005;t.dm:-4;t.x:y,b=2", -1, null, "dd=s:-1;o:rum;t.x:y,a=1,b=2")]
    [InlineData("dd=s:0;t.dm:-1", 2, "-3", "dd=s:2;t.dm:-3")]
    public void WithDecision_SetsPriorityAndDecisionMakerAndKeepsTheRest(string? traceState, int priority, string? decisionMaker, string expected)
    {
        Assert.Equal(expected, DatadogTraceState.WithDecision(traceState, priority, decisionMaker));
    }

    [Theory]
    [InlineData("dd=s:2", 2)]
    [InlineData("foo=1,dd=o:rum;s:-1", -1)]
    [InlineData("foo=s:2", null)]
    [InlineData("dd=s:two", null)]
    [InlineData(null, null)]
    public void TryGetPriority(string? traceState, int? expected)
    {
        Assert.Equal(expected, DatadogTraceState.TryGetPriority(traceState, out var priority) ? priority : null);
    }

    [Fact]
    public void GetOrigin_DecodesTilde()
    {
        Assert.Equal("a=b", DatadogTraceState.GetOrigin("dd=o:a~b"));
        Assert.Null(DatadogTraceState.GetOrigin("dd=s:1"));
    }
}
