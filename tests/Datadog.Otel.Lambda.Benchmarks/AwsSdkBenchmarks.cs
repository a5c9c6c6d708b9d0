// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

extern alias awssdk;

using System.Text;
using awssdk::Datadog.Otel.Lambda.AwsSdk.Injection;
using awssdk::Datadog.Otel.Lambda.AwsSdk.Pipeline;
using awssdk::Datadog.Otel.Lambda.AwsSdk.SpanPointers;
using BenchmarkDotNet.Attributes;

namespace Datadog.Otel.Lambda.Benchmarks;

/// <summary>The per-call work of the AWS SDK instrumentation on marshalled requests: injection, tags, pointer hashes.</summary>
[MemoryDiagnoser]
public class AwsSdkBenchmarks
{
    private static readonly byte[] Carrier = Encoding.UTF8.GetBytes(
        "{\"x-datadog-trace-id\":\"2684756524522091840\",\"x-datadog-parent-id\":\"7431398482019833808\",\"x-datadog-sampling-priority\":\"1\",\"x-datadog-tags\":\"_dd.p.tid=66bcb5eb00000000,_dd.p.dm=-0\",\"traceparent\":\"00-66bcb5eb0000000025421a2a2c2f8f40-67218c4da0e01dd0-01\",\"tracestate\":\"dd=s:1;p:67218c4da0e01dd0;t.dm:-0\"}");

    private static readonly byte[] SendMessage = Encoding.UTF8.GetBytes(
        "{\"MessageBody\":\"{\\\"order\\\":1,\\\"items\\\":[\\\"a\\\",\\\"b\\\"]}\",\"QueueUrl\":\"https://sqs.us-east-1.amazonaws.com/123456789012/orders\"}");

    private static readonly byte[] PutEvents = Encoding.UTF8.GetBytes(
        "{\"Entries\":[{\"Detail\":\"{\\\"order\\\":1}\",\"DetailType\":\"created\",\"EventBusName\":\"shop\",\"Source\":\"orders\"}]}");

    private static readonly byte[] UpdateItem = Encoding.UTF8.GetBytes(
        "{\"Key\":{\"pk\":{\"S\":\"customer-1\"},\"sk\":{\"N\":\"42\"}},\"TableName\":\"Orders\",\"UpdateExpression\":\"SET v = :v\"}");

    private readonly List<string> hashes = new(1);

    [Benchmark]
    public byte[]? SqsSendMessageInjection() => SqsInjection.SendMessage(SendMessage, Carrier, batch: false);

    [Benchmark]
    public byte[]? EventBridgePutEventsInjection() => JsonServiceInjection.EventBridgePutEvents(PutEvents, Carrier);

    [Benchmark]
    public string? SqsQueueUrlTag() => TopLevelJson.GetString(SendMessage, "QueueUrl"u8);

    [Benchmark]
    public int DynamoDbUpdateItemPointer()
    {
        this.hashes.Clear();
        DynamoDbWritePointers.Collect("UpdateItem", UpdateItem, DynamoDbPrimaryKeys.None, this.hashes);
        return this.hashes.Count;
    }
}
