// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using System.Text.Json;
using Amazon.SQS.Internal;
using Amazon.SQS.Model;
using Datadog.Otel.Lambda.AwsSdk.Injection;
using Datadog.Otel.Lambda.AwsSdk.Pipeline;
using static Datadog.Otel.Lambda.AwsSdk.Tests.Injection.Carrier;

namespace Datadog.Otel.Lambda.AwsSdk.Tests.Injection;

/// <summary>
/// The attribute MD5s of messages with attributes of their own, checked against AWSSDK.SQS's own
/// <c>ValidationResponseHandler.CalculateMD5</c>, and the response rewrite that makes the SDK's check see them.
/// </summary>
public class SqsMd5Tests
{
    [Fact]
    public void TheMd5sAreTheOnesAwsSdkSqsComputes()
    {
        var body = Utf8("{\"MessageAttributes\":{\"k\":{\"DataType\":\"String\",\"StringValue\":\"mine\"},\"b\":{\"BinaryValue\":\"AQID\",\"DataType\":\"Binary\"},\"n\":{\"DataType\":\"Number.int\",\"StringValue\":\"42\"}},\"MessageBody\":\"x\"}");
        var fixes = new List<SqsMd5Fix>();

        var sent = Parse(SqsInjection.SendMessage(body, Bytes, batch: false, fixes)!);

        var fix = Assert.Single(fixes);
        var user = new Dictionary<string, MessageAttributeValue>
        {
            ["k"] = new() { DataType = "String", StringValue = "mine" },
            ["b"] = new() { DataType = "Binary", BinaryValue = new MemoryStream([1, 2, 3]) },
            ["n"] = new() { DataType = "Number.int", StringValue = "42" },
        };
        Assert.Equal(ValidationResponseHandler.CalculateMD5(user), fix.Expected);
        user["_datadog"] = new() { DataType = "String", StringValue = sent.GetProperty("MessageAttributes").GetProperty("_datadog").GetProperty("StringValue").GetString() };
        Assert.Equal(ValidationResponseHandler.CalculateMD5(user), fix.Sent);
        Assert.Null(fix.EntryId);
    }

    [Fact]
    public void ListValuesAreNotInjected()
    {
        var body = Utf8("{\"MessageAttributes\":{\"l\":{\"DataType\":\"String\",\"StringListValues\":[\"a\"]}},\"MessageBody\":\"x\"}");
        var fixes = new List<SqsMd5Fix>();

        Assert.Null(SqsInjection.SendMessage(body, Bytes, batch: false, fixes));
        Assert.Empty(fixes);
    }

    [Fact]
    public void TheResponseGetsTheExpectedMd5OnlyWhereTheServiceSawWhatWasSent()
    {
        var fixes = new[] { new SqsMd5Fix("1", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"), new SqsMd5Fix("2", "cccccccccccccccccccccccccccccccc", "dddddddddddddddddddddddddddddddd") };
        var body = Utf8("{\"Failed\":[],\"Successful\":[{\"Id\":\"1\",\"MD5OfMessageAttributes\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"MessageId\":\"m1\"},{\"MD5OfMessageAttributes\":\"eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee\",\"Id\":\"2\"}]}");

        var entries = Parse(BufferedResponse.Rewrite(body, fixes)).GetProperty("Successful").EnumerateArray().ToArray();

        Assert.Equal("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", entries[0].GetProperty("MD5OfMessageAttributes").GetString());
        Assert.Equal("m1", entries[0].GetProperty("MessageId").GetString());
        Assert.Equal("eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", entries[1].GetProperty("MD5OfMessageAttributes").GetString());
    }

    [Fact]
    public void ASingleResponseAndBadBodies()
    {
        var fixes = new[] { new SqsMd5Fix(null, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb") };

        var rewritten = Parse(BufferedResponse.Rewrite(Utf8("{\"MD5OfMessageAttributes\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"MD5OfMessageBody\":\"x\"}"), fixes));

        Assert.Equal("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", rewritten.GetProperty("MD5OfMessageAttributes").GetString());
        var notJson = Utf8("<xml/>");
        Assert.Same(notJson, BufferedResponse.Rewrite(notJson, fixes));
        var truncated = Utf8("{\"MD5OfMessageAttributes\":\"aaaa");
        Assert.Same(truncated, BufferedResponse.Rewrite(truncated, fixes));

        // A lone surrogate escape is valid JSON that GetString refuses (InvalidOperationException): the user's call gets
        // the body unchanged, not an exception.
        var loneSurrogate = Utf8("{\"MD5OfMessageAttributes\":\"\\ud800\"}");
        Assert.Same(loneSurrogate, BufferedResponse.Rewrite(loneSurrogate, fixes));
        var loneSurrogateId = Utf8("{\"Successful\":[{\"Id\":\"\\ud800\",\"MD5OfMessageAttributes\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}]}");
        Assert.Same(loneSurrogateId, BufferedResponse.Rewrite(loneSurrogateId, [new SqsMd5Fix("1", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")]));
    }
}
