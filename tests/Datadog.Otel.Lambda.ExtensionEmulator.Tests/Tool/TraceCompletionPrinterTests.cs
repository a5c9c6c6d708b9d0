// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.ExtensionEmulator.Tool;
using Datadog.Otel.Lambda.ExtensionEmulator.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Tests.Tool;

/// <summary>The CLI prints a trace once it was quiet for the quiet period, driven by a fake clock.</summary>
public class TraceCompletionPrinterTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);

    private readonly FakeTimeProvider time = new();
    private readonly StringWriter output = new() { NewLine = "\n" };
    private readonly List<DatadogSpan> received = [];

    [Fact]
    public void PrintsOnlyAfterAQuietPeriodThatEveryNewSpanRestarts()
    {
        using var printer = CreatePrinter();

        Receive(printer, Spans.Make(1, 0, "root", 0, 10));
        time.Advance(TimeSpan.FromMilliseconds(400));
        Receive(printer, Spans.Make(2, 1, "child", 1, 2));
        time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Equal(string.Empty, output.ToString());

        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal("\n" + TraceRenderer.RenderWaterfall(Spans.Trace([.. received])), output.ToString());
    }

    [Fact]
    public void EachTraceHasItsOwnTimerAndALateSpanPrintsAnUpdate()
    {
        using var printer = CreatePrinter();

        Receive(printer, Spans.Make(1, 0, "a", 0, 1, traceId: 1));
        time.Advance(TimeSpan.FromMilliseconds(300));
        Receive(printer, Spans.Make(2, 0, "b", 0, 1, traceId: 2));
        time.Advance(TimeSpan.FromMilliseconds(200));
        Assert.Contains("trace 1 ", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("trace 2 ", output.ToString(), StringComparison.Ordinal);

        time.Advance(TimeSpan.FromMilliseconds(300));
        Assert.Contains("trace 2 ", output.ToString(), StringComparison.Ordinal);

        Receive(printer, Spans.Make(3, 1, "late", 5, 1, traceId: 1));
        time.Advance(Quiet);
        Assert.Contains("(updated) trace 1 priority none spans 2", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Flush_PrintsPendingTracesAtOnce()
    {
        using var printer = CreatePrinter();
        Receive(printer, Spans.Make(1, 0, "a", 0, 1));

        printer.Flush();

        Assert.Contains("trace 42 priority none spans 1", output.ToString(), StringComparison.Ordinal);
    }

    private TraceCompletionPrinter CreatePrinter() =>
        new(id => received.Any(s => s.TraceId == id) ? Spans.Trace([.. received.Where(s => s.TraceId == id)]) : null, output, time, Quiet);

    private void Receive(TraceCompletionPrinter printer, DatadogSpan span)
    {
        received.Add(span);
        printer.OnSpansAdded([span]);
    }
}
