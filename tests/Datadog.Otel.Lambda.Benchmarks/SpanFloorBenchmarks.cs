// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Datadog.Otel.Lambda.Invocation;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.Benchmarks;

/// <summary>
/// What the spans of an SQS invocation cost by themselves, with nothing read from an event: the same provider as
/// <see cref="InvocationBenchmarks"/> (AddDatadogLambda, no exporter), an <c>aws.sqs</c> span started from a remote
/// parent with a Datadog sampling priority and an <c>aws.lambda</c> child, each with as many tags as the invocation puts
/// on them (18 and 20, constant values: no string is made), stopped in the same order. <see cref="OneSpan"/> is one
/// span with the 8 tags contrib writes. The difference between a wrapped invocation and these is what reading the event,
/// planning and the lifecycle cost.
/// </summary>
[MemoryDiagnoser]
public class SpanFloorBenchmarks
{
    private static readonly KeyValuePair<string, object?>[] SqsStartTags =
    [
        new("operation.name", "aws.sqs"),
        new("resource.name", "my-queue"),
        new("span.type", "web"),
        new("datadog.service", "my-queue"),
    ];

    private static readonly KeyValuePair<string, object?>[] LambdaStartTags =
    [
        new("operation.name", "aws.lambda"),
        new("resource.name", "benchmark"),
        new("span.type", "serverless"),
    ];

    private static readonly KeyValuePair<string, object?>[] SqsTags =
    [
        new("span.kind", "server"), new("_inferred_span.tag_source", "self"), new("_inferred_span.synchronicity", "async"),
        new("operation_name", "aws.sqs"), new("resource_names", "my-queue"), new("_dd._inferred_span", 1.0), new("queuename", "my-queue"),
        new("event_source_arn", "arn:aws:sqs:us-east-1:123456789012:my-queue"), new("receipt_handle", "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a"),
        new("sender_id", "AIDAIENQZJOLO23YVJ4VO"), new("messaging.system", "aws_sqs"), new("messaging.destination.name", "my-queue"),
        new("messaging.operation.type", "receive"), new("messaging.batch.message_count", 1L),
    ];

    private static readonly KeyValuePair<string, object?>[] LambdaTags =
    [
        new("span.kind", "server"), new("cold_start", "false"), new("function_arn", "arn:aws:lambda:us-east-1:123456789012:function:benchmark"),
        new("function_version", "$LATEST"), new("functionname", "benchmark"), new("resource_names", "benchmark"),
        new("request_id", "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"), new("datadog_lambda", "0.1.0"), new("span.name", "aws.lambda"),
        new("faas.invocation_id", "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"), new("faas.coldstart", false), new("cloud.account.id", "123456789012"),
        new("cloud.resource_id", "arn:aws:lambda:us-east-1:123456789012:function:benchmark"), new("function_trigger.event_source", "sqs"),
        new("function_trigger.event_source_arn", "arn:aws:sqs:us-east-1:123456789012:my-queue"), new("faas.trigger", "pubsub"),
    ];

    private static readonly KeyValuePair<string, object?>[] ContribTags =
    [
        new("faas.trigger", "other"), new("faas.coldstart", false), new("faas.name", "benchmark"),
        new("faas.invocation_id", "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"), new("cloud.resource_id", "arn:aws:lambda:us-east-1:123456789012:function:benchmark"),
        new("faas.instance", "2026/11/25/[$LATEST]0123456789abcdef"), new("faas.max_memory", 536870912L), new("cloud.account.id", "123456789012"),
    ];

    private static readonly ActivityContext Upstream = new(
        ActivityTraceId.CreateFromString("66bcb5eb0000000025423a1f5e7b2f40"),
        ActivitySpanId.CreateFromString("6721a0fb2c3a5cd0"),
        ActivityTraceFlags.Recorded,
        "dd=s:1;p:6721a0fb2c3a5cd0;t.dm:-0;t.tid:66bcb5eb00000000",
        isRemote: true);

    private TracerProvider provider = null!;

    [GlobalSetup]
    public void Setup()
    {
        Environment.SetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME", "benchmark");
        this.provider = Sdk.CreateTracerProviderBuilder()
            .AddDatadogLambda(o =>
            {
                o.Exporter = DatadogLambdaExporter.None;
                o.FlushTracerProvider = false;
            })
            .Build()!;
    }

    [GlobalCleanup]
    public void Cleanup() => this.provider.Dispose();

    [Benchmark(Baseline = true)]
    public int OneSpan()
    {
        var span = LambdaActivitySource.Source.StartActivity("benchmark", ActivityKind.Server, Upstream, ContribTags);
        span?.Stop();
        return span is null ? 0 : 1;
    }

    [Benchmark]
    public int TwoSpans()
    {
        var now = DateTimeOffset.UtcNow;
        var sqs = LambdaActivitySource.Source.StartActivity("aws.sqs", ActivityKind.Consumer, Upstream, SqsStartTags, startTime: now.AddMilliseconds(-20));
        if (sqs is null)
        {
            return 0;
        }

        foreach (var tag in SqsTags)
        {
            sqs.AddTag(tag.Key, tag.Value);
        }

        var lambda = LambdaActivitySource.Source.StartActivity("benchmark", ActivityKind.Server, sqs.Context, LambdaStartTags, startTime: now);
        foreach (var tag in LambdaTags)
        {
            lambda!.AddTag(tag.Key, tag.Value);
        }

        lambda!.Stop();
        sqs.SetEndTime(now.UtcDateTime);
        sqs.Stop();
        Activity.Current = null;
        return 2;
    }
}
