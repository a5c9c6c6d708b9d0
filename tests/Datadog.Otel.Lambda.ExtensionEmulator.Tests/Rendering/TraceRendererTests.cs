// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.ExtensionEmulator.Tests.TestSupport;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Tests.Rendering;

public class TraceRendererTests
{
    private const string Link = """[{"span_id":"0000000000000002","trace_id":"00000000000000000000000000000001"}]""";

    [Fact]
    public void RenderWaterfall_ParentChildOrphanErrorAndLink()
    {
        var trace = Spans.Trace(
            Spans.Make(4, 2, "http.client.request", startMs: 12.5, durationMs: 30, resource: "GET", error: 1, meta: new Dictionary<string, string> { ["error.type"] = "System.Net.Http.HttpRequestException" }),
            Spans.Make(1, 0, "aws.lambda", startMs: 0, durationMs: 250, service: "my-function", resource: "my-function", metrics: new Dictionary<string, double> { ["_sampling_priority_v1"] = 1 }),
            Spans.Make(2, 1, "handler", startMs: 10, durationMs: 100.25),
            Spans.Make(3, 1, "aws.sqs.request", startMs: 5, durationMs: 2, resource: "SQS SendMessage", meta: new Dictionary<string, string> { ["_dd.span_links"] = Link }),
            Spans.Make(9, 99, "late.work", startMs: 300, durationMs: 0.0015, error: 1),
            Spans.Make(5, 2, "db.query", startMs: 12.5, durationMs: 1, service: "db"));

        var expected = """
            trace 42 priority 1 spans 6
                 0.000 ms    250.000 ms  aws.lambda  my-function  my-function
                 5.000 ms      2.000 ms    aws.sqs.request  svc  SQS SendMessage  links=1
                10.000 ms    100.250 ms    handler  svc  res
                12.500 ms     30.000 ms      http.client.request  svc  GET  ! System.Net.Http.HttpRequestException
                12.500 ms      1.000 ms      db.query  db  res
               300.000 ms      0.002 ms  late.work  svc  res  !  orphan(parent=99)

            """.Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Equal(expected, TraceRenderer.RenderWaterfall(trace));
        Assert.Equal(expected, trace.ToString());
    }

    [Fact]
    public void RenderWaterfall_ShowsNoneWithoutPriorityAndEverySpanOfACycle()
    {
        var trace = Spans.Trace(
            Spans.Make(1, 2, "a", startMs: 0, durationMs: 1),
            Spans.Make(2, 1, "b", startMs: 1, durationMs: 1));

        var expected = """
            trace 42 priority none spans 2
                 0.000 ms      1.000 ms  a  svc  res
                 1.000 ms      1.000 ms    b  svc  res

            """.Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Equal(expected, TraceRenderer.RenderWaterfall(trace));
    }

    [Fact]
    public void RenderWaterfall_OfAnEmptyTraceIsTheHeader()
    {
        Assert.Equal("trace 7 priority none spans 0\n", TraceRenderer.RenderWaterfall(new DatadogTrace(7, [])));
    }
}
