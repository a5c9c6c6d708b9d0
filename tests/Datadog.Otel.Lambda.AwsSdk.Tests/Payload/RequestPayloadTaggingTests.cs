// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Amazon.SQS.Model;
using Datadog.Otel.Lambda.AwsSdk.Tests.TestSupport;
using Datadog.Otel.Lambda.IntegrationTests.TestSupport;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.AwsSdk.Tests.Payload;

/// <summary>AWS request payload tags on the SDK span of a real AWSSDK.SQS call to fauxqs, as the extension emulator sees them.</summary>
[Trait("Category", "Slow")]
[Collection(AwsSdkCollection.Name)]
public class RequestPayloadTaggingTests(AwsEmulators emulators)
{
    [Fact]
    public async Task TheUsersRequestIsTaggedWithRedactionAndWithoutTheInjectedCarrier()
    {
        var settings = AwsSdkSettings.FromEnvironment(EnvironmentSource.FromDictionary(new Dictionary<string, string?>
        {
            ["DD_TRACE_CLOUD_REQUEST_PAYLOAD_TAGGING"] = "$.MessageAttributes.hidden.StringValue",
        }));
        await using var harness = await EmulatorHarness.StartAsync(build: b => b.AddDatadogAwsSdkInstrumentation(settings));
        using var sqs = AwsClients.Sqs(emulators);
        var queueUrl = (await sqs.CreateQueueAsync($"payload-{Guid.NewGuid():N}")).QueueUrl;

        await DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("payload"), async (_, _) =>
        {
            await sqs.SendMessageAsync(new SendMessageRequest
            {
                QueueUrl = queueUrl,
                MessageBody = "{\"order\":{\"id\":7,\"password\":\"hunter2\"}}",
                MessageAttributes = new() { ["hidden"] = new() { DataType = "String", StringValue = "s3cr3t" } },
            });
            await sqs.SendMessageAsync(queueUrl, "plain");
        });

        var spans = (await harness.TraceOf("payload")).Spans.Where(s => s.Resource == "SQS.SendMessage").ToList();
        var withAttributes = spans.Single(s => s.GetMeta("aws.request.body.MessageBody.order.id") is not null);
        Assert.Equal("7", withAttributes.GetMeta("aws.request.body.MessageBody.order.id"));
        Assert.Equal("redacted", withAttributes.GetMeta("aws.request.body.MessageBody.order.password"));
        Assert.Equal("redacted", withAttributes.GetMeta("aws.request.body.MessageAttributes.hidden.StringValue"));
        Assert.Equal(queueUrl, withAttributes.GetMeta("aws.request.body.QueueUrl"));

        var plain = spans.Single(s => s.GetMeta("aws.request.body.MessageBody") == "plain");
        Assert.DoesNotContain(plain.Meta.Keys, k => k.Contains("_datadog", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheResponseIsTaggedFromTheBodyTheSdkRead()
    {
        var settings = AwsSdkSettings.FromEnvironment(EnvironmentSource.FromDictionary(new Dictionary<string, string?>
        {
            ["DD_TRACE_CLOUD_RESPONSE_PAYLOAD_TAGGING"] = "all",
        }));
        await using var harness = await EmulatorHarness.StartAsync(build: b => b.AddDatadogAwsSdkInstrumentation(settings));
        using var sqs = AwsClients.Sqs(emulators);
        var queueUrl = (await sqs.CreateQueueAsync($"response-{Guid.NewGuid():N}")).QueueUrl;

        var sent = await DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("response"), async (_, _) =>
            await sqs.SendMessageAsync(new SendMessageRequest
            {
                QueueUrl = queueUrl,
                MessageBody = "tagged",
                MessageAttributes = new() { ["k"] = new() { DataType = "String", StringValue = "v" } },
            }));

        var span = (await harness.TraceOf("response")).Spans.Single(s => s.Resource == "SQS.SendMessage");
        Assert.Equal(sent.MessageId, span.GetMeta("aws.response.body.MessageId"));
        Assert.Equal(sent.MD5OfMessageBody, span.GetMeta("aws.response.body.MD5OfMessageBody"));

        // The SDK saw the corrected attribute MD5 (that of the user's attributes), and so does the tag.
        Assert.Equal(sent.MD5OfMessageAttributes, span.GetMeta("aws.response.body.MD5OfMessageAttributes"));
        Assert.Null(span.GetMeta("aws.request.body.MessageBody"));
    }
}
