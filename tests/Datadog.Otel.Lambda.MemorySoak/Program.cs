// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using System.Text;
using Datadog.Otel.Lambda;
using OpenTelemetry;
using OpenTelemetry.Trace;

// The memory soak's child process: `Datadog.Otel.Lambda.MemorySoak <invocations> <otlp traces endpoint> [warm-up invocations] [samples]`. Tracing is on
// or off through DD_TRACE_ENABLED, as a function's would be; everything else is the same in both runs: the provider is
// built, every invocation goes through DatadogLambda.TraceAsync (a pass-through when tracing is off), each gets a fresh
// copy of its event (as the Lambda runtime reads each event into a new array), and the handler reads the whole event.
// Prints "rss <invocations done> <kB>" lines, then one summary line.
var invocations = int.Parse(args[0], CultureInfo.InvariantCulture);
var endpoint = new Uri(args[1]);
var warmup = int.Parse(args.Length > 2 ? args[2] : "600", CultureInfo.InvariantCulture);
var samples = int.Parse(args.Length > 3 ? args[3] : "10", CultureInfo.InvariantCulture);

using var provider = Sdk.CreateTracerProviderBuilder()
    .AddDatadogLambda(o =>
    {
        o.Exporter = DatadogLambdaExporter.Extension;
        o.Endpoint = endpoint;
    })
    .Build()!;

var small = SoakEvents.Small();
var big = SoakEvents.Big();

// Warm-up: the small events until the runtime's compiler is done with them. Tiered compilation compiles every path at
// first use, then recompiles the hot methods optimized in the background once they have run often enough after a quiet
// 100 ms: the warm-up runs the fixed count, then goes on in rounds of at least 250 ms until two rounds in a row compile
// (next to) nothing, 20 rounds at most. Big events come only in the soak: what they leave behind (pooled buffers above
// all) is what is measured.
var warmedUp = 0;
for (; warmedUp < warmup; warmedUp++)
{
    await WarmupInvoke(warmedUp);
}

var quietRounds = 0;
for (var round = 0; round < 20 && quietRounds < 2; round++)
{
    var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
    var watch = System.Diagnostics.Stopwatch.StartNew();
    while (watch.ElapsedMilliseconds < 250)
    {
        await WarmupInvoke(warmedUp++);
    }

    quietRounds = System.Runtime.JitInfo.GetCompiledMethodCount() - compiled <= 2 ? quietRounds + 1 : 0;
}

Settle();
var baseline = Rss();
Console.WriteLine($"baseline {baseline}");

// The soak: one event in ten is big (6, 7.5 or 9 MB in turn), the others are the small ones in turn.
var peak = baseline;
var bigCount = 0;
for (var i = 0; i < invocations; i++)
{
    var bytes = i % 10 == 3 ? big[bigCount++ % big.Length] : small[i % small.Length];
    await Invoke(bytes, "soak-" + i);
    if ((i + 1) % Math.Max(1, invocations / samples) == 0)
    {
        var rss = Rss();
        peak = Math.Max(peak, rss);
        Console.WriteLine($"rss {i + 1} {rss}");
    }
}

var end = Rss();
Settle();
var settled = Rss();
Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"summary baselineKb={baseline} endKb={end} settledKb={settled} peakKb={Math.Max(peak, end)} invocations={invocations} bigEvents={bigCount} warmup={warmedUp} managedKb={GC.GetTotalMemory(false) / 1024}"));
return 0;

Task WarmupInvoke(int i) => Invoke(small[i % small.Length], "warmup-" + i);

async Task Invoke(byte[] template, string requestId)
{
    // A fresh array per invocation, as the runtime's; wrapped as the runtime wraps it (a non-public buffer).
    var bytes = template.ToArray();
    var context = new DatadogLambdaContext
    {
        AwsRequestId = requestId,
        InvokedFunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:soak",
        FunctionName = "soak",
        FunctionVersion = "$LATEST",
        MemoryLimitInMB = 1024,
        Deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30),
    };
    await DatadogLambda.TraceAsync(provider, new MemoryStream(bytes), context, static async (stream, _) =>
    {
        await stream.CopyToAsync(Stream.Null).ConfigureAwait(false);
        return "{\"statusCode\":200,\"body\":\"ok\"}";
    }).ConfigureAwait(false);
}

// A full, compacting collection that also gives free memory back to the system: what remains resident is what the
// process keeps (live objects, pooled buffers, code), not garbage waiting for the next collection.
static void Settle()
{
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
}

// The process's resident set, from the kernel (kB).
static long Rss()
{
    foreach (var line in File.ReadLines("/proc/self/status"))
    {
        if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
        {
            return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
        }
    }

    throw new InvalidOperationException("no VmRSS in /proc/self/status");
}

