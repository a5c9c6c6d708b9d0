// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using System.Text.Json;
using Datadog.Otel.Lambda.AwsSdk.Injection;
using static Datadog.Otel.Lambda.AwsSdk.Tests.Injection.Carrier;

namespace Datadog.Otel.Lambda.AwsSdk.Tests.Injection;

/// <summary>
/// SNS (query protocol parameters as aws-sdk-net's PublishRequestMarshaller and PublishBatchRequestMarshaller add them)
/// and Lambda Invoke (the <c>X-Amz-Client-Context</c> header of InvokeRequestMarshaller). No SDK package for either is
/// in this registry: the parameters and header are built by hand in that shape.
/// </summary>
public class QueryAndHeaderInjectionTests
{
    [Fact]
    public void SnsPublishGetsTheNextAttributeEntryAsBinary()
    {
        var parameters = new Dictionary<string, string>
        {
            ["Action"] = "Publish",
            ["Message"] = "hello",
            ["MessageAttributes.entry.1.Name"] = "kind",
            ["MessageAttributes.entry.1.Value.DataType"] = "String",
            ["MessageAttributes.entry.1.Value.StringValue"] = "order",
            ["TopicArn"] = "arn:aws:sns:us-east-1:1:orders",
        };

        Assert.True(SnsInjection.Publish(parameters, Bytes, batch: false));

        Assert.Equal("kind", parameters["MessageAttributes.entry.1.Name"]);
        Assert.Equal("_datadog", parameters["MessageAttributes.entry.2.Name"]);
        Assert.Equal("Binary", parameters["MessageAttributes.entry.2.Value.DataType"]);
        Assert.Equal(Json, Encoding.UTF8.GetString(Convert.FromBase64String(parameters["MessageAttributes.entry.2.Value.BinaryValue"])));
    }

    [Fact]
    public void SnsMessagesWithTenAttributesOrDatadogAreLeftAlone()
    {
        var full = new Dictionary<string, string> { ["Message"] = "m" };
        for (var i = 1; i <= 10; i++)
        {
            full[$"MessageAttributes.entry.{i}.Name"] = $"a{i}";
        }

        var existing = new Dictionary<string, string> { ["Message"] = "m", ["MessageAttributes.entry.1.Name"] = "_datadog" };

        Assert.False(SnsInjection.Publish(full, Bytes, batch: false));
        Assert.False(SnsInjection.Publish(existing, Bytes, batch: false));
        Assert.Equal(11, full.Count);
        Assert.Single(existing, p => p.Key.StartsWith("MessageAttributes", StringComparison.Ordinal));
    }

    [Fact]
    public void SnsPublishBatchInjectsEveryEntry()
    {
        var parameters = new Dictionary<string, string>
        {
            ["PublishBatchRequestEntries.member.1.Id"] = "1",
            ["PublishBatchRequestEntries.member.1.Message"] = "a",
            ["PublishBatchRequestEntries.member.2.Id"] = "2",
            ["PublishBatchRequestEntries.member.2.Message"] = "b",
        };

        Assert.True(SnsInjection.Publish(parameters, Bytes, batch: true));

        Assert.Equal("_datadog", parameters["PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Name"]);
        Assert.Equal("_datadog", parameters["PublishBatchRequestEntries.member.2.MessageAttributes.entry.1.Name"]);
    }

    [Fact]
    public void AMessageWithAttributesAtTheSizeLimitIsLeftAlone()
    {
        // SNS counts attribute names, types and values toward the 256 KiB limit, not only the message.
        var parameters = new Dictionary<string, string>
        {
            ["Message"] = new string('x', (256 * 1024) - 300),
            ["MessageAttributes.entry.1.Name"] = "kind",
            ["MessageAttributes.entry.1.Value.DataType"] = "String",
            ["MessageAttributes.entry.1.Value.StringValue"] = new string('v', 250),
        };

        Assert.False(SnsInjection.Publish(parameters, Bytes, batch: false));
        Assert.False(parameters.ContainsKey("MessageAttributes.entry.2.Name"));
    }

