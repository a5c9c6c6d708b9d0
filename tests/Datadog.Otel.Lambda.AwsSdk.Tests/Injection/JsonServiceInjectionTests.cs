// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using System.Text.Json;
using Datadog.Otel.Lambda.AwsSdk.Injection;
using static Datadog.Otel.Lambda.AwsSdk.Tests.Injection.Carrier;

namespace Datadog.Otel.Lambda.AwsSdk.Tests.Injection;

/// <summary>
/// EventBridge, Kinesis and Step Functions have no SDK package in this registry: these bodies are written by hand in the
/// shape their JSON-protocol marshallers in aws-sdk-net produce (PutEventsRequestMarshaller: <c>Entries[].Detail</c> as a
/// string; PutRecord(s)RequestMarshaller: <c>Data</c> base64; StartExecutionRequestMarshaller: <c>input</c> as a string).
/// </summary>
public class JsonServiceInjectionTests
{
    [Fact]
    public void EventBridgeDetailGetsDatadogAndKeepsTheUsersKeys()
    {
        var body = Utf8("{\"Entries\":[{\"Detail\":\"{\\\"order\\\":1}\",\"DetailType\":\"created\",\"Source\":\"shop\"},{\"DetailType\":\"x\",\"Source\":\"shop\"}]}");

        var entries = Parse(JsonServiceInjection.EventBridgePutEvents(body, Bytes)!).GetProperty("Entries").EnumerateArray().ToArray();

        var detail = JsonDocument.Parse(entries[0].GetProperty("Detail").GetString()!).RootElement;
        Assert.Equal(1, detail.GetProperty("order").GetInt32());
        AssertIsCarrier(detail.GetProperty("_datadog"));
        Assert.Equal("shop", entries[0].GetProperty("Source").GetString());

        // An entry without a Detail gets {} with the carrier, as dd-trace-py sends.
        AssertIsCarrier(JsonDocument.Parse(entries[1].GetProperty("Detail").GetString()!).RootElement.GetProperty("_datadog"));
    }

