// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using Datadog.Otel.Lambda.Tests.TestSupport;

namespace Datadog.Otel.Lambda.Tests.Invocation;

[Collection("Tracing")]
public class BadInputTests
{
    public static TheoryData<string?> Events => new()
    {
        null,
        string.Empty,
        "not json",
        "{\"Records\":[{\"eventSource\":\"aws:sqs\"",
        "[]",
        "42",
        "\"text\"",
        "{\"Records\":\"not an array\"}",
        "{\"Records\":[1,2,3]}",
        "{\"requestContext\":[],\"headers\":5}",
        new string('[', 10_000),
    };

    [Theory]
    [MemberData(nameof(Events))]
    public async Task MalformedEventsAreTracedWithoutFailingTheHandler(string? json)
    {
        using var tracing = new TestTracing();
        Stream? stream = json is null ? null : new MemoryStream(Encoding.UTF8.GetBytes(json));
        var result = await DatadogLambda.TraceAsync(tracing.Provider, stream!, TestTracing.Context(), (s, _) => Task.FromResult(s is null ? -1 : s.Length));
        Assert.Equal(json is null ? -1 : Encoding.UTF8.GetByteCount(json), result);
        Assert.NotNull(tracing.LambdaSpan("req-1"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("arn")]
    [InlineData("arn:aws:lambda")]
    [InlineData(":::::::::::")]
    [InlineData("arn:aws:lambda:us-east-1:123:function:f:alias:extra:more")]
    public async Task MalformedArnsOnlyReduceTags(string? arn)
    {
        using var tracing = new TestTracing();
        var context = new DatadogLambdaContext { AwsRequestId = "req-1", InvokedFunctionArn = arn };
        Assert.Equal(3, await DatadogLambda.TraceAsync(tracing.Provider, new MemoryStream("{}"u8.ToArray()), context, (_, _) => Task.FromResult(3)));
        var span = tracing.LambdaSpan("req-1");
        Assert.Equal("My-Function", span.GetTagItem("resource.name"));
    }

    [Fact]
    public async Task MissingContextAndPastDeadlineAreHarmless()
    {
        using var tracing = new TestTracing();
        Assert.Equal(1, await DatadogLambda.TraceAsync(tracing.Provider, new MemoryStream("{}"u8.ToArray()), null!, (_, _) => Task.FromResult(1)));
        var past = new DatadogLambdaContext { AwsRequestId = "past", Deadline = DateTimeOffset.UtcNow - TimeSpan.FromSeconds(5) };
        Assert.Equal(2, await DatadogLambda.TraceAsync(tracing.Provider, new MemoryStream("{}"u8.ToArray()), past, (_, _) => Task.FromResult(2)));
        Assert.NotNull(tracing.LambdaSpan("past"));
    }

    [Fact]
    public async Task NonSeekableStreamIsLeftToTheHandler()
    {
        using var tracing = new TestTracing();
        var inner = new MemoryStream("{\"a\":1}"u8.ToArray());
        var stream = new ForwardOnlyStream(inner);
        var text = await DatadogLambda.TraceAsync(tracing.Provider, stream, TestTracing.Context(), async (s, _) => await new StreamReader(s).ReadToEndAsync());
        Assert.Equal("{\"a\":1}", text);
    }

    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
