// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using System.Text.Json;
using Datadog.Otel.Lambda.AwsSdk.Injection;
using static Datadog.Otel.Lambda.AwsSdk.Tests.Injection.Carrier;

namespace Datadog.Otel.Lambda.AwsSdk.Tests.Injection;

/// <summary>
/// SQS injection on bodies in the shape AWSSDK.SQS 4.x's JSON marshallers write (checked against the real client in
/// the end-to-end tests: attributes arrive at fauxqs).
/// </summary>
public class SqsInjectionTests
{
    [Fact]
    public void SendMessageWithoutAttributesGetsTheDatadogStringAttribute()
    {
        var body = Utf8("{\"MessageBody\":\"hello\",\"QueueUrl\":\"http://q/1/orders\"}");

        var result = Parse(SqsInjection.SendMessage(body, Bytes, batch: false)!);

        var attribute = result.GetProperty("MessageAttributes").GetProperty("_datadog");
        Assert.Equal("String", attribute.GetProperty("DataType").GetString());
        AssertIsCarrier(JsonDocument.Parse(attribute.GetProperty("StringValue").GetString()!).RootElement);
        Assert.Equal("hello", result.GetProperty("MessageBody").GetString());
        Assert.Equal("http://q/1/orders", result.GetProperty("QueueUrl").GetString());
    }

    [Fact]
    public void AnEmptyAttributeMapGetsTheAttribute()
    {
        var body = Utf8("{\"MessageAttributes\":{},\"MessageBody\":\"hello\"}");

        var result = Parse(SqsInjection.SendMessage(body, Bytes, batch: false)!);

        Assert.Single(result.GetProperty("MessageAttributes").EnumerateObject());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(9)]
    [InlineData(10)]
    public void MessagesWithAttributesOfTheirOwnAreLeftAloneWithoutAnMd5Correction(int count)
    {
        // With user attributes AWSSDK.SQS compares the service's attribute MD5 with the typed request's: an added
        // attribute needs the response corrected (SqsMd5Tests), else it would fail the user's call. With 10 there is
        // no room anyway.
        var attributes = string.Join(",", Enumerable.Range(0, count).Select(i => $"\"a{i}\":{{\"DataType\":\"String\",\"StringValue\":\"v\"}}"));
        var body = Utf8($"{{\"MessageAttributes\":{{{attributes}}},\"MessageBody\":\"hello\"}}");

        Assert.Null(SqsInjection.SendMessage(body, Bytes, batch: false));
    }

    [Fact]
    public void AnExistingDatadogAttributeIsNeverOverwritten()
    {
        var body = Utf8("{\"MessageAttributes\":{\"_datadog\":{\"DataType\":\"String\",\"StringValue\":\"mine\"}},\"MessageBody\":\"hello\"}");

        Assert.Null(SqsInjection.SendMessage(body, Bytes, batch: false));
    }

    [Fact]
    public void AMessageAtTheSizeLimitIsLeftAlone()
    {
        var body = Utf8($"{{\"MessageBody\":\"{new string('x', SqsInjection.MaxMessageBytes - 100)}\"}}");

        Assert.Null(SqsInjection.SendMessage(body, Bytes, batch: false));
    }

    [Fact]
    public void AMessageWithAttributesAtTheSizeLimitIsLeftAlone()
    {
        // One user attribute sends the message down the MD5-correction path, which must be size-checked too.
        var body = Utf8($"{{\"MessageAttributes\":{{\"k\":{{\"DataType\":\"String\",\"StringValue\":\"v\"}}}},\"MessageBody\":\"{new string('x', 1_048_400)}\"}}");
        var fixes = new List<SqsMd5Fix>();

        Assert.Null(SqsInjection.SendMessage(body, Bytes, batch: false, fixes));
        Assert.Empty(fixes);
    }

