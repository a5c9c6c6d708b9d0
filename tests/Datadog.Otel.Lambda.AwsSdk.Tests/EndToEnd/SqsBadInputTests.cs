// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
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

    [Fact]
    public async Task WithDistributedTracingOffReceiveMessageStillAsksForTheCarrier()
    {
        // dd-trace-py asks for _datadog on every ReceiveMessage: the setting is about what this process sends. fauxqs
        // returns every attribute whatever was asked, so the request is read by a loopback server standing in for SQS
        // (it answers an empty receive, {"Messages":[]} in the JSON protocol).
        var settings = AwsSdkSettings.FromEnvironment(EnvironmentSource.FromDictionary(new Dictionary<string, string?> { ["DD_BOTOCORE_DISTRIBUTED_TRACING"] = "false" }));
        await using var harness = await EmulatorHarness.StartAsync(build: b => b.AddDatadogAwsSdkInstrumentation(settings));
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var address = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/";
            using var sqs = new AmazonSQSClient(new BasicAWSCredentials("test", "test"), new AmazonSQSConfig { ServiceURL = address, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

            var accepted = listener.AcceptTcpClientAsync(timeout.Token).AsTask();
            var receive = DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("receive-off"), async (_, _) =>
                await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = address + "000000000000/q" }, timeout.Token));
            using var client = await accepted;
            var body = await ReadRequestBodyAsync(client.GetStream(), timeout.Token);
            var answer = "{\"Messages\":[]}";
            await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nx-amzn-RequestId: r-1\r\nContent-Length: {answer.Length}\r\nConnection: close\r\n\r\n{answer}"), timeout.Token);

            Assert.Empty((await receive).Messages ?? []);
            using var request = JsonDocument.Parse(body);
            Assert.Contains("_datadog", request.RootElement.GetProperty("MessageAttributeNames").EnumerateArray().Select(n => n.GetString()));
        }
        finally
        {
            listener.Stop();
        }
    }

    private static async Task<string> ReadRequestBodyAsync(NetworkStream stream, CancellationToken cancellation)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        var headerEnd = -1;
        var contentLength = 0;
        while (headerEnd < 0 || received.Count < headerEnd + contentLength)
        {
            var read = await stream.ReadAsync(buffer, cancellation);
            Assert.True(read > 0, "the connection closed before the request ended");
            received.AddRange(buffer.AsSpan(0, read).ToArray());
            if (headerEnd < 0)
            {
                var text = Encoding.ASCII.GetString(received.ToArray());
                var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end >= 0)
                {
                    headerEnd = end + 4;
                    var line = text[..end].Split("\r\n").First(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
                    contentLength = int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }

        return Encoding.UTF8.GetString(received.ToArray(), headerEnd, contentLength);
    }
}
