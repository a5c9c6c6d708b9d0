// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Amazon.Runtime.Internal;

namespace Datadog.Otel.Lambda.Differential.Tests.Interop.StandIns.Kinesis;

/// <summary>
/// Kinesis over AWS JSON 1.1, as AWSSDK.Kinesis 4 sends it (service id <c>Kinesis</c>, signing name <c>kinesis</c>,
/// target prefix <c>Kinesis_20131202</c>, API version 2013-12-02); the requests are marshalled as its generated
/// marshallers do (<c>Data</c> as base64).
/// </summary>
internal sealed class KinesisStandInClient(Uri serviceUrl)
    : StandInServiceClient(new StandInClientConfig("Kinesis", "kinesis", "2013-12-02", serviceUrl), StandInUnmarshaller.Instance)
{
    private static readonly StandInMetadata Metadata = new("Kinesis");

    protected override IServiceMetadata ServiceMetadata => Metadata;
}

internal abstract class KinesisRequest : JsonRequest
{
    public override string ServiceName => "Amazon.Kinesis";

    protected override string Target => "Kinesis_20131202." + this.GetType().Name[..^"Request".Length];

    protected override string ApiVersion => "2013-12-02";
}

internal sealed class CreateStreamRequest : KinesisRequest
{
    public required string StreamName { get; init; }

    protected override void WriteMembers(Utf8JsonWriter writer)
    {
        writer.WriteNumber("ShardCount", 1);
        writer.WriteString("StreamName", this.StreamName);
    }
}

internal sealed class PutRecordRequest : KinesisRequest
{
    public required string StreamName { get; init; }

    public required string PartitionKey { get; init; }

    public required byte[] Data { get; init; }

    protected override void WriteMembers(Utf8JsonWriter writer)
    {
        writer.WriteBase64String("Data", this.Data);
        writer.WriteString("PartitionKey", this.PartitionKey);
        writer.WriteString("StreamName", this.StreamName);
    }
}

/// <summary>An iterator at one record's sequence number (the one PutRecord answered).</summary>
internal sealed class GetShardIteratorRequest : KinesisRequest
{
    public required string StreamName { get; init; }

    public required string ShardId { get; init; }

    public required string StartingSequenceNumber { get; init; }

    protected override void WriteMembers(Utf8JsonWriter writer)
    {
        writer.WriteString("ShardId", this.ShardId);
        writer.WriteString("ShardIteratorType", "AT_SEQUENCE_NUMBER");
        writer.WriteString("StartingSequenceNumber", this.StartingSequenceNumber);
        writer.WriteString("StreamName", this.StreamName);
    }
}

internal sealed class GetRecordsRequest : KinesisRequest
{
    public required string ShardIterator { get; init; }

    protected override void WriteMembers(Utf8JsonWriter writer)
    {
        writer.WriteNumber("Limit", 1);
        writer.WriteString("ShardIterator", this.ShardIterator);
    }
}

internal sealed class DescribeStreamSummaryRequest : KinesisRequest
{
    public required string StreamName { get; init; }

    protected override void WriteMembers(Utf8JsonWriter writer) => writer.WriteString("StreamName", this.StreamName);
}
