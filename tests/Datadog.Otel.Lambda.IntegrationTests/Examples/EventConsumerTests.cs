// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda.ExtensionEmulator;
using Datadog.Otel.Lambda.IntegrationTests.TestSupport;
using EventConsumers;

namespace Datadog.Otel.Lambda.IntegrationTests.Examples;

/// <summary>
/// Each consumer in examples/EventConsumers, invoked with the trigger's sample event (the test corpus), exports the
/// trace its documentation promises to the extension emulator.
/// </summary>
[Collection("Tracing")]
public sealed class EventConsumerTests : IAsyncLifetime
{
    private ExtensionEmulator.ExtensionEmulator extension = null!;

    public async Task InitializeAsync() => this.extension = await ExtensionEmulator.ExtensionEmulator.StartAsync(new ExtensionEmulatorOptions { Port = 0 });

    public async Task DisposeAsync() => await this.extension.DisposeAsync();

    [Fact]
    public async Task SqsBatchConsumerContinuesTheSendersTraceAndLinksTheOthers()
    {
        using var consumer = new SqsBatchConsumer(this.Export);
        var response = await consumer.Handle(Event("sqs-batch"), EmulatorHarness.Context("sqs-batch"));

        Assert.Empty(response.BatchItemFailures);
        var trace = await this.TraceOf("sqs-batch");
        var sqs = trace.Spans.Single(s => s.Name == "aws.sqs");
        var lambda = Lambda(trace);
        Assert.Equal(sqs.SpanId, lambda.ParentId);
        Assert.NotEqual(0UL, sqs.ParentId);
        Assert.NotEmpty(sqs.Links.Concat(lambda.Links));
        var records = JsonDocument.Parse(File.ReadAllText(Path("sqs-batch"))).RootElement.GetProperty("Records").GetArrayLength();
        Assert.Equal(records, trace.Spans.Count(s => s.Resource == "process message" && s.ParentId == lambda.SpanId));
    }

    [Fact]
    public async Task SqsBatchConsumerReportsOnlyTheFailedMessage()
    {
        using var consumer = new SqsBatchConsumer(this.Export);
        var json = """{"Records":[{"messageId":"ok","body":"fine","eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-1:123456789012:q"},{"messageId":"bad","body":"fail","eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-1:123456789012:q"}]}""";
        var response = await consumer.Handle(EmulatorHarness.Event(json), EmulatorHarness.Context("sqs-partial"));
        Assert.Equal(["bad"], response.BatchItemFailures.Select(f => f.ItemIdentifier));
    }

    [Theory]
    [InlineData("sns", new[] { "aws.sns" })]
    [InlineData("sns-sqs", new[] { "aws.sns", "aws.sqs" })]
    public async Task SnsConsumerContinuesThePublishersTraceDirectlyOrThroughAQueue(string sample, string[] chain)
    {
        using var consumer = new SnsConsumer(this.Export);
        await consumer.Handle(Json(sample), EmulatorHarness.Context(sample));

        var trace = await this.TraceOf(sample);
        var parent = trace.Spans.Single(s => s.Name == chain[0]);
        Assert.NotEqual(0UL, parent.ParentId);
        foreach (var name in chain.Skip(1).Append("aws.lambda"))
        {
            var child = trace.Spans.Single(s => s.Name == name);
            Assert.Equal(parent.SpanId, child.ParentId);
            parent = child;
        }
    }

    [Fact]
    public async Task EventBridgeConsumerContinuesTheProducersTrace()
    {
        using var consumer = new EventBridgeConsumer(this.Export);
        var type = await consumer.Handle(Json("eventbridge"), EmulatorHarness.Context("eventbridge"));

        Assert.NotNull(type);
        var trace = await this.TraceOf("eventbridge");
        var eventBridge = trace.Spans.Single(s => s.Name == "aws.eventbridge");
        Assert.Equal(5123UL, eventBridge.TraceId);
        Assert.Equal(eventBridge.SpanId, Lambda(trace).ParentId);
        Assert.Contains(trace.Spans, s => s.Resource == "handle " + type);
    }

    [Fact]
    public async Task KinesisConsumerHasTheStreamSpan()
    {
        using var consumer = new KinesisConsumer(this.Export);
        var characters = await consumer.Handle(Json("kinesis"), EmulatorHarness.Context("kinesis"));

        Assert.True(characters > 0);
        var trace = await this.TraceOf("kinesis");
        Assert.Equal(trace.Spans.Single(s => s.Name == "aws.kinesis").SpanId, Lambda(trace).ParentId);
    }

    [Theory]
    [InlineData("s3", "aws.s3", "aws.s3.object")]
    [InlineData("dynamodb", "aws.dynamodb", "aws.dynamodb.item")]
    public async Task StorageConsumersCarrySpanPointers(string sample, string inferred, string pointerKind)
    {
        using IDisposable consumer = sample == "s3" ? new S3Consumer(this.Export) : new DynamoDbStreamConsumer(this.Export);
        var context = EmulatorHarness.Context(sample);
        if (consumer is S3Consumer s3)
        {
            Assert.NotEmpty(await s3.Handle(Json(sample), context));
        }
        else
        {
            Assert.True(await ((DynamoDbStreamConsumer)consumer).Handle(Json(sample), context) > 0);
        }

        var trace = await this.TraceOf(sample);
        var pointers = trace.Spans.SelectMany(s => s.Links).Where(l => l.Attributes.TryGetValue("ptr.kind", out var kind) && kind == pointerKind).ToList();
        Assert.NotEmpty(pointers);
        Assert.All(pointers, p => Assert.Matches("^[0-9a-f]{32}$", p.Attributes["ptr.hash"]));
        Assert.Contains(trace.Spans, s => s.Name == inferred);
    }

    [Fact]
    public async Task StepFunctionsTaskJoinsTheExecutionsTrace()
    {
        using var first = new StepFunctionsTask(this.Export);
        var result = await first.Handle(Json("step-functions-jsonpath"), EmulatorHarness.Context("sfn-1"));
        await first.Handle(Json("step-functions-jsonpath"), EmulatorHarness.Context("sfn-2"));

        Assert.Equal("done: Lambda Invoke", result);
        var one = (await this.TraceOf("sfn-1")).Spans.Single(s => s.GetMeta("request_id") == "sfn-1");
        var two = (await this.TraceOf("sfn-2")).Spans.Single(s => s.GetMeta("request_id") == "sfn-2");

        // The ids come from the execution and the state, not from a header: the same payload, the same trace and parent.
        Assert.Equal(one.TraceId, two.TraceId);
        Assert.Equal(one.ParentId, two.ParentId);
        Assert.NotEqual(0UL, one.ParentId);
    }

    private static DatadogSpan Lambda(DatadogTrace trace) => trace.Spans.Single(s => s.Name == "aws.lambda");

    private static string Path(string sample) => System.IO.Path.Combine(AppContext.BaseDirectory, "TestData", "events", sample + ".json");

    private static MemoryStream Event(string sample) => new(File.ReadAllBytes(Path(sample)));

    private static MemoryStream Json(string sample) => Event(sample);

    private void Export(DatadogLambdaOptions options)
    {
        options.Exporter = DatadogLambdaExporter.Extension;
        options.Endpoint = this.extension.TracesEndpoint;
        options.InitTime = static () => DateTimeOffset.UtcNow;
    }

    private Task<DatadogTrace> TraceOf(string requestId) =>
        this.extension.WaitForTraceAsync(t => t.Spans.Any(s => s.Name == "aws.lambda" && s.GetMeta("request_id") == requestId), EmulatorHarness.Wait);
}
