// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using Datadog.Otel.Lambda.Differential.Tests.Interop.StandIns;
using Datadog.Otel.Lambda.Differential.Tests.Interop.StandIns.Kinesis;
using Datadog.Otel.Lambda.Differential.Tests.Interop.StandIns.Sns;
using Datadog.Otel.Lambda.TestSupport;

namespace Datadog.Otel.Lambda.Differential.Tests.Interop;

/// <summary>
/// The AWS side of the interop tests, outside any traced invocation: creating queues, topics and streams on the npm
/// emulators, and receiving what was delivered as Lambda's event sources receive it. Every client here is created when
/// it is used; once a producing function's provider has registered this library's AWS SDK hooks (process-wide), its calls
/// run through them, but outside an invocation they trace and inject nothing.
/// </summary>
internal sealed class InteropAws(NpmAwsEmulators emulators)
{
    private static readonly XNamespace SnsXml = "http://sns.amazonaws.com/doc/2010-03-31/";

    public Uri Fauxqs => emulators.Fauxqs;

    public Uri Kinesalite => emulators.Kinesalite;

    public AmazonSQSClient Sqs() =>
        new(new BasicAWSCredentials("test", "test"), new AmazonSQSConfig { ServiceURL = emulators.Fauxqs.ToString(), AuthenticationRegion = "us-east-1" });

    public async Task<(string Name, string Url, string Arn)> CreateQueueAsync(string prefix)
    {
        using var sqs = this.Sqs();
        var name = InteropCases.Unique(prefix);
        var url = (await sqs.CreateQueueAsync(name)).QueueUrl;
        var arn = (await sqs.GetQueueAttributesAsync(url, ["QueueArn"])).QueueARN;
        return (name, url, arn);
    }

    /// <summary>Receives the one message as Lambda's event source mapping does: every message and system attribute.</summary>
    public async Task<Message> ReceiveAsync(string queueUrl)
    {
        using var sqs = this.Sqs();
        var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
        {
            QueueUrl = queueUrl,
            MaxNumberOfMessages = 1,
            WaitTimeSeconds = 5,
            MessageAttributeNames = ["All"],
            MessageSystemAttributeNames = ["All"],
        });
        return Assert.Single(received.Messages);
    }

    /// <summary>A topic with an SQS queue subscribed (fauxqs delivers the SNS envelope to it, as SNS does).</summary>
    public async Task<(string TopicArn, string SubscriptionArn, (string Name, string Url, string Arn) Queue)> CreateTopicWithQueueAsync(string prefix)
    {
        var queue = await this.CreateQueueAsync(prefix);
        using var sns = new SnsStandInClient(emulators.Fauxqs);
        var topic = await sns.SendAsync(new CreateTopicRequest { Name = InteropCases.Unique(prefix) });
        var topicArn = XDocument.Parse(topic.Body).Descendants(SnsXml + "TopicArn").Single().Value;
        var subscription = await sns.SendAsync(new SubscribeRequest { TopicArn = topicArn, Protocol = "sqs", Endpoint = queue.Arn });
        var subscriptionArn = XDocument.Parse(subscription.Body).Descendants(SnsXml + "SubscriptionArn").Single().Value;
        return (topicArn, subscriptionArn, queue);
    }

    /// <summary>A one-shard stream, waited for until ACTIVE as the SDK's StreamExists waiter does (bounded).</summary>
    public async Task<string> CreateStreamAsync(string prefix)
    {
        var name = InteropCases.Unique(prefix);
        using var kinesis = new KinesisStandInClient(emulators.Kinesalite);
        await kinesis.SendAsync(new CreateStreamRequest { StreamName = name });
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var description = await kinesis.SendAsync(new DescribeStreamSummaryRequest { StreamName = name });
            if (JsonDocument.Parse(description.Body).RootElement.GetProperty("StreamDescriptionSummary").GetProperty("StreamStatus").GetString() == "ACTIVE")
            {
                return name;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }

        throw new TimeoutException($"stream {name} did not become ACTIVE");
    }

    /// <summary>Reads back the record PutRecord stored (its shard and sequence number), as GetRecords returns it.</summary>
    public async Task<JsonElement> GetRecordAsync(string streamName, string shardId, string sequenceNumber)
    {
        using var kinesis = new KinesisStandInClient(emulators.Kinesalite);
        var iterator = await kinesis.SendAsync(new GetShardIteratorRequest { StreamName = streamName, ShardId = shardId, StartingSequenceNumber = sequenceNumber });
        var records = await kinesis.SendAsync(new GetRecordsRequest
        {
            ShardIterator = JsonDocument.Parse(iterator.Body).RootElement.GetProperty("ShardIterator").GetString()!,
        });
        return Assert.Single(JsonDocument.Parse(records.Body).RootElement.GetProperty("Records").EnumerateArray()).Clone();
    }
}