    [Fact]
    public void AMultiByteMessageNearTheLimitIsLeftAlone()
    {
        // 87,350 characters, 262,050 UTF-8 bytes: the limit is in bytes.
        var parameters = new Dictionary<string, string> { ["Message"] = new string('€', 87_350) };

        Assert.False(SnsInjection.Publish(parameters, Bytes, batch: false));
        Assert.Single(parameters);
    }

    [Fact]
    public void ABatchWhoseTotalWouldPassTheLimitIsLeftAlone()
    {
        // PublishBatch limits the sum of its entries to what one message may hold.
        var parameters = new Dictionary<string, string>();
        for (var i = 1; i <= 10; i++)
        {
            parameters[$"PublishBatchRequestEntries.member.{i}.Id"] = $"{i}";
            parameters[$"PublishBatchRequestEntries.member.{i}.Message"] = new string('x', 26_100);
        }

        Assert.True(SnsInjection.Publish(parameters, Bytes, batch: true));

        var injected = Enumerable.Range(1, 10).Select(i => parameters.ContainsKey($"PublishBatchRequestEntries.member.{i}.MessageAttributes.entry.1.Name")).ToArray();
        var total = parameters.Where(p => !p.Key.EndsWith(".Id", StringComparison.Ordinal)).Sum(p => Encoding.UTF8.GetByteCount(p.Value));
        Assert.True(total <= 256 * 1024, $"{total} bytes");
        Assert.True(injected[0]);
        Assert.False(injected[9]);
        Assert.DoesNotContain(true, injected.SkipWhile(i => i));
    }

    [Fact]
    public void LambdaClientContextGetsTheCarrierUnderCustom()
    {
        var context = JsonDocument.Parse(Convert.FromBase64String(LambdaClientContext.Create(null, Bytes, legacy: false)!)).RootElement;

        AssertIsCarrier(context.GetProperty("custom"));
    }

    [Fact]
    public void LambdaClientContextKeepsTheCallersValues()
    {
        var mine = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"client\":{\"app_title\":\"shop\"},\"custom\":{\"tenant\":\"t1\",\"x-datadog-trace-id\":\"999\"}}"));

        var context = JsonDocument.Parse(Convert.FromBase64String(LambdaClientContext.Create(mine, Bytes, legacy: false)!)).RootElement;

        Assert.Equal("shop", context.GetProperty("client").GetProperty("app_title").GetString());
        Assert.Equal("t1", context.GetProperty("custom").GetProperty("tenant").GetString());
        Assert.Equal("999", context.GetProperty("custom").GetProperty("x-datadog-trace-id").GetString());
        Assert.Equal("456", context.GetProperty("custom").GetProperty("x-datadog-parent-id").GetString());
    }

    [Fact]
    public void LegacyLambdaClientContextNestsTheCarrier()
    {
        var context = JsonDocument.Parse(Convert.FromBase64String(LambdaClientContext.Create(null, Bytes, legacy: true)!)).RootElement;

        AssertIsCarrier(context.GetProperty("custom").GetProperty("_datadog"));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("WzFd")] // [1]
    public void LambdaClientContextThatIsNotBase64JsonObjectIsLeftAlone(string existing)
    {
        Assert.Null(LambdaClientContext.Create(existing, Bytes, legacy: false));
    }

    [Theory]
    [InlineData("{\"custom\":\"tenant-42\"}")]
    [InlineData("{\"custom\":null,\"env\":{\"locale\":\"en\"}}")]
    [InlineData("{\"custom\":[1]}")]
    public void LambdaClientContextWhoseCustomIsNotAnObjectIsLeftAlone(string existing)
    {
        // The caller's custom value reaches the called function as it was (dd-trace-py's injection fails and sends it unchanged).
        Assert.Null(LambdaClientContext.Create(Convert.ToBase64String(Encoding.UTF8.GetBytes(existing)), Bytes, legacy: false));
        Assert.Null(LambdaClientContext.Create(Convert.ToBase64String(Encoding.UTF8.GetBytes(existing)), Bytes, legacy: true));
    }

    [Fact]
    public void LambdaClientContextOverTheLimitIsLeftAlone()
    {
        var big = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{{\"custom\":{{\"blob\":\"{new string('x', 2600)}\"}}}}"));
        Assert.True(big.Length < LambdaClientContext.MaxBase64Length);

        Assert.Null(LambdaClientContext.Create(big, Bytes, legacy: false));
    }
}
