// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using Amazon.DynamoDBv2.Model;
using Amazon.S3.Model;
using Datadog.Otel.Lambda.AwsSdk.Tests.TestSupport;
using Datadog.Otel.Lambda.ExtensionEmulator;
using Datadog.Otel.Lambda.IntegrationTests.TestSupport;
using Datadog.Otel.Lambda.SpanPointers;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.AwsSdk.Tests.EndToEnd;

/// <summary>
/// A write with the real AWSSDK.S3 / AWSSDK.DynamoDBv2 client (fauxqs / dynalite), then the consumer function invoked
/// with the event Lambda would deliver for it (built from what the emulator returned: neither emulator sends
/// notifications or streams). The two traces are separate; the extension emulator shows the producer's SDK span with a
/// downstream pointer and the consumer's root span with an upstream pointer of the same hash.
/// </summary>
[Trait("Category", "Slow")]
[Collection(AwsSdkCollection.Name)]
public class SpanPointerEndToEndTests(AwsEmulators emulators)
{
    [Fact]
    public async Task S3PutObjectAndTheS3EventShareASpanPointer()
    {
        await using var harness = await EmulatorHarness.StartAsync(build: b => b.AddDatadogAwsSdkInstrumentation());
        using var s3 = AwsClients.S3(emulators);
        var bucket = $"uploads-{Guid.NewGuid():N}";
        await s3.PutBucketAsync(bucket);

        var put = await DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("s3-a"), async (_, _) =>
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "orders/1.json", ContentBody = "{\"order\":1}" }));
        await DatadogLambda.TraceAsync(harness.Provider, LambdaEvents.S3(bucket, "orders/1.json", 11, put.ETag), EmulatorHarness.Context("s3-b"), (_, _) => Task.FromResult(0));

        var producer = (await harness.TraceOf("s3-a")).Spans.Single(s => s.Resource == "S3.PutObject");
        var consumer = await harness.TraceOf("s3-b");
        Assert.True(S3SpanPointer.TryComputeHash(bucket, "orders/1.json", put.ETag, out var expected));
        AssertPointer(producer, "aws.s3.object", "d", expected);
        AssertPointer(consumer.Spans.Single(s => s.ParentId == 0), "aws.s3.object", "u", expected);
        Assert.NotEqual(producer.TraceId, consumer.Spans[0].TraceId);
        Assert.Equal(bucket, producer.GetMeta("bucketname"));
    }

    [Fact]
    public async Task S3CopyObjectPointsAtTheCopyWithTheEtagFromTheXmlBody()
    {
        await using var harness = await EmulatorHarness.StartAsync(build: b => b.AddDatadogAwsSdkInstrumentation());
        using var s3 = AwsClients.S3(emulators);
        var bucket = $"copies-{Guid.NewGuid():N}";
        await s3.PutBucketAsync(bucket);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "source.txt", ContentBody = "copy me" });

        var copy = await DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("copy"), async (_, _) =>
            await s3.CopyObjectAsync(bucket, "source.txt", bucket, "target.txt"));

        var span = (await harness.TraceOf("copy")).Spans.Single(s => s.Resource == "S3.CopyObject");
        Assert.False(string.IsNullOrEmpty(copy.ETag));
        Assert.True(S3SpanPointer.TryComputeHash(bucket, "target.txt", copy.ETag, out var expected));
        AssertPointer(span, "aws.s3.object", "d", expected);
    }

    [Fact]
    public async Task DynamoDbPutItemAndTheStreamRecordShareASpanPointer()
    {
        var table = $"Orders{Guid.NewGuid():N}";
        var settings = AwsSdkSettings.FromEnvironment(EnvironmentSource.FromDictionary(new Dictionary<string, string?> { ["DD_TRACE_DYNAMODB_TABLE_PRIMARY_KEYS"] = $"{{\"{table}\":[\"pk\",\"sk\"]}}" }));
        await using var harness = await EmulatorHarness.StartAsync(build: b => b.AddDatadogAwsSdkInstrumentation(settings));
        using var dynamo = AwsClients.DynamoDb(emulators);
        await dynamo.CreateTableAsync(new CreateTableRequest
        {
            TableName = table,
            KeySchema = [new("pk", Amazon.DynamoDBv2.KeyType.HASH), new("sk", Amazon.DynamoDBv2.KeyType.RANGE)],
            AttributeDefinitions = [new("pk", Amazon.DynamoDBv2.ScalarAttributeType.S), new("sk", Amazon.DynamoDBv2.ScalarAttributeType.N)],
            BillingMode = Amazon.DynamoDBv2.BillingMode.PAY_PER_REQUEST,
        });
        var item = new Dictionary<string, AttributeValue> { ["pk"] = new() { S = "customer-1" }, ["sk"] = new() { N = "42" }, ["total"] = new() { N = "9.5" } };

        await DatadogLambda.TraceAsync(harness.Provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("ddb-a"), async (_, _) =>
            await dynamo.PutItemAsync(table, item));
        var stored = (await dynamo.GetItemAsync(table, new() { ["pk"] = new() { S = "customer-1" }, ["sk"] = new() { N = "42" } })).Item;
        var keys = $"{{\"pk\":{{\"S\":\"{stored["pk"].S}\"}},\"sk\":{{\"N\":\"{stored["sk"].N}\"}}}}";
        var image = $"{{\"pk\":{{\"S\":\"{stored["pk"].S}\"}},\"sk\":{{\"N\":\"{stored["sk"].N}\"}},\"total\":{{\"N\":\"{stored["total"].N}\"}}}}";
        await DatadogLambda.TraceAsync(harness.Provider, LambdaEvents.DynamoDbInsert(table, keys, image), EmulatorHarness.Context("ddb-b"), (_, _) => Task.FromResult(0));

        var producer = (await harness.TraceOf("ddb-a")).Spans.Single(s => s.Resource == "DynamoDB.PutItem");
        var consumer = await harness.TraceOf("ddb-b");
        Assert.True(DynamoDbSpanPointer.TryComputeHashFromJson(table, Encoding.UTF8.GetBytes(keys), out var expected));
        AssertPointer(producer, "aws.dynamodb.item", "d", expected);
        AssertPointer(consumer.Spans.Single(s => s.ParentId == 0), "aws.dynamodb.item", "u", expected);
        Assert.Equal(table, producer.GetMeta("tablename"));
    }

    private static void AssertPointer(DatadogSpan span, string kind, string direction, string hash)
    {
        var link = Assert.Single(span.Links, l => l.Attributes.GetValueOrDefault("ptr.dir") == direction);
        Assert.Equal(kind, link.Attributes["ptr.kind"]);
        Assert.Equal(hash, link.Attributes["ptr.hash"]);
        Assert.Equal("span-pointer", link.Attributes["link.kind"]);
    }
}
