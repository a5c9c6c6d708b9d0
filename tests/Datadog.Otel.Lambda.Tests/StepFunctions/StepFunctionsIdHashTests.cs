// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.StepFunctions;

namespace Datadog.Otel.Lambda.Tests.StepFunctions;

public class StepFunctionsIdHashTests
{
    [Fact]
    public void LowerAndHigherOfTheSpecString()
    {
        Assert.True(StepFunctionsIdHash.TryHash("some_testing_random_string", out var higher, out var lower));
        Assert.Equal(7456137785171041414UL, lower); // PY test
        Assert.Equal(4364271812988819936UL, higher); // JS test
    }

    [Theory]
    [InlineData("arn:aws:states:sa-east-1:425362996713:stateMachine:MyStateMachine-b276uka1j#lambda#1", 3711631873188331089UL)]
    [InlineData("arn:aws:states:sa-east-1:425362996713:stateMachine:MyStateMachine-b276uka1j#lambda#2", 5759173372325510050UL)]
    [InlineData("arn:aws:states:sa-east-1:601427271234:express:DatadogStateMachine:acaf1a67-336a-e854-1599-2a627eb2dd8a:c8baf081-31f1-464d-971f-70cb17d01111#step-one#2022-12-08T21:08:19.224Z", 4340734536022949921UL)]
    public void HigherOfSpecStrings(string text, ulong expected)
    {
        Assert.True(StepFunctionsIdHash.TryHash(text, out var higher, out _));
        Assert.Equal(expected, higher);
    }

    [Fact]
    public void ResultsAreAlways63Bit()
    {
        for (var i = 0; i < 2000; i++)
        {
            Assert.True(StepFunctionsIdHash.TryHash($"execution-{i}", out var higher, out var lower));
            Assert.InRange(higher, 1UL, (ulong)long.MaxValue);
            Assert.InRange(lower, 1UL, (ulong)long.MaxValue);
        }
    }

    [Fact]
    public void ParentIdMatchesTheJoinedTextHash()
    {
        Assert.True(StepFunctionsIdHash.TryParentId("exec", "state", "time", 0, 0, out var plain));
        Assert.True(StepFunctionsIdHash.TryHash("exec#state#time", out var expectedPlain, out _));
        Assert.Equal(expectedPlain, plain);

        Assert.True(StepFunctionsIdHash.TryParentId("exec", "state", "time", 3, 0, out var retried));
        Assert.True(StepFunctionsIdHash.TryHash("exec#state#time#3#0", out var expectedRetried, out _));
        Assert.Equal(expectedRetried, retried);

        Assert.True(StepFunctionsIdHash.TryParentId("exec", "state", "time", long.MinValue, long.MaxValue, out var extreme));
        Assert.True(StepFunctionsIdHash.TryHash("exec#state#time#-9223372036854775808#9223372036854775807", out var expectedExtreme, out _));
        Assert.Equal(expectedExtreme, extreme);
    }

    [Fact]
    public void NonAsciiIsHashedAsUtf8AndLongTextUsesThePool()
    {
        var state = "état-" + new string('é', 400); // more than the 512-byte stack buffer once encoded
        Assert.True(StepFunctionsIdHash.TryParentId("arn:exec", state, "t", 0, 0, out var parent));
        Assert.True(StepFunctionsIdHash.TryHash("arn:exec#" + state + "#t", out var expected, out _));
        Assert.Equal(expected, parent);
    }

    [Fact]
    public void HashingDoesNotAllocate()
    {
        const string execution = "arn:aws:states:sa-east-1:425362996713:execution:abhinav-activity-state-machine:72a7ca3e-901c-41bb-b5a3-5f279b92a316";
        StepFunctionsIdHash.TryParentId(execution, "Lambda Invoke", "2024-12-04T19:38:04.118Z", 1, 2, out _);
        StepFunctionsIdHash.TryHash(execution, out _, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            StepFunctionsIdHash.TryParentId(execution, "Lambda Invoke", "2024-12-04T19:38:04.118Z", 1, 2, out _);
            StepFunctionsIdHash.TryHash(execution, out _, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void TextBeyondTheBoundIsRefused()
    {
        var huge = new string('a', StepFunctionsIdHash.MaxInputBytes + 1);
        Assert.False(StepFunctionsIdHash.TryHash(huge, out _, out _));
        Assert.False(StepFunctionsIdHash.TryParentId(huge, "s", "t", 0, 0, out _));
        Assert.True(StepFunctionsIdHash.TryHash(new string('a', StepFunctionsIdHash.MaxInputBytes), out _, out _));
    }
}
