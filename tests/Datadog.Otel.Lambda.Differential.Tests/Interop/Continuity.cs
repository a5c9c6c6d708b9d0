// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using Datadog.Otel.Lambda.ExtensionEmulator;

namespace Datadog.Otel.Lambda.Differential.Tests.Interop;

/// <summary>
/// Trace continuity across tracers, asserted exactly on what Datadog receives from each side: the consumer's first span
/// has the producer's 128-bit trace id and the producer's client span as its parent, the consumer's <c>aws.lambda</c>
/// is in the same trace, and the consumer's trace has the producer's sampling priority.
/// </summary>
internal static class Continuity
{
    /// <param name="producer">Every span the producing side sent.</param>
    /// <param name="client">The producer's client span: the call that carried the context.</param>
    /// <param name="consumer">Every span the consuming side sent.</param>
    /// <param name="chain">
    /// The consumer's spans above <c>aws.lambda</c>, outermost first (its inferred spans: <c>aws.sqs</c>; <c>aws.sns</c>
    /// then <c>aws.sqs</c> for SNS→SQS): the first is the client span's child, each the next one's parent.
    /// </param>
    /// <param name="priority">The sampling priority the producer decided (both sides are checked against it).</param>
    public static void AssertContinues(IReadOnlyList<DatadogSpan> producer, DatadogSpan client, IReadOnlyList<DatadogSpan> consumer, IReadOnlyList<string> chain, int priority)
    {
        // Both sides carry all 128 bits (_dd.p.tid, traceparent): the upper half is not zero, and it is the same.
        Assert.NotEqual(0UL, client.TraceIdHigh);
        var parent = client.SpanId;
        foreach (var name in chain.Append("aws.lambda"))
        {
            var span = Assert.Single(consumer, s => s.Name == name);
            Assert.Equal(client.TraceIdHex, span.TraceIdHex);
            Assert.Equal(parent, span.ParentId);
            parent = span.SpanId;
        }

        Assert.Equal(priority, Priority(producer));
        Assert.Equal(priority, Priority(consumer));
    }

    /// <summary>
    /// dd-trace's client span for an AWS SDK v3 command: the innermost <c>aws.request</c> span of that operation. dd-trace
    /// 5.132 wraps <c>Client.prototype.send</c> both through <c>@smithy/smithy-client</c> and through
    /// <c>@smithy/core/client</c>, which since smithy-client 4.1x are the same prototype, so one command makes two nested
    /// spans; the inner one injects.
    /// </summary>
    public static DatadogSpan DdTraceAwsClient(IReadOnlyList<DatadogSpan> producer, string operation)
    {
        var spans = producer.Where(s => s.GetMeta("aws.operation") == operation).ToList();
        return Assert.Single(spans, s => !spans.Any(c => c.ParentId == s.SpanId));
    }

    /// <summary>The consumer started a trace of its own: nothing was carried, and nothing was made up.</summary>
    public static void AssertNewTrace(DatadogSpan client, IReadOnlyList<DatadogSpan> consumer, string entry)
    {
        var first = Assert.Single(consumer, s => s.Name == entry);
        Assert.NotEqual(client.TraceIdHex, first.TraceIdHex);
        Assert.Equal(0UL, first.ParentId);
    }

    /// <summary>A trace's priority as Datadog reads it: the root span's <c>_sampling_priority_v1</c>, else the first span's that has one.</summary>
    public static int? Priority(IReadOnlyList<DatadogSpan> spans)
    {
        var ids = spans.Select(s => s.SpanId).ToHashSet();
        var ordered = spans.OrderBy(s => s.ParentId == 0 || !ids.Contains(s.ParentId) ? 0 : 1);
        return ordered.Select(s => s.GetMetric("_sampling_priority_v1")).FirstOrDefault(p => p is not null) is { } value
            ? (int)value
            : null;
    }

    /// <summary>A span and its ids, for failure messages.</summary>
    public static string Describe(IEnumerable<DatadogSpan> spans) =>
        string.Join("\n", spans.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Name} resource={s.Resource} trace={s.TraceIdHex} span={s.SpanId} parent={s.ParentId} priority={s.GetMetric("_sampling_priority_v1")}")));
}
