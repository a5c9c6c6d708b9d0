// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using System.Text.Json.Nodes;
using Datadog.Otel.Lambda.Differential.Tests.Interop.StandIns.EventBridge;
using OpenTelemetry.Trace;
using Xunit.Abstractions;

namespace Datadog.Otel.Lambda.Differential.Tests.Interop;

/// <summary>
/// EventBridge between this library and Datadog's Node.js libraries, both ways. No EventBridge emulator exists here
/// (nothing on npm or apt serves PutEvents on loopback and delivers to a target), so the producer's SDK sends PutEvents to
/// a recording server on loopback that answers as EventBridge does (<c>FailedEntryCount</c> 0 and an event id); the
/// entry exactly as the SDK sent it (its <c>Detail</c>, with the <c>_datadog</c> carrier the tracer injected) becomes the
/// event a rule's target receives, and the consumer continues the trace from its <c>aws.eventbridge</c> inferred span.
/// <para>
/// Real: the Node AWS SDK v3 with dd-trace (its EventBridge plugin injects into the first entry's <c>Detail</c>),
/// datadog-lambda-js, this library's wrapper and AWS SDK instrumentation in AWSSDK.Core's pipeline, the HTTP requests.
/// Built by hand: EventBridge's delivery (the event envelope around the sent entry); on this library's side the client,
/// since AWSSDK.EventBridge is not in this registry: <see cref="EventBridgeStandInClient"/> is AWSSDK.Core's real client
/// and pipeline with PutEvents marshalled as the package's generated marshaller does.
/// </para>
/// </summary>
[Trait("Category", "Slow")]
[Collection("Tracing")]
public sealed class EventBridgeInteropTests(InteropFixture fixture, ITestOutputHelper output) : IClassFixture<InteropFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task OurEventContinuesInDatadogLambdaJs()
    {
        var eventId = Guid.NewGuid().ToString();
        await using var eventBridge = await StartEventBridgeAsync(eventId);

        var producer = await fixture.Ours.RunAsync(
            InteropCases.Producer(InteropCases.Unique("eventbridge-producer"), "1"),
            xrayDaemonAddress: null,
            instrument: b => b.AddDatadogAwsSdkInstrumentation(),
            work: async () =>
            {
                using var client = new EventBridgeStandInClient(eventBridge.BaseAddress);
                await client.SendAsync(new PutEventsRequest { Entries = [new PutEventsRequestEntry("com.shop.orders", "OrderPlaced", "{\"orderId\":\"o-5\"}", "orders-bus")] });
            });
        var entry = await SentEntryAsync(eventBridge, "o-5");

        var consumer = await fixture.Node.RunAsync(InteropCases.Consumer(InteropCases.Unique("eventbridge-node"), "eventbridge", InteropEvents.EventBridge(entry, eventId)), null);

        output.WriteLine(Continuity.Describe(producer.Spans.Concat(consumer.Spans)));
        var put = Assert.Single(producer.Spans, s => s.Resource == "EventBridge.PutEvents");
        Continuity.AssertContinues(producer.Spans, put, consumer.Spans, ["aws.eventbridge"], 2);
    }

    [Fact]
    public async Task DdTraceEventContinuesInOurWrapper()
    {
        var eventId = Guid.NewGuid().ToString();
        await using var eventBridge = await StartEventBridgeAsync(eventId);
        var call = new JsonObject
        {
            ["aws"] = new JsonObject
            {
                ["client"] = "eventbridge",
                ["endpoint"] = eventBridge.BaseAddress.ToString(),
                ["command"] = "PutEventsCommand",
                ["input"] = new JsonObject
                {
                    ["Entries"] = new JsonArray(new JsonObject
                    {
                        ["Source"] = "com.shop.orders",
                        ["DetailType"] = "OrderPlaced",
                        ["Detail"] = "{\"orderId\":\"o-6\"}",
                        ["EventBusName"] = "orders-bus",
                    }),
                },
            },
        };

        var producer = await fixture.Node.RunProducerAsync(InteropCases.Unique("eventbridge-dd-trace"), call, InteropCases.NodeProducer("1"));
        Assert.Null(producer.Result.Error);
        var entry = await SentEntryAsync(eventBridge, "o-6");

        var consumer = await fixture.Ours.RunAsync(InteropCases.Consumer(InteropCases.Unique("eventbridge-ours"), "eventbridge", InteropEvents.EventBridge(entry, eventId)), null);

        output.WriteLine(Continuity.Describe(producer.Spans.Concat(consumer.Spans)));
        Continuity.AssertContinues(producer.Spans, Continuity.DdTraceAwsClient(producer.Spans, "putEvents"), consumer.Spans, ["aws.eventbridge"], 2);
    }

    /// <summary>EventBridge's answer to PutEvents (AWS JSON 1.1): every entry accepted, with the given event id.</summary>
    private static Task<RecordingServer> StartEventBridgeAsync(string eventId) =>
        RecordingServer.StartAsync(_ => new RecordedAnswer(200, "application/x-amz-json-1.1", $"{{\"FailedEntryCount\":0,\"Entries\":[{{\"EventId\":\"{eventId}\"}}]}}"));

    /// <summary>The one entry of the PutEvents request as the SDK sent it; its Detail keeps the user's data and has the carrier.</summary>
    private static async Task<JsonElement> SentEntryAsync(RecordingServer eventBridge, string orderId)
    {
        var request = await eventBridge.WaitForRequestAsync(Wait);
        Assert.Equal("AWSEvents.PutEvents", request.Header("X-Amz-Target"));
        var entry = Assert.Single(JsonDocument.Parse(request.Body).RootElement.GetProperty("Entries").EnumerateArray()).Clone();
        var detail = JsonDocument.Parse(entry.GetProperty("Detail").GetString()!).RootElement;
        Assert.Equal(orderId, detail.GetProperty("orderId").GetString());
        Assert.Equal(JsonValueKind.Object, detail.GetProperty("_datadog").ValueKind);
        return entry;
    }
}
