// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics.Tracing;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Tests.TestSupport;

namespace Datadog.Otel.Lambda.Tests.Invocation;

/// <summary>
/// Events of several megabytes: tracing reads them without leaving large arrays in the shared pool (the pool keeps what
/// it is given back, per thread), from a digest when they are larger than one bounded parse, and still sees their trigger.
/// </summary>
[Collection("Tracing")]
public class LargeEventTests
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public void ASixMegabyteRequestIsTracedFromItsDigest()
    {
        using var tracing = new TestTracing(new() { ["DD_CAPTURE_LAMBDA_PAYLOAD"] = "true" });
        var bytes = RestEvent(6_000_000);
        var read = DatadogLambda.Trace(tracing.Provider, new MemoryStream(bytes), TestTracing.Context(), (s, _) =>
        {
            using var copy = new MemoryStream();
            s.CopyTo(copy);
            return copy.ToArray();
        });

        Assert.Equal(bytes, read);
        var span = tracing.LambdaSpan("req-1");
        Assert.Equal("api-gateway", span.GetTagItem("function_trigger.event_source"));
        Assert.Equal("POST", span.GetTagItem("http.method"));
        Assert.Equal("prod", span.GetTagItem("function.request.requestContext.stage"));
        Assert.Equal("false", span.GetTagItem("function.request.isBase64Encoded")); // after the body: kept
        Assert.Null(span.GetTagItem("function.request.body")); // did not fit
    }

    [Fact]
    public void TracingLeavesNoLargeArrayInTheSharedPool()
    {
        using var tracing = new TestTracing(new() { ["DD_CAPTURE_LAMBDA_PAYLOAD"] = "true" });
        var events = new[] { RestEvent(6_000_000), SqsBatch(10, 750_000), Numbers(7_000_000) };
        using var pool = new SharedPoolWatch();

        // Synchronous overloads with the in-memory exporter: everything tracing does runs on this thread.
        foreach (var bytes in events)
        {
            DatadogLambda.Trace(tracing.Provider, new MemoryStream(bytes), TestTracing.Context(), (_, _) => 0);
            DatadogLambda.Trace(tracing.Provider, new MemoryStream(bytes, 0, bytes.Length, writable: false, publiclyVisible: true), TestTracing.Context(), (_, _) => 0);
        }

        Assert.True(pool.LargeRentsOnThisThread.Count == 0, "rented: " + string.Join(", ", pool.LargeRentsOnThisThread));
        Assert.Equal(6, tracing.Exported.Count(a => a.GetTagItem("operation.name") as string == "aws.lambda"));
    }

    [Fact]
    public void TheDigestKeepsWhatFitsInOrderAndStaysJson()
    {
        var batch = SqsBatch(10, 750_000);
        var digest = JsonDigest.Create(batch, new JsonReaderOptions { MaxDepth = 256 }, out var complete);

        Assert.False(complete);
        Assert.InRange(digest.Length, 1, SafeJson.MaxParseBytes);
        using var document = JsonDocument.Parse(digest);
        var records = document.RootElement.GetProperty("Records").EnumerateArray().ToList();
        Assert.Equal(10, records.Count); // every record, with its attributes
        Assert.All(records, r => Assert.Equal("aws:sqs", r.GetProperty("eventSource").GetString()));
        Assert.InRange(records.Count(r => r.TryGetProperty("body", out _)), 2, 9); // the bodies that fit, whole
        Assert.All(records.Where(r => r.TryGetProperty("body", out _)), r => JsonDocument.Parse(r.GetProperty("body").GetString()!).Dispose());

        // A token budget too: a dense array is cut, and the containers still open are closed.
        var numbers = JsonDigest.Create(Numbers(9_000_000), new JsonReaderOptions { MaxDepth = 256 }, out _);
        using var dense = JsonDocument.Parse(numbers);
        Assert.InRange(dense.RootElement.GetProperty("values").GetArrayLength(), 1_000, SafeJson.MaxTokens);

        // Nesting deeper than 64 keeps its commas right.
        var deep = string.Concat(Enumerable.Repeat("[1,", 100)) + "2" + new string(']', 100);
        Assert.Equal(deep, Encoding.UTF8.GetString(JsonDigest.Create(Encoding.UTF8.GetBytes(deep), new JsonReaderOptions { MaxDepth = 256 }, out var whole)));
        Assert.True(whole);
    }

    [Fact]
    public void OneParseIsBoundedInBytesAndTokens()
    {
        Assert.True(SafeJson.FitsOneParse(Encoding.UTF8.GetBytes("[" + string.Join(',', Enumerable.Repeat("1", 30_000)) + "]"), default));
        Assert.False(SafeJson.FitsOneParse(Encoding.UTF8.GetBytes("[" + string.Join(',', Enumerable.Repeat("1", 90_000)) + "]"), default));
        Assert.False(SafeJson.FitsOneParse(Encoding.UTF8.GetBytes("\"" + new string('x', SafeJson.MaxParseBytes) + "\""), default));
        Assert.ThrowsAny<JsonException>(() => SafeJson.Parse("[" + string.Join(',', Enumerable.Repeat("1", 90_000)) + "]"));
        using var large = SafeJson.Parse("{\"s\":\"" + new string('x', 2_000_000) + "\"}");
        Assert.Equal(2_000_000, large.RootElement.GetProperty("s").GetString()!.Length);
    }

    private static byte[] RestEvent(int bodyChars)
    {
        var root = JsonNode.Parse(EventSamples.Load("api-gateway-rest.json"))!.AsObject();
        root["httpMethod"] = "POST";
        root.Remove("body");
        root.Remove("isBase64Encoded");
        root["body"] = Body(bodyChars);
        root["isBase64Encoded"] = false;
        return Encoding.UTF8.GetBytes(root.ToJsonString(Relaxed));
    }

    private static byte[] SqsBatch(int records, int bodyChars)
    {
        var array = new JsonArray();
        for (var i = 0; i < records; i++)
        {
            array.Add(new JsonObject
            {
                ["messageId"] = "m-" + i,
                ["body"] = Body(bodyChars),
                ["attributes"] = new JsonObject { ["SentTimestamp"] = "1795600800000" },
                ["messageAttributes"] = new JsonObject(),
                ["eventSource"] = "aws:sqs",
                ["eventSourceARN"] = "arn:aws:sqs:us-east-1:123456789012:orders",
            });
        }

        return Encoding.UTF8.GetBytes(new JsonObject { ["Records"] = array }.ToJsonString(Relaxed));
    }

    private static byte[] Numbers(int bytes) =>
        Encoding.UTF8.GetBytes("{\"kind\":\"numbers\",\"values\":[" + string.Join(',', Enumerable.Range(0, bytes / 8).Select(i => i % 1_000_000)) + "]}");

    private static string Body(int chars)
    {
        var builder = new StringBuilder("{\"lines\":[");
        for (var i = 0; builder.Length < chars; i++)
        {
            builder.Append(i == 0 ? string.Empty : ",").Append("{\"sku\":\"SKU-").Append(i).Append("\",\"qty\":").Append(i % 9).Append('}');
        }

        return builder.Append("]}").ToString();
    }

    /// <summary>Rents of more than a megabyte from the shared byte pool on the test's thread (its own event source).</summary>
    private sealed class SharedPoolWatch : EventListener
    {
        // Listeners are called on the thread that writes the event: the rents of this thread are the ones seen here.
        private readonly int thread = Environment.CurrentManagedThreadId;
        private readonly List<int> large = [];

        public IReadOnlyList<int> LargeRentsOnThisThread
        {
            get
            {
                lock (this.large)
                {
                    return [.. this.large];
                }
            }
        }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "System.Buffers.ArrayPoolEventSource")
            {
                this.EnableEvents(eventSource, EventLevel.Verbose);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            // BufferRented (1) and BufferAllocated (2) carry the buffer's size second.
            if (eventData.EventId is 1 or 2 && eventData.Payload is { Count: > 1 } payload && payload[1] is int size && size > BoundedBuffers.PooledLimit
                && Environment.CurrentManagedThreadId == this.thread)
            {
                lock (this.large)
                {
                    this.large.Add(size);
                }
            }
        }
    }
}