    [Fact]
    public void ABatchWhoseTotalWouldPassTheLimitIsLeftAlone()
    {
        // SQS limits the whole batch to what one message may hold: ten entries just under it together, each of which
        // would fit alone with _datadog, must not all gain it.
        var entries = string.Join(",", Enumerable.Range(1, 10).Select(i => $"{{\"Id\":\"{i}\",\"MessageBody\":\"{new string('x', 104_700)}\"}}"));
        var body = Utf8($"{{\"Entries\":[{entries}],\"QueueUrl\":\"q\"}}");
        Assert.True(body.Length < 1024 * 1024);

        var result = SqsInjection.SendMessage(body, Bytes, batch: true)!;

        Assert.True(result.Length <= 1024 * 1024, $"{result.Length} bytes");
        var injected = Parse(result).GetProperty("Entries").EnumerateArray()
            .Select(e => e.TryGetProperty("MessageAttributes", out _)).ToArray();
        Assert.True(injected[0]);
        Assert.False(injected[9]);

        // Once one entry does not fit, none after it gets the attribute.
        Assert.DoesNotContain(true, injected.SkipWhile(i => i));
    }

    [Fact]
    public void ABatchEntryWithoutMembersStaysJson()
    {
        var body = Utf8("{\"Entries\":[{},{\"Id\":\"1\",\"MessageBody\":\"b\"}],\"QueueUrl\":\"q\"}");

        var entries = Parse(SqsInjection.SendMessage(body, Bytes, batch: true)!).GetProperty("Entries").EnumerateArray().ToArray();

        Assert.Equal(["MessageAttributes"], entries[0].EnumerateObject().Select(p => p.Name));
        Assert.True(entries[1].GetProperty("MessageAttributes").TryGetProperty("_datadog", out _));
    }

    [Fact]
    public void EveryBatchEntryWithoutAttributesGetsTheAttribute()
    {
        var body = Utf8("{\"Entries\":[{\"Id\":\"1\",\"MessageBody\":\"a\"},{\"Id\":\"2\",\"MessageAttributes\":{\"k\":{\"DataType\":\"String\",\"StringValue\":\"v\"}},\"MessageBody\":\"b\"},{\"Id\":\"3\",\"MessageBody\":\"c\"}],\"QueueUrl\":\"q\"}");

        var entries = Parse(SqsInjection.SendMessage(body, Bytes, batch: true)!).GetProperty("Entries").EnumerateArray().ToArray();

        Assert.True(entries[0].GetProperty("MessageAttributes").TryGetProperty("_datadog", out _));
        Assert.Equal(["k"], entries[1].GetProperty("MessageAttributes").EnumerateObject().Select(p => p.Name));
        Assert.True(entries[2].GetProperty("MessageAttributes").TryGetProperty("_datadog", out _));
        Assert.Equal(["1", "2", "3"], entries.Select(e => e.GetProperty("Id").GetString()));
    }

    [Theory]
    [InlineData("{\"QueueUrl\":\"q\"}", "[\"_datadog\"]")]
    [InlineData("{\"MessageAttributeNames\":[],\"QueueUrl\":\"q\"}", "[\"_datadog\"]")]
    [InlineData("{\"MessageAttributeNames\":[\"a\"],\"QueueUrl\":\"q\"}", "[\"_datadog\",\"a\"]")]
    public void ReceiveMessageAsksForTheDatadogAttribute(string body, string names)
    {
        var result = Parse(SqsInjection.ReceiveMessage(Utf8(body))!);

        Assert.Equal(names, result.GetProperty("MessageAttributeNames").GetRawText());
        Assert.Equal("q", result.GetProperty("QueueUrl").GetString());
    }

    [Theory]
    [InlineData("All")]
    [InlineData(".*")]
    [InlineData("_datadog")]
    public void ReceiveMessageThatAlreadyGetsTheAttributeIsLeftAlone(string name)
    {
        Assert.Null(SqsInjection.ReceiveMessage(Encoding.UTF8.GetBytes($"{{\"MessageAttributeNames\":[\"{name}\"],\"QueueUrl\":\"q\"}}")));
    }
}
