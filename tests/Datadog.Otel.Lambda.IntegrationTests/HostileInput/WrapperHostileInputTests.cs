// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.IntegrationTests.Reliability;
using Datadog.Otel.Lambda.IntegrationTests.TestSupport;
using FsCheck.Fluent;

namespace Datadog.Otel.Lambda.IntegrationTests.HostileInput;

/// <summary>
/// Hostile events through the whole wrapper with every capture on, exporting to the extension emulator: the handler
/// sees the exact bytes it was given, its result comes back unchanged, and an <c>aws.lambda</c> span is exported for
/// every invocation, whatever the event.
/// </summary>
[Collection("Tracing")]
public class WrapperHostileInputTests
{
    [Fact]
    public async Task HandlerSeesItsEventAndReturnsItsResultWhateverTheEvent()
    {
        await using var harness = await EmulatorHarness.StartAsync(new()
        {
            ["DD_CAPTURE_LAMBDA_PAYLOAD"] = "true",
            ["DD_MERGE_XRAY_TRACES"] = "true",
            ["DD_TRACE_PROPAGATION_STYLE"] = "datadog,tracecontext,b3multi,b3,xray,baggage",
        });
        // The same fixed seed as the properties, so that a failure can be replayed.
        var cases = new List<HostileCase>();
        PropertyRun.Check(Gen.OneOf(HostileEvents.MutatedCorpus(), HostileEvents.MessageAttributes(), HostileEvents.Payloads()), ReliabilityFigures.WrapperCases, cases.Add);
        using var diagnostics = new DiagnosticsRecorder();

        var ran = 0;
        foreach (var hostile in cases)
        {
            var id = "hostile-" + ran;
            var result = await DatadogLambda.TraceAsync(harness.Provider, new MemoryStream(hostile.Bytes), EmulatorHarness.Context(id), async (stream, _) =>
            {
                using var copy = new MemoryStream();
                await stream.CopyToAsync(copy);
                Assert.Equal(hostile.Bytes, copy.ToArray());
                return id;
            });
            Assert.Equal(id, result);
            ran++;
        }

        try
        {
            await harness.Emulator.WaitForSpansAsync(s => s.Name == "aws.lambda", ran, EmulatorHarness.Wait);
        }
        catch (TimeoutException)
        {
            var arrived = harness.Emulator.Spans.Where(s => s.Name == "aws.lambda").Select(s => s.GetMeta("request_id")).ToHashSet();
            var missing = Enumerable.Range(0, ran).Where(i => !arrived.Contains("hostile-" + i)).Select(i => cases[i].ToString()).ToList();
            Assert.Fail($"no aws.lambda span for {missing.Count} invocation(s): {string.Join("\n", missing)}\ndiagnostics: {string.Join("\n", diagnostics.Messages.Take(20))}");
        }

        ReliabilityFigures.Record("hostile.WrapperCases", ran);
    }
}
