// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.SQS.Model;
using Datadog.Otel.Lambda.Differential.Tests.Interop.StandIns.Sns;
using OpenTelemetry.Trace;
using Xunit.Abstractions;

namespace Datadog.Otel.Lambda.Differential.Tests.Interop;

/// <summary>
/// SNS between this library and Datadog's Node.js libraries, both ways. The producer publishes to a fauxqs topic with an
/// SQS queue subscribed; fauxqs delivers the SNS envelope (with the <c>_datadog</c> Binary message attribute) to the
/// queue, the test receives it with AWSSDK.SQS, and the consumer runs twice: with the SNS→SQS event (the SQS record whose
/// body is the envelope) and with the SNS event Lambda builds from the same notification (an SNS subscription of a
/// function cannot be delivered here: fauxqs delivers to SQS only, so the SNS record is made from the envelope it
/// delivered, field for field).
/// <para>
/// Real: fauxqs, AWSSDK.SQS, the Node AWS SDK v3 with dd-trace, datadog-lambda-js, this library's wrapper and AWS SDK
/// instrumentation running in AWSSDK.Core's pipeline. Built by hand: AWSSDK.SimpleNotificationService is not in this
/// registry, so this library's side publishes through <see cref="SnsStandInClient"/> (AWSSDK.Core's real client and
/// pipeline, with the Publish request marshalled into query parameters as the SNS package's generated marshaller does),
/// and this library's injection runs on that marshalled request exactly as it would on the real package's.
/// </para>
/// </summary>
[Trait("Category", "Slow")]
[Collection("Tracing")]
public sealed class SnsInteropTests(InteropFixture fixture, ITestOutputHelper output) : IClassFixture<InteropFixture>
{
    private readonly InteropAws aws = new(fixture.Aws);

    [Fact]
    public async Task OurSnsNotificationContinuesInDatadogLambdaJs()
    {
        var topic = await this.aws.CreateTopicWithQueueAsync("ours-to-node");

        var producer = await fixture.Ours.RunAsync(
            InteropCases.Producer(InteropCases.Unique("sns-producer"), "1"),
            xrayDaemonAddress: null,
            instrument: b => b.AddDatadogAwsSdkInstrumentation(),
            work: async () =>
            {
                using var sns = new SnsStandInClient(this.aws.Fauxqs);
                await sns.SendAsync(new PublishRequest { TopicArn = topic.TopicArn, Message = "{\"order\":3}", Subject = "OrderPlaced" });
            });
        var (message, envelope) = await this.ReceiveNotificationAsync(topic.Queue.Url, "{\"order\":3}");

        var viaSqs = await fixture.Node.RunAsync(InteropCases.Consumer(InteropCases.Unique("sns-sqs-node"), "sns-sqs", InteropEvents.Sqs([message], topic.Queue.Name)), null);
        var direct = await fixture.Node.RunAsync(InteropCases.Consumer(InteropCases.Unique("sns-node"), "sns", InteropEvents.Sns(envelope, topic.SubscriptionArn)), null);

        output.WriteLine(Continuity.Describe(producer.Spans.Concat(viaSqs.Spans).Concat(direct.Spans)));
        var publish = Assert.Single(producer.Spans, s => s.Resource == "SNS.Publish");
        Continuity.AssertContinues(producer.Spans, publish, viaSqs.Spans, ["aws.sns", "aws.sqs"], 2);
        Continuity.AssertContinues(producer.Spans, publish, direct.Spans, ["aws.sns"], 2);
    }

    [Fact]
    public async Task DdTraceSnsNotificationContinuesInOurWrapper()
    {
        var topic = await this.aws.CreateTopicWithQueueAsync("node-to-ours");
        var call = new JsonObject
        {
            ["aws"] = new JsonObject
            {
                ["client"] = "sns",
                ["endpoint"] = this.aws.Fauxqs.ToString(),
                ["command"] = "PublishCommand",
                ["input"] = new JsonObject { ["TopicArn"] = topic.TopicArn, ["Message"] = "{\"order\":4}", ["Subject"] = "OrderPlaced" },
            },
        };

        var producer = await fixture.Node.RunProducerAsync(InteropCases.Unique("sns-dd-trace"), call, InteropCases.NodeProducer("1"));
        Assert.Null(producer.Result.Error);
        var (message, envelope) = await this.ReceiveNotificationAsync(topic.Queue.Url, "{\"order\":4}");

        var viaSqs = await fixture.Ours.RunAsync(InteropCases.Consumer(InteropCases.Unique("sns-sqs-ours"), "sns-sqs", InteropEvents.Sqs([message], topic.Queue.Name)), null);
        var direct = await fixture.Ours.RunAsync(InteropCases.Consumer(InteropCases.Unique("sns-ours"), "sns", InteropEvents.Sns(envelope, topic.SubscriptionArn)), null);

        output.WriteLine(Continuity.Describe(producer.Spans.Concat(viaSqs.Spans).Concat(direct.Spans)));
        var publish = Continuity.DdTraceAwsClient(producer.Spans, "publish");
        Continuity.AssertContinues(producer.Spans, publish, viaSqs.Spans, ["aws.sns", "aws.sqs"], 2);
        Continuity.AssertContinues(producer.Spans, publish, direct.Spans, ["aws.sns"], 2);
    }