/// <summary>The soak's events, generated (deterministically) in the shapes AWS sends.</summary>
internal static class SoakEvents
{
    public static byte[][] Small() =>
    [
        Utf8("""{"Records":[{"messageId":"m-1","receiptHandle":"r","body":"{\"order\":1,\"items\":[\"a\",\"b\"]}","attributes":{"SentTimestamp":"1795600800000","ApproximateReceiveCount":"1"},"messageAttributes":{"_datadog":{"stringValue":"{\"x-datadog-trace-id\":\"111\",\"x-datadog-parent-id\":\"222\",\"x-datadog-sampling-priority\":\"1\"}","dataType":"String"}},"eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-1:123456789012:orders","awsRegion":"us-east-1"}]}"""),
        Utf8(RestEvent(Body(2_000))),
        Utf8("""{"version":"2.0","routeKey":"GET /orders","rawPath":"/orders","rawQueryString":"page=2&token=abc","headers":{"host":"api.example.com","user-agent":"curl/8","x-datadog-trace-id":"333","x-datadog-parent-id":"444"},"requestContext":{"accountId":"123456789012","apiId":"api","domainName":"api.example.com","http":{"method":"GET","path":"/orders","sourceIp":"203.0.113.5","userAgent":"curl/8"},"requestId":"r-1","routeKey":"GET /orders","stage":"$default","timeEpoch":1795600800000},"isBase64Encoded":false}"""),
        Utf8("""{"Records":[{"EventSource":"aws:sns","Sns":{"Type":"Notification","MessageId":"n-1","TopicArn":"arn:aws:sns:us-east-1:123456789012:topic","Message":"{\"hello\":\"world\"}","Timestamp":"2026-11-25T10:00:00.000Z","MessageAttributes":{}}}]}"""),
        Utf8("""{"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1","eventTime":"2026-11-25T10:00:00.000Z","eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"bucket","arn":"arn:aws:s3:::bucket"},"object":{"key":"a/b.txt","size":12,"eTag":"0123456789abcdef0123456789abcdef"}}}]}"""),
        Utf8("""{"Records":[{"eventID":"1","eventName":"INSERT","eventSource":"aws:dynamodb","awsRegion":"us-east-1","dynamodb":{"ApproximateCreationDateTime":1795600800,"Keys":{"id":{"S":"k-1"}},"NewImage":{"id":{"S":"k-1"},"n":{"N":"1"}},"SizeBytes":26,"StreamViewType":"NEW_IMAGE"},"eventSourceARN":"arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2026-11-25T00:00:00.000"}]}"""),
        Utf8("""{"Records":[{"kinesis":{"partitionKey":"p","data":"eyJoZWxsbyI6IndvcmxkIn0=","sequenceNumber":"1","approximateArrivalTimestamp":1795600800.0},"eventSource":"aws:kinesis","eventID":"shardId-000000000000:1","eventSourceARN":"arn:aws:kinesis:us-east-1:123456789012:stream/s","awsRegion":"us-east-1"}]}"""),
        Utf8("""{"version":"0","id":"e-1","detail-type":"OrderPlaced","source":"com.shop","account":"123456789012","time":"2026-11-25T10:00:00Z","region":"us-east-1","resources":[],"detail":{"order":1}}"""),
    ];

    /// <summary>6 MB (an API Gateway request with a JSON body), 7.5 MB (an SQS batch of ten 750 kB messages), 9 MB (a direct invocation's JSON).</summary>
    public static byte[][] Big() =>
    [
        Utf8(RestEvent(Body(6_000_000))),
        Utf8(SqsBatch(10, 750_000)),
        Utf8(Body(9_000_000)),
    ];

    private static string RestEvent(string body)
    {
        var escaped = body.Replace("\"", "\\\"", StringComparison.Ordinal);
        return "{\"resource\":\"/orders\",\"path\":\"/orders\",\"httpMethod\":\"POST\",\"headers\":{\"Host\":\"api.example.com\",\"User-Agent\":\"curl/8\",\"Content-Type\":\"application/json\"},"
            + "\"requestContext\":{\"accountId\":\"123456789012\",\"resourceId\":\"r\",\"stage\":\"prod\",\"requestId\":\"r-1\",\"requestTimeEpoch\":1795600800000,\"identity\":{\"sourceIp\":\"203.0.113.5\",\"userAgent\":\"curl/8\"},\"path\":\"/prod/orders\",\"resourcePath\":\"/orders\",\"httpMethod\":\"POST\",\"apiId\":\"api\",\"domainName\":\"api.example.com\"},"
            + "\"body\":\"" + escaped + "\",\"isBase64Encoded\":false}";
    }

    private static string SqsBatch(int records, int bodyChars)
    {
        var builder = new StringBuilder("{\"Records\":[");
        for (var i = 0; i < records; i++)
        {
            builder.Append(i == 0 ? string.Empty : ",")
                .Append("{\"messageId\":\"m-").Append(i).Append("\",\"receiptHandle\":\"r\",\"body\":\"")
                .Append(Body(bodyChars).Replace("\"", "\\\"", StringComparison.Ordinal))
                .Append("\",\"attributes\":{\"SentTimestamp\":\"1795600800000\"},\"messageAttributes\":{},\"eventSource\":\"aws:sqs\",\"eventSourceARN\":\"arn:aws:sqs:us-east-1:123456789012:orders\",\"awsRegion\":\"us-east-1\"}");
        }

        return builder.Append("]}").ToString();
    }

    /// <summary>A JSON object of about <paramref name="chars"/> characters: an array of order lines.</summary>
    private static string Body(int chars)
    {
        var builder = new StringBuilder(chars + 128).Append("{\"customer\":\"c-1\",\"lines\":[");
        var random = new Random(chars);
        for (var i = 0; builder.Length < chars; i++)
        {
            builder.Append(i == 0 ? string.Empty : ",")
                .Append("{\"sku\":\"SKU-").Append(random.Next(100_000)).Append("\",\"qty\":").Append(random.Next(1, 9))
                .Append(",\"note\":\"").Append(Convert.ToHexString(BitConverter.GetBytes(random.NextInt64()))).Append("\"}");
        }

        return builder.Append("]}").ToString();
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