    [Fact]
    public void AnEventBridgeEntryWithoutMembersGetsDetailAndTheRequestStaysJson()
    {
        // The marshaller writes {} for an entry with nothing set; the inserted Detail must not leave a trailing comma.
        var body = Utf8("{\"Entries\":[{},{\"Source\":\"s\",\"DetailType\":\"d\",\"Detail\":\"{\\\"a\\\":1}\"}]}");

        var entries = Parse(JsonServiceInjection.EventBridgePutEvents(body, Bytes)!).GetProperty("Entries").EnumerateArray().ToArray();

        Assert.Equal(["Detail"], entries[0].EnumerateObject().Select(p => p.Name));
        AssertIsCarrier(JsonDocument.Parse(entries[0].GetProperty("Detail").GetString()!).RootElement.GetProperty("_datadog"));
        var second = JsonDocument.Parse(entries[1].GetProperty("Detail").GetString()!).RootElement;
        Assert.Equal(1, second.GetProperty("a").GetInt32());
        AssertIsCarrier(second.GetProperty("_datadog"));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\\\"_datadog\\\":{}}")]
    [InlineData("{\\\"a\\\":1} {}")]
    public void EventBridgeDetailThatIsNotAnObjectWithoutDatadogIsLeftAlone(string detail)
    {
        var body = Utf8($"{{\"Entries\":[{{\"Detail\":\"{detail}\",\"Source\":\"shop\"}}]}}");

        Assert.Null(JsonServiceInjection.EventBridgePutEvents(body, Bytes));
    }

    [Fact]
    public void KinesisJsonDataGetsDatadogAndKeepsItsTrailingNewline()
    {
        var data = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"order\":1}\n"));
        var body = Utf8($"{{\"Data\":\"{data}\",\"PartitionKey\":\"p\",\"StreamName\":\"s\"}}");

        var result = Parse(JsonServiceInjection.KinesisPut(body, Bytes, batch: false)!);

        var text = Encoding.UTF8.GetString(result.GetProperty("Data").GetBytesFromBase64());
        Assert.EndsWith("}\n", text, StringComparison.Ordinal);
        var record = JsonDocument.Parse(text).RootElement;
        Assert.Equal(1, record.GetProperty("order").GetInt32());
        AssertIsCarrier(record.GetProperty("_datadog"));
        Assert.Equal("p", result.GetProperty("PartitionKey").GetString());
    }

    [Fact]
    public void KinesisRecordsAreEachInjectedUnlessNotJson()
    {
        var json = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"a\":1}"));
        var binary = Convert.ToBase64String(new byte[] { 0, 1, 2, 255 });
        var body = Utf8($"{{\"Records\":[{{\"Data\":\"{json}\",\"PartitionKey\":\"1\"}},{{\"Data\":\"{binary}\",\"PartitionKey\":\"2\"}}],\"StreamName\":\"s\"}}");

        var records = Parse(JsonServiceInjection.KinesisPut(body, Bytes, batch: true)!).GetProperty("Records").EnumerateArray().ToArray();

        Assert.Contains("_datadog", Encoding.UTF8.GetString(records[0].GetProperty("Data").GetBytesFromBase64()), StringComparison.Ordinal);
        Assert.Equal(binary, records[1].GetProperty("Data").GetString());
    }

    [Fact]
    public void StepFunctionsInputGetsDatadog()
    {
        var body = Utf8("{\"input\":\"{\\\"order\\\":\\\"é\\\"}\",\"name\":\"run-1\",\"stateMachineArn\":\"arn:aws:states:us-east-1:1:stateMachine:flow\"}");

        var result = Parse(JsonServiceInjection.StepFunctionsStart(body, Bytes)!);

        var input = JsonDocument.Parse(result.GetProperty("input").GetString()!).RootElement;
        Assert.Equal("é", input.GetProperty("order").GetString());
        AssertIsCarrier(input.GetProperty("_datadog"));
        Assert.Equal("run-1", result.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("{\"name\":\"run-1\",\"stateMachineArn\":\"arn\"}")]
    [InlineData("{\"input\":\"[1]\",\"stateMachineArn\":\"arn\"}")]
    [InlineData("{\"input\":\"{\\\"_datadog\\\":{\\\"x\\\":1}}\",\"stateMachineArn\":\"arn\"}")]
    public void StepFunctionsInputWithoutRoomIsLeftAlone(string body)
    {
        Assert.Null(JsonServiceInjection.StepFunctionsStart(Utf8(body), Bytes));
    }

    [Fact]
    public void AnInputNearTheStepFunctionsLimitIsLeftAlone()
    {
        // StartExecution's input is at most 262,144 UTF-8 bytes.
        var body = Utf8($"{{\"input\":\"{{\\\"a\\\":\\\"{new string('x', 262_144 - 60)}\\\"}}\",\"stateMachineArn\":\"arn\"}}");

        Assert.Null(JsonServiceInjection.StepFunctionsStart(body, Bytes));
    }

    [Fact]
    public void AKinesisRecordWhosePartitionKeyWouldPassTheLimitIsLeftAlone()
    {
        // Kinesis counts the partition key toward the record's 1 MiB.
        var data = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{{\"a\":\"{new string('x', (1024 * 1024) - 200)}\"}}"));
        var body = Utf8($"{{\"Data\":\"{data}\",\"PartitionKey\":\"{new string('p', 256)}\",\"StreamName\":\"s\"}}");

        Assert.Null(JsonServiceInjection.KinesisPut(body, Bytes, batch: false));
    }

    [Fact]
    public void KinesisRecordsWhoseTotalWouldPassTheLimitAreLeftAlone()
    {
        // PutRecords takes at most 5 MiB of data and partition keys in all: six records just under it together.
        var record = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{{\"a\":\"{new string('x', 873_800)}\"}}"));
        var body = Utf8($"{{\"Records\":[{string.Join(",", Enumerable.Range(1, 6).Select(i => $"{{\"Data\":\"{record}\",\"PartitionKey\":\"{i}\"}}"))}],\"StreamName\":\"s\"}}");

        var result = JsonServiceInjection.KinesisPut(body, Bytes, batch: true);

        var total = result is null ? 0 : Parse(result).GetProperty("Records").EnumerateArray()
            .Sum(r => r.GetProperty("Data").GetBytesFromBase64().Length + r.GetProperty("PartitionKey").GetString()!.Length);
        Assert.True(total <= 5 * 1024 * 1024, $"{total} bytes");
    }

    [Fact]
    public void EventBridgeEntriesGetDatadogUntilTheRequestWouldPassTheLimit()
    {
        // The first entries still get the carrier; the one that would pass 1 MiB and those after it do not.
        var detail = $"{{\\\"a\\\":\\\"{new string('x', 104_780)}\\\"}}";
        var body = Utf8($"{{\"Entries\":[{string.Join(",", Enumerable.Range(1, 10).Select(_ => $"{{\"Detail\":\"{detail}\",\"Source\":\"s\"}}"))}]}}");
        Assert.True(body.Length < 1024 * 1024);

        var result = JsonServiceInjection.EventBridgePutEvents(body, Bytes)!;

        Assert.True(result.Length <= 1024 * 1024, $"{result.Length} bytes");
        var injected = Parse(result).GetProperty("Entries").EnumerateArray()
            .Select(e => e.GetProperty("Detail").GetString()!.Contains("_datadog", StringComparison.Ordinal)).ToArray();
        Assert.True(injected[0]);
        Assert.False(injected[9]);
        Assert.DoesNotContain(true, injected.SkipWhile(i => i));
    }
}
