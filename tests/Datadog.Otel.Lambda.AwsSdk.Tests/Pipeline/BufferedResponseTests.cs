// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.IO.Pipelines;
using System.Text;
using Amazon.Runtime.EventStreams;
using Amazon.Runtime.Internal;
using Datadog.Otel.Lambda.AwsSdk.Payload;
using Datadog.Otel.Lambda.AwsSdk.Pipeline;
using Datadog.Otel.Lambda.AwsSdk.Services;
using Datadog.Otel.Lambda.AwsSdk.Tests.TestSupport;

namespace Datadog.Otel.Lambda.AwsSdk.Tests.Pipeline;

/// <summary>
/// The response body as the unmarshaller receives it when response payload tagging is on. The responses are stand-ins
/// (<see cref="StandInResponse"/>) because no real service can run here for them: no emulator serves AWS event streams
/// (CloudWatch Logs StartLiveTail, Kinesis SubscribeToShard) or chunked JSON bodies. They reproduce the facts of the
/// SDK's <c>HttpClientResponseData</c> that matter here: the media type without parameters, and Content-Length 0 when
/// the body is chunked.
/// </summary>
public class BufferedResponseTests
{
    private const string Json = "application/x-amz-json-1.0";

    /// <summary>Bounds every wait; a hang shows up as a timeout, never as a stuck run.</summary>
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnEventStreamIsHandedToTheSdkOpenAndUnread(bool async)
    {
        // Stand-in: an event-stream response (Content-Type application/vnd.amazon.eventstream, chunked so ContentLength
        // 0) whose server has sent one event and keeps the stream open, as StartLiveTail and SubscribeToShard do.
        var pipe = new Pipe();
        var eventType = new EventStreamHeader(":event-type");
        eventType.SetString("sessionUpdate");
        var sent = new EventStreamMessage([eventType], Encoding.UTF8.GetBytes("{\"sessionResults\":[]}")).ToByteArray();
        await pipe.Writer.WriteAsync(sent);
        var context = new Dictionary<string, object>();
        var response = new BufferedResponse(new StandInResponse(pipe.Reader.AsStream(), "application/vnd.amazon.eventstream", 0), null, context);
        try
        {
            var stream = await (async ? response.OpenResponseAsync() : Task.Run(response.OpenResponse)).WaitAsync(Generous);

            using var timeout = new CancellationTokenSource(Generous);
            var received = new byte[sent.Length];
            await stream.ReadExactlyAsync(received, timeout.Token);
            var message = EventStreamMessage.FromBuffer(received, 0, received.Length);
            Assert.Equal("sessionUpdate", message.Headers[":event-type"].AsString());
            Assert.Equal("{\"sessionResults\":[]}", Encoding.UTF8.GetString(message.Payload));
            Assert.False(context.ContainsKey(BufferedResponse.BodyKey));
        }
        finally
        {
            await pipe.Writer.CompleteAsync();
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnUnknownLengthBodyOverTheCapReachesTheSdkWholeAndIsNotTagged(bool async)
    {
        // Stand-in: an 8 MiB JSON body sent chunked (ContentLength 0), delivered 16 KiB per read.
        var sent = LargeJson(8 * 1024 * 1024);
        var body = new ChunkedBody(sent, 16 * 1024);
        var context = new Dictionary<string, object>();
        var response = new BufferedResponse(new StandInResponse(body, Json, 0), null, context);

        using var stream = await (async ? response.OpenResponseAsync() : Task.Run(response.OpenResponse)).WaitAsync(Generous);

        // Reading stopped one byte past the cap: the rest is the SDK's to read, not held in memory by the wrapper.
        Assert.Equal(BufferedResponse.MaxBodyBytes + 1, body.Served);
        var received = async ? await ReadAllAsync(stream) : ReadAll(stream);
        Assert.True(received.AsSpan().SequenceEqual(sent), "the SDK must receive the same bytes in the same order");
        Assert.False(context.ContainsKey(BufferedResponse.BodyKey));
        Assert.Empty(ResponseTags(context));
    }

    [Fact]
    public async Task AnOverCapBodyReplaysThroughEveryReadMethod()
    {
        // Stand-in: as above, read by the byte[] overloads the SDK's older code paths use and byte by byte at the seam.
        var sent = LargeJson(BufferedResponse.MaxBodyBytes + 100_000);
        var response = new BufferedResponse(new StandInResponse(new ChunkedBody(sent, 8 * 1024), Json, 0), null, new Dictionary<string, object>());
        using var stream = await response.OpenResponseAsync().WaitAsync(Generous);

        var received = new MemoryStream();
        var buffer = new byte[12_345];
        var start = await stream.ReadAsync(buffer, 0, buffer.Length);
        received.Write(buffer, 0, start);
        while (received.Length < BufferedResponse.MaxBodyBytes + 10 && stream.ReadByte() is var value and >= 0)
        {
            received.WriteByte((byte)value);
        }

        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            received.Write(buffer, 0, read);
        }

        Assert.True(received.ToArray().AsSpan().SequenceEqual(sent));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task ASmallJsonBodyIsKeptAndTagged(bool async, bool lengthKnown)
    {
        // Stand-in: a small SQS JSON response, chunked (ContentLength 0) or with its Content-Length.
        var sent = Encoding.UTF8.GetBytes("{\"MessageId\":\"m-1\",\"MD5OfMessageBody\":\"9e107d9d372bb6826bd81d3542a419d6\"}");
        var context = new Dictionary<string, object>();
        var response = new BufferedResponse(new StandInResponse(new ChunkedBody(sent, 7), Json, lengthKnown ? sent.Length : 0), null, context);

        using var stream = await (async ? response.OpenResponseAsync() : Task.Run(response.OpenResponse)).WaitAsync(Generous);

        Assert.True((async ? await ReadAllAsync(stream) : ReadAll(stream)).AsSpan().SequenceEqual(sent));
        Assert.Equal(sent, context[BufferedResponse.BodyKey]);
        var tags = ResponseTags(context);
        Assert.Equal("m-1", tags["aws.response.body.MessageId"]);
        Assert.Equal("9e107d9d372bb6826bd81d3542a419d6", tags["aws.response.body.MD5OfMessageBody"]);
    }

    [Fact]
    public async Task AnUnknownLengthBodyOfExactlyTheCapIsKept()
    {
        // Stand-in: a chunked body that ends exactly at the cap: the one-byte read past it finds the end.
        var sent = LargeJson(BufferedResponse.MaxBodyBytes);
        var context = new Dictionary<string, object>();
        var response = new BufferedResponse(new StandInResponse(new ChunkedBody(sent, 16 * 1024), Json, 0), null, context);

        using var stream = await response.OpenResponseAsync().WaitAsync(Generous);

        Assert.True((await ReadAllAsync(stream)).AsSpan().SequenceEqual(sent));
        Assert.Equal(sent, context[BufferedResponse.BodyKey]);
    }

    /// <summary>A JSON object of exactly <paramref name="length"/> bytes whose string value varies, so misplaced chunks show.</summary>
    private static byte[] LargeJson(int length)
    {
        var bytes = new byte[length];
        "{\"Data\":\""u8.CopyTo(bytes);
        var random = new Random(7);
        for (var i = 9; i < length - 2; i++)
        {
            bytes[i] = (byte)('a' + random.Next(26));
        }

        bytes[length - 2] = (byte)'"';
        bytes[length - 1] = (byte)'}';
        return bytes;
    }

    private static byte[] ReadAll(Stream stream)
    {
        var all = new MemoryStream();
        var buffer = new byte[20_000];
        int read;
        while ((read = stream.Read(buffer.AsSpan())) > 0)
        {
            all.Write(buffer, 0, read);
        }

        return all.ToArray();
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var timeout = new CancellationTokenSource(Generous);
        var all = new MemoryStream();
        var buffer = new byte[20_000];
        int read;
        while ((read = await stream.ReadAsync(buffer.AsMemory(), timeout.Token)) > 0)
        {
            all.Write(buffer, 0, read);
        }

        return all.ToArray();
    }

    /// <summary>The response payload tags the instrumentation would add from what the wrapper kept, as after the call.</summary>
    private static Dictionary<string, object?> ResponseTags(Dictionary<string, object> context)
    {
        var settings = AwsSdkSettings.FromEnvironment(EnvironmentSource.FromDictionary(new Dictionary<string, string?>
        {
            ["DD_TRACE_CLOUD_RESPONSE_PAYLOAD_TAGGING"] = "all",
        }));
        using var span = new Activity("aws.request");
        var call = new AwsCall(AwsServiceInfo.For("SQS"), "SendMessage", new DefaultRequest(new Amazon.SQS.Model.SendMessageRequest(), "SQS"), null);
        var kept = context.TryGetValue(BufferedResponse.BodyKey, out var body) ? body as byte[] : null;
        ResponsePayloadTags.Apply(span, call, kept, settings.PayloadTagging);
        return span.TagObjects.Where(t => t.Key.StartsWith("aws.response.body.", StringComparison.Ordinal)).ToDictionary(t => t.Key, t => t.Value);
    }
}
