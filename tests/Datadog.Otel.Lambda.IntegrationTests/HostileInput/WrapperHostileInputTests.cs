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
        var cases = Gen.Sample(Gen.OneOf(HostileEvents.MutatedCorpus(), HostileEvents.MessageAttributes(), HostileEvents.Payloads()), ReliabilityFigures.WrapperCases);

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

        var lambdas = await harness.Emulator.WaitForSpansAsync(s => s.Name == "aws.lambda", ran, EmulatorHarness.Wait);
        Assert.Equal(ran, lambdas.Select(s => s.GetMeta("request_id")).Distinct().Count());
        ReliabilityFigures.Record("hostile.WrapperCases", ran);
    }
}