    /// <summary>
    /// A message with SNS's maximum of 10 attributes has no room for <c>_datadog</c>: neither tracer adds it (nor drops
    /// one of the user's), the notification arrives as published, and the consumer starts a trace of its own.
    /// </summary>
    [Fact]
    public async Task NeitherTracerInjectsIntoAMessageWithTenAttributes()
    {
        var attributes = Enumerable.Range(1, 10).ToDictionary(i => $"a{i}", i => ("String", (string?)$"v{i}", (byte[]?)null));
        var ours = await this.aws.CreateTopicWithQueueAsync("full-ours");
        var producer = await fixture.Ours.RunAsync(
            InteropCases.Producer(InteropCases.Unique("sns-full-producer"), "1"),
            xrayDaemonAddress: null,
            instrument: b => b.AddDatadogAwsSdkInstrumentation(),
            work: async () =>
            {
                using var sns = new SnsStandInClient(this.aws.Fauxqs);
                await sns.SendAsync(new PublishRequest { TopicArn = ours.TopicArn, Message = "full", MessageAttributes = attributes });
            });
        var oursDelivered = await this.aws.ReceiveAsync(ours.Queue.Url);

        var node = await this.aws.CreateTopicWithQueueAsync("full-node");
        var call = new JsonObject
        {
            ["aws"] = new JsonObject
            {
                ["client"] = "sns",
                ["endpoint"] = this.aws.Fauxqs.ToString(),
                ["command"] = "PublishCommand",
                ["input"] = new JsonObject
                {
                    ["TopicArn"] = node.TopicArn,
                    ["Message"] = "full",
                    ["MessageAttributes"] = new JsonObject(attributes.Select(a =>
                        KeyValuePair.Create(a.Key, (JsonNode?)new JsonObject { ["DataType"] = "String", ["StringValue"] = a.Value.Item2 }))),
                },
            },
        };
        var nodeProducer = await fixture.Node.RunProducerAsync(InteropCases.Unique("sns-full-dd-trace"), call, InteropCases.NodeProducer("1"));
        Assert.Null(nodeProducer.Result.Error);
        var nodeDelivered = await this.aws.ReceiveAsync(node.Queue.Url);

        foreach (var delivered in (Message[])[oursDelivered, nodeDelivered])
        {
            var names = JsonDocument.Parse(delivered.Body).RootElement.GetProperty("MessageAttributes").EnumerateObject().Select(p => p.Name);
            Assert.Equal(attributes.Keys.Order(), names.Order());
        }

        var nodeConsumer = await fixture.Node.RunAsync(InteropCases.Consumer(InteropCases.Unique("sns-full-node"), "sns-sqs", InteropEvents.Sqs([oursDelivered], ours.Queue.Name)), null);
        var ourConsumer = await fixture.Ours.RunAsync(InteropCases.Consumer(InteropCases.Unique("sns-full-ours"), "sns-sqs", InteropEvents.Sqs([nodeDelivered], node.Queue.Name)), null);

        Continuity.AssertNewTrace(Assert.Single(producer.Spans, s => s.Resource == "SNS.Publish"), nodeConsumer.Spans, "aws.sns");
        Continuity.AssertNewTrace(Continuity.DdTraceAwsClient(nodeProducer.Spans, "publish"), ourConsumer.Spans, "aws.sns");
    }

    /// <summary>The notification fauxqs delivered to the subscribed queue: the SNS envelope, its <c>_datadog</c> attribute Binary.</summary>
    private async Task<(Message Message, string Envelope)> ReceiveNotificationAsync(string queueUrl, string body)
    {
        var message = await this.aws.ReceiveAsync(queueUrl);
        var envelope = JsonDocument.Parse(message.Body).RootElement;
        Assert.Equal("Notification", envelope.GetProperty("Type").GetString());
        Assert.Equal(body, envelope.GetProperty("Message").GetString());
        Assert.Equal("Binary", envelope.GetProperty("MessageAttributes").GetProperty("_datadog").GetProperty("Type").GetString());
        return (message, message.Body);
    }
}
