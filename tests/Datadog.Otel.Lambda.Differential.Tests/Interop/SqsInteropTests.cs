// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json.Nodes;
using OpenTelemetry.Trace;
using Xunit.Abstractions;

namespace Datadog.Otel.Lambda.Differential.Tests.Interop;

/// <summary>
/// SQS between this library and Datadog's Node.js libraries, both ways, every part real: the producer's SDK sends to
/// fauxqs (AWSSDK.SQS with this library's instrumentation; the Node AWS SDK v3 with dd-trace's aws-sdk plugin), the test
/// receives the message with AWSSDK.SQS, wraps it in the SQS event Lambda's event source mapping delivers, and the
/// consumer (datadog-lambda-js; this library's wrapper) continues the trace. Each direction runs with the producer
/// keeping (priority 2) and dropping (-1) its trace, so the consumer's priority is the one carried, never its own (1).
/// </summary>
[Trait("Category", "Slow")]
[Collection("Tracing")]
public sealed class SqsInteropTests(InteropFixture fixture, ITestOutputHelper output) : IClassFixture<InteropFixture>
{
    private readonly InteropAws aws = new(fixture.Aws);

    [Theory]
    [InlineData("1", 2)]
    [InlineData("0", -1)]
    public async Task OurSqsMessageContinuesInDatadogLambdaJs(string sampleRate, int priority)
    {
        var queue = await this.aws.CreateQueueAsync("ours-to-node");

        var producer = await fixture.Ours.RunAsync(
            InteropCases.Producer(InteropCases.Unique("sqs-producer"), sampleRate),
            xrayDaemonAddress: null,
            instrument: b => b.AddDatadogAwsSdkInstrumentation(),
            work: async () =>
            {
                using var sqs = this.aws.Sqs();
                await sqs.SendMessageAsync(queue.Url, "{\"order\":1}");
            });
        var message = await this.aws.ReceiveAsync(queue.Url);
        Assert.Equal("String", message.MessageAttributes["_datadog"].DataType);

        var consumer = await fixture.Node.RunAsync(InteropCases.Consumer(InteropCases.Unique("sqs-node"), "sqs", InteropEvents.Sqs([message], queue.Name)), null);

        output.WriteLine(Continuity.Describe(producer.Spans.Concat(consumer.Spans)));
        var send = Assert.Single(producer.Spans, s => s.Resource == "SQS.SendMessage");
        Continuity.AssertContinues(producer.Spans, send, consumer.Spans, ["aws.sqs"], priority);
    }

    [Theory]
    [InlineData("1", 2)]
    [InlineData("0", -1)]
    public async Task DdTraceSqsMessageContinuesInOurWrapper(string sampleRate, int priority)
    {
        var queue = await this.aws.CreateQueueAsync("node-to-ours");
        var call = new JsonObject
        {
            ["aws"] = new JsonObject
            {
                ["client"] = "sqs",
                ["endpoint"] = this.aws.Fauxqs.ToString(),
                ["command"] = "SendMessageCommand",
                ["input"] = new JsonObject { ["QueueUrl"] = queue.Url, ["MessageBody"] = "{\"order\":2}" },
            },
        };

        var producer = await fixture.Node.RunProducerAsync(InteropCases.Unique("sqs-dd-trace"), call, InteropCases.NodeProducer(sampleRate));
        Assert.Null(producer.Result.Error);
        var message = await this.aws.ReceiveAsync(queue.Url);
        Assert.Equal("String", message.MessageAttributes["_datadog"].DataType);

        var consumer = await fixture.Ours.RunAsync(InteropCases.Consumer(InteropCases.Unique("sqs-ours"), "sqs", InteropEvents.Sqs([message], queue.Name)), null);

        output.WriteLine(Continuity.Describe(producer.Spans.Concat(consumer.Spans)));
        Continuity.AssertContinues(producer.Spans, Continuity.DdTraceAwsClient(producer.Spans, "sendMessage"), consumer.Spans, ["aws.sqs"], priority);
    }
}
