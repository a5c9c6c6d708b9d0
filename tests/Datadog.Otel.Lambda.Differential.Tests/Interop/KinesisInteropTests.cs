// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Datadog.Otel.Lambda.Differential.Tests.Comparison;
using Datadog.Otel.Lambda.Differential.Tests.Interop.StandIns.Kinesis;
using OpenTelemetry.Trace;
using Xunit.Abstractions;

namespace Datadog.Otel.Lambda.Differential.Tests.Interop;

/// <summary>
/// Kinesis between this library and Datadog's Node.js libraries, both ways: the producer puts a record into a kinesalite
/// stream (npm, in memory, on loopback), the test reads it back with GetRecords and wraps it in the Kinesis event Lambda's
/// event source mapping delivers, and the consumer continues the trace from its <c>aws.kinesis</c> inferred span. Both
/// tracers inject only into data that is a JSON object (the carrier goes in as <c>_datadog</c>); other data goes out
/// unchanged and the consumer starts a trace of its own.
/// <para>
/// Real: kinesalite, the Node AWS SDK v3 with dd-trace, datadog-lambda-js, this library's wrapper and AWS SDK
/// instrumentation in AWSSDK.Core's pipeline. Built by hand: AWSSDK.Kinesis is not in this registry, so this library's
/// side (and the test's own CreateStream, GetShardIterator and GetRecords) goes through
/// <see cref="KinesisStandInClient"/>: AWSSDK.Core's real client and pipeline (signing, HTTP) with the requests marshalled
/// as the package's generated marshallers do, in the same JSON 1.1 protocol the Node SDK speaks to kinesalite.
/// </para>
/// </summary>
[Trait("Category", "Slow")]
[Collection("Tracing")]
public sealed class KinesisInteropTests(InteropFixture fixture, ITestOutputHelper output) : IClassFixture<InteropFixture>
{
    /// <summary>The streams have one shard: every record is in it.</summary>
    private const string ShardId = "shardId-000000000000";

    private static readonly byte[] NotJson = [0x00, 0x01, 0x02, 0xff];

    private readonly InteropAws aws = new(fixture.Aws);

    [Fact]
    public async Task OurRecordContinuesInDatadogLambdaJs()
    {
        var (producer, record, stream) = await this.PutOursAsync(Encoding.UTF8.GetBytes("{\"order\":7}"));
        var data = JsonDocument.Parse(Convert.FromBase64String(record.GetProperty("Data").GetString()!)).RootElement;
        Assert.Equal(7, data.GetProperty("order").GetInt32());
        Assert.Equal(JsonValueKind.Object, data.GetProperty("_datadog").ValueKind);

        var consumer = await fixture.Node.RunAsync(InteropCases.Consumer(InteropCases.Unique("kinesis-node"), "kinesis", InteropEvents.Kinesis(record, stream, ShardId)), null);

        output.WriteLine(Continuity.Describe(producer.Spans.Concat(consumer.Spans)));
        var put = Assert.Single(producer.Spans, s => s.Resource == "Kinesis.PutRecord");
        Continuity.AssertContinues(producer.Spans, put, consumer.Spans, ["aws.kinesis"], 2);
    }

    [Fact]
    public async Task OurRecordThatIsNotJsonGoesOutUnchangedAndDatadogLambdaJsStartsATrace()
    {
        var (producer, record, stream) = await this.PutOursAsync(NotJson);
        Assert.Equal(NotJson, Convert.FromBase64String(record.GetProperty("Data").GetString()!));

        var consumer = await fixture.Node.RunAsync(InteropCases.Consumer(InteropCases.Unique("kinesis-node-binary"), "kinesis", InteropEvents.Kinesis(record, stream, ShardId)), null);

        Continuity.AssertNewTrace(Assert.Single(producer.Spans, s => s.Resource == "Kinesis.PutRecord"), consumer.Spans, "aws.kinesis");
    }

    [Fact]
    public async Task DdTraceRecordContinuesInOurWrapper()
    {
        var (producer, record, stream) = await this.PutDdTraceAsync(new JsonObject { ["utf8"] = "{\"order\":8}" });
        var data = JsonDocument.Parse(Convert.FromBase64String(record.GetProperty("Data").GetString()!)).RootElement;
        Assert.Equal(8, data.GetProperty("order").GetInt32());
        Assert.Equal(JsonValueKind.Object, data.GetProperty("_datadog").ValueKind);

        var consumer = await fixture.Ours.RunAsync(InteropCases.Consumer(InteropCases.Unique("kinesis-ours"), "kinesis", InteropEvents.Kinesis(record, stream, ShardId)), null);

        output.WriteLine(Continuity.Describe(producer.Spans.Concat(consumer.Spans)));
        Continuity.AssertContinues(producer.Spans, Continuity.DdTraceAwsClient(producer.Spans, "putRecord"), consumer.Spans, ["aws.kinesis"], 2);
    }

    [Fact]
    public async Task DdTraceRecordThatIsNotJsonGoesOutUnchangedAndOurWrapperStartsATrace()
    {
        var (producer, record, stream) = await this.PutDdTraceAsync(new JsonObject { ["base64"] = Convert.ToBase64String(NotJson) });
        Assert.Equal(NotJson, Convert.FromBase64String(record.GetProperty("Data").GetString()!));

        var consumer = await fixture.Ours.RunAsync(InteropCases.Consumer(InteropCases.Unique("kinesis-ours-binary"), "kinesis", InteropEvents.Kinesis(record, stream, ShardId)), null);

        Continuity.AssertNewTrace(Continuity.DdTraceAwsClient(producer.Spans, "putRecord"), consumer.Spans, "aws.kinesis");
    }

    private async Task<(SideRun Producer, JsonElement Record, string Stream)> PutOursAsync(byte[] data)
    {
        var stream = await this.aws.CreateStreamAsync("ours-to-node");
        string? sequenceNumber = null;
        var producer = await fixture.Ours.RunAsync(
            InteropCases.Producer(InteropCases.Unique("kinesis-producer"), "1"),
            xrayDaemonAddress: null,
            instrument: b => b.AddDatadogAwsSdkInstrumentation(),
            work: async () =>
            {
                using var kinesis = new KinesisStandInClient(this.aws.Kinesalite);
                var put = await kinesis.SendAsync(new PutRecordRequest { StreamName = stream, PartitionKey = "order", Data = data });
                sequenceNumber = JsonDocument.Parse(put.Body).RootElement.GetProperty("SequenceNumber").GetString();
            });
        return (producer, await this.aws.GetRecordAsync(stream, ShardId, sequenceNumber!), stream);
    }

    private async Task<(SideRun Producer, JsonElement Record, string Stream)> PutDdTraceAsync(JsonObject data)
    {
        var stream = await this.aws.CreateStreamAsync("node-to-ours");
        var call = new JsonObject
        {
            ["aws"] = new JsonObject
            {
                ["client"] = "kinesis",
                ["endpoint"] = this.aws.Kinesalite.ToString(),
                ["command"] = "PutRecordCommand",
                ["input"] = new JsonObject { ["StreamName"] = stream, ["PartitionKey"] = "order", ["Data"] = data },
            },
        };

        var producer = await fixture.Node.RunProducerAsync(InteropCases.Unique("kinesis-dd-trace"), call, InteropCases.NodeProducer("1"));
        Assert.Null(producer.Result.Error);
        var output = producer.Result.Value!;
        Assert.Equal(ShardId, output["ShardId"]!.GetValue<string>());
        return (producer, await this.aws.GetRecordAsync(stream, ShardId, output["SequenceNumber"]!.GetValue<string>()), stream);
    }
}
