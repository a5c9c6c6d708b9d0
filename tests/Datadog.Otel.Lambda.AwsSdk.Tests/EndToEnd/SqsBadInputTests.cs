// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Amazon.SQS;
using Amazon.SQS.Model;
using Datadog.Otel.Lambda.AwsSdk.Tests.TestSupport;
using Datadog.Otel.Lambda.IntegrationTests.TestSupport;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.AwsSdk.Tests.EndToEnd;

/// <summary>Calls that tracing must not change, with the real AWSSDK.SQS client against fauxqs.</summary>
[Trait("Category", "Slow")]
[Collection(AwsSdkCollection.Name)]
public class SqsBadInputTests(AwsEmulators emulators)
{
    [Fact]
    public async Task AFailingCallThrowsTheSdksExceptionAndTheSpanRecordsIt()
    {
        await using var harness = await EmulatorHarness.StartAsync(build: b => b.AddDatadogAwsSdkInstrumentation());
        using var sqs = AwsClients.Sqs(emulators);
        var missing = new Uri(emulators.Fauxqs, "/000000000000/no-such-queue").ToString();

        var exception = await Assert.ThrowsAsync<QueueDoesNotExistException>(() =>
            DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("fail"), async (_, _) =>
                await sqs.SendMessageAsync(missing, "x")));

        var span = (await harness.TraceOf("fail")).Spans.Single(s => s.Resource == "SQS.SendMessage");
        Assert.Equal(1, span.Error);
        Assert.Equal(exception.GetType().FullName, span.GetMeta("error.type"));
        Assert.Equal("400", span.GetMeta("http.status_code"));
    }

    [Fact]
    public async Task MessagesWithTheUsersAttributesGetDatadogAndPassTheSdksMd5Checks()
    {
        await using var harness = await EmulatorHarness.StartAsync(build: b => b.AddDatadogAwsSdkInstrumentation());
        using var sqs = AwsClients.Sqs(emulators);
        var queueUrl = (await sqs.CreateQueueAsync($"attrs-{Guid.NewGuid():N}")).QueueUrl;
        var mine = new MessageAttributeValue { DataType = "String", StringValue = "mine" };
        var binary = new MessageAttributeValue { DataType = "Binary", BinaryValue = new MemoryStream([1, 2, 3]) };

        await DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("attrs"), async (_, _) =>
        {
            // AWSSDK.SQS checks the attribute MD5s of these calls against the typed requests: they must succeed.
            await sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = queueUrl, MessageBody = "own", MessageAttributes = new() { ["_datadog"] = mine } });
            await sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = queueUrl, MessageBody = "single", MessageAttributes = new() { ["k"] = mine, ["b"] = binary } });
            var batch = await sqs.SendMessageBatchAsync(new SendMessageBatchRequest
            {
                QueueUrl = queueUrl,
                Entries = [new() { Id = "1", MessageBody = "plain" }, new() { Id = "2", MessageBody = "tagged", MessageAttributes = new() { ["k"] = mine } }],
            });
            Assert.Equal(2, batch.Successful.Count);
        });

        var messages = new List<Message>();
        while (messages.Count < 4)
        {
            var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, MaxNumberOfMessages = 10, WaitTimeSeconds = 5, MessageAttributeNames = ["All"] });
            Assert.NotEmpty(received.Messages);
            messages.AddRange(received.Messages);
        }

        Assert.Equal("mine", messages.Single(m => m.Body == "own").MessageAttributes["_datadog"].StringValue);
        foreach (var body in new[] { "single", "plain", "tagged" })
        {
            Assert.Contains("x-datadog-trace-id", messages.Single(m => m.Body == body).MessageAttributes["_datadog"].StringValue, StringComparison.Ordinal);
        }

        Assert.Equal("mine", messages.Single(m => m.Body == "tagged").MessageAttributes["k"].StringValue);
        Assert.Equal([1, 2, 3], messages.Single(m => m.Body == "single").MessageAttributes["b"].BinaryValue.ToArray());
    }

    [Fact]
    public async Task WithDistributedTracingOffNothingIsInjected()
    {
        var settings = AwsSdkSettings.FromEnvironment(EnvironmentSource.FromDictionary(new Dictionary<string, string?> { ["DD_BOTOCORE_DISTRIBUTED_TRACING"] = "false" }));
        await using var harness = await EmulatorHarness.StartAsync(build: b => b.AddDatadogAwsSdkInstrumentation(settings));
        using var sqs = AwsClients.Sqs(emulators);
        var queueUrl = (await sqs.CreateQueueAsync($"off-{Guid.NewGuid():N}")).QueueUrl;

        await DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("off"), async (_, _) => await sqs.SendMessageAsync(queueUrl, "x"));

        var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, WaitTimeSeconds = 5, MessageAttributeNames = ["All"] });
        Assert.Null(Assert.Single(received.Messages).MessageAttributes);
        Assert.Contains((await harness.TraceOf("off")).Spans, s => s.Resource == "SQS.SendMessage");
    }
}
