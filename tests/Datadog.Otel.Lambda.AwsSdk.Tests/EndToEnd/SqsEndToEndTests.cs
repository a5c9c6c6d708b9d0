// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Amazon.SQS.Model;
using Datadog.Otel.Lambda.AwsSdk.Tests.TestSupport;
using Datadog.Otel.Lambda.IntegrationTests.TestSupport;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.AwsSdk.Tests.EndToEnd;

/// <summary>
/// Function A sends with the real AWSSDK.SQS client to fauxqs; the test receives the real message, turns it into the
/// SQS event Lambda would deliver, and runs function B with it. The extension emulator must show one trace:
/// aws.lambda(A) → SQS.SendMessage → aws.sqs → aws.lambda(B).
/// </summary>
[Trait("Category", "Slow")]
[Collection(AwsSdkCollection.Name)]
public class SqsEndToEndTests(AwsEmulators emulators)
{
    [Fact]
    public async Task SendMessageConnectsTheProducerAndTheConsumerFunction()
    {
        await using var harness = await EmulatorHarness.StartAsync(build: b => b.AddDatadogAwsSdkInstrumentation().AddHttpClientInstrumentation());
        using var sqs = AwsClients.Sqs(emulators);
        var queueName = $"orders-{Guid.NewGuid():N}";
        var queueUrl = (await sqs.CreateQueueAsync(queueName)).QueueUrl;

        await DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("fn-a"), async (_, _) =>
            await sqs.SendMessageAsync(queueUrl, "{\"order\":1}"));

        var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, MaxNumberOfMessages = 1, WaitTimeSeconds = 5 });
        var message = Assert.Single(received.Messages);
        Assert.Equal("{\"order\":1}", message.Body);
        Assert.True(message.MessageAttributes.ContainsKey("_datadog"), "ReceiveMessage asked for the _datadog attribute");

        await DatadogLambda.TraceAsync(harness.Provider, LambdaEvents.Sqs(message, queueName), EmulatorHarness.Context("fn-b"), (_, _) => Task.FromResult(0));

        var trace = await harness.Emulator.WaitForTraceAsync(
            t => t.Spans.Any(s => s.Name == "aws.lambda" && s.GetMeta("request_id") == "fn-b"), EmulatorHarness.Wait);
        var lambdaA = trace.Spans.Single(s => s.Name == "aws.lambda" && s.GetMeta("request_id") == "fn-a");
        var send = trace.Spans.Single(s => s.Resource == "SQS.SendMessage");
        var inferred = trace.Spans.Single(s => s.Name == "aws.sqs");
        var lambdaB = trace.Spans.Single(s => s.Name == "aws.lambda" && s.GetMeta("request_id") == "fn-b");
        Assert.Equal(lambdaA.SpanId, send.ParentId);
        Assert.Equal(send.SpanId, inferred.ParentId);
        Assert.Equal(inferred.SpanId, lambdaB.ParentId);

        // Datadog's view of the client span.
        Assert.Equal("aws.sqs.request", send.Name);
        Assert.Equal("checkout-fn-aws-sqs", send.Service);
        Assert.Equal("http", send.Type);
        Assert.Equal(queueName, send.GetMeta("queuename"));
        Assert.Equal("SendMessage", send.GetMeta("aws.operation"));
        Assert.Equal("200", send.GetMeta("http.status_code"));

        // The SDK's own HTTP request is not a second span.
        Assert.DoesNotContain(harness.Emulator.Spans, s => s.Name == "http.client.request");
    }
}
