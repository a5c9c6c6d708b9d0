// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.ExtensionEmulator.Tests.TestSupport;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Tests.Server;

/// <summary>The waits complete on arrival and time out with a description of what did arrive.</summary>
public class WaitTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task WaitForTrace_CompletesWhenAMatchingTraceArrivesAfterTheCall()
    {
        await using var emulator = await ExtensionEmulator.StartAsync();

        var wait = emulator.WaitForTraceAsync(t => t.Spans.Any(s => s.OtelName == "second"), Generous);
        Assert.False(wait.IsCompleted);
        await Post(emulator, "first", traceLow: 1);
        Assert.False(wait.IsCompleted);
        await Post(emulator, "second", traceLow: 2);

        var trace = await wait;
        Assert.Equal(2UL, trace.TraceId);
    }

    [Fact]
    public async Task WaitForTrace_CompletesAtOnceWhenTheTraceIsAlreadyThere()
    {
        await using var emulator = await ExtensionEmulator.StartAsync();
        await Post(emulator, "first", traceLow: 1);

        var wait = emulator.WaitForTraceAsync(t => t.TraceId == 1, TimeSpan.Zero);

        Assert.True(wait.IsCompletedSuccessfully);
        Assert.Equal(1UL, (await wait).TraceId);
    }

    [Fact]
    public async Task WaitForSpans_ReturnsAllMatchesOnceEnoughArrived()
    {
        await using var emulator = await ExtensionEmulator.StartAsync();

        var wait = emulator.WaitForSpansAsync(s => s.OtelName.StartsWith("op", StringComparison.Ordinal), 2, Generous);
        await Post(emulator, "op1", traceLow: 1);
        Assert.False(wait.IsCompleted);
        await Post(emulator, "other", traceLow: 2);
        Assert.False(wait.IsCompleted);
        await Post(emulator, "op2", traceLow: 3);

        Assert.Equal(["op1", "op2"], (await wait).Select(s => s.OtelName));
    }

    [Fact]
    public async Task WaitForTrace_TimesOutDescribingWhatArrived()
    {
        await using var emulator = await ExtensionEmulator.StartAsync();
        await Post(emulator, "unrelated", traceLow: 77);
        using var bad = await EmulatorClient.PostAsync(emulator.TracesEndpoint, [0xFF], "application/x-protobuf");

        var exception = await Assert.ThrowsAsync<TimeoutException>(() => emulator.WaitForTraceAsync(t => t.TraceId == 1, TimeSpan.FromMilliseconds(100)));

        Assert.Contains("No trace matched", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Received 2 request(s), 1 span(s) in 1 trace(s)", exception.Message, StringComparison.Ordinal);
        Assert.Contains("trace 77 priority none spans 1", exception.Message, StringComparison.Ordinal);
        Assert.Contains("-> 500", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForSpans_TimesOutWithTheMatchCount()
    {
        await using var emulator = await ExtensionEmulator.StartAsync();
        await Post(emulator, "op", traceLow: 1);

        var exception = await Assert.ThrowsAsync<TimeoutException>(() => emulator.WaitForSpansAsync(_ => true, 3, TimeSpan.FromMilliseconds(50)));

        Assert.Contains("Fewer than 3 span(s)", exception.Message, StringComparison.Ordinal);
        Assert.Contains("(1 did)", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Waits_AreCancellableAndFailWhenTheEmulatorIsDisposed()
    {
        var emulator = await ExtensionEmulator.StartAsync();
        using var cancellation = new CancellationTokenSource();
        var cancelled = emulator.WaitForTraceAsync(_ => true, Generous, cancellation.Token);
        var pending = emulator.WaitForTraceAsync(_ => true, Generous);

        await cancellation.CancelAsync();
        await emulator.DisposeAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => pending);
    }

    [Fact]
    public async Task AThrowingPredicateFailsOnlyItsWait()
    {
        await using var emulator = await ExtensionEmulator.StartAsync();
        var throwing = emulator.WaitForTraceAsync(_ => throw new InvalidOperationException("predicate"), Generous);

        await Post(emulator, "op", traceLow: 1);

        await Assert.ThrowsAsync<InvalidOperationException>(() => throwing);
        Assert.Single(emulator.Spans);
    }

    private static async Task Post(ExtensionEmulator emulator, string name, ulong traceLow)
    {
        var body = OtlpProto.Request("svc", "scope", padLengths: false, OtlpProto.Span(name, OtlpModel.TraceId(0, traceLow), OtlpModel.SpanId(traceLow + 100)));
        using var response = await EmulatorClient.PostAsync(emulator.TracesEndpoint, body, "application/x-protobuf");
        response.EnsureSuccessStatusCode();
    }
}
