// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using System.Text.Json;
using Datadog.Otel.Lambda.Logging;
using Datadog.Otel.Lambda.Tests.TestSupport;

namespace Datadog.Otel.Lambda.Tests.Logging;

[Collection("Tracing")]
public class ConsoleCorrelationTests
{
    private static MemoryStream Event() => new(Encoding.UTF8.GetBytes("{}"));

    [Fact]
    public void TextLinesGetThePrefixInsideAnInvocationOnly()
    {
        using var tracing = new TestTracing();
        var output = new StringWriter(System.Globalization.CultureInfo.InvariantCulture) { NewLine = "\n" };
        var console = new CorrelatingConsoleWriter(output, isError: false, json: false);
        DatadogLogContext? ids = null;

        console.WriteLine("before");
        DatadogLambda.Trace(tracing.Provider, Event(), TestTracing.Context("req-console"), (_, _) =>
        {
            ids = DatadogLogCorrelation.Current;
            console.WriteLine("order {0} shipped", 42);
            console.Write("partial ");
            console.WriteLine();
            console.WriteLine("span".AsSpan());

            // TextWriter writes a primitive and then the line break: each needs its own override to get the prefix.
            console.WriteLine(42);
            console.WriteLine(true);
            console.WriteLine('c');
            console.WriteLine(1.5);
            console.WriteLine(2L);
            console.WriteLine(3.25m);
        });
        console.WriteLine(7);

        Assert.Equal(
            $"before\n{ids!.Prefix} order 42 shipped\npartial \n{ids.Prefix} span\n{ids.Prefix} 42\n{ids.Prefix} True\n{ids.Prefix} c\n{ids.Prefix} 1.5\n{ids.Prefix} 2\n{ids.Prefix} 3.25\n7\n",
            output.ToString());
    }

    [Fact]
    public void JsonLinesAreObjectsInLambdasShapeWrittenInOneCall()
    {
        using var tracing = new TestTracing(new() { ["DD_ENV"] = "prod" });
        var output = new CallRecordingWriter();
        var stdout = new CorrelatingConsoleWriter(output, isError: false, json: true);
        var stderr = new CorrelatingConsoleWriter(output, isError: true, json: true);
        DatadogLogContext? ids = null;
        var context = TestTracing.Context("req-json-console");
        context = new DatadogLambdaContext
        {
            AwsRequestId = context.AwsRequestId,
            FunctionName = context.FunctionName,
            InvokedFunctionArn = context.InvokedFunctionArn,
            Deadline = context.Deadline,
            XRayTraceHeader = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
        };

        DatadogLambda.Trace(tracing.Provider, Event(), context, (_, _) =>
        {
            ids = DatadogLogCorrelation.Current;
            stdout.WriteLine("said \"hi\"");
            stderr.WriteLine("failed");
        });
        stdout.WriteLine("outside");

        Assert.Equal(3, output.Calls.Count);
        using var first = JsonDocument.Parse(output.Calls[0]);
        var line = first.RootElement;
        Assert.EndsWith("}\n", output.Calls[0], StringComparison.Ordinal);
        Assert.Equal("INFO", line.GetProperty("level").GetString());
        Assert.Equal("req-json-console", line.GetProperty("requestId").GetString());
        Assert.Equal(context.XRayTraceHeader, line.GetProperty("traceId").GetString());
        Assert.Equal("said \"hi\"", line.GetProperty("message").GetString());
        Assert.Equal(ids!.TraceId, line.GetProperty("dd").GetProperty("trace_id").GetString());
        Assert.Equal(ids.SpanId, line.GetProperty("dd").GetProperty("span_id").GetString());
        Assert.Equal("prod", line.GetProperty("dd").GetProperty("env").GetString());
        using var second = JsonDocument.Parse(output.Calls[1]);
        Assert.Equal("ERROR", second.RootElement.GetProperty("level").GetString());
        Assert.Equal("WriteLine:outside", output.Calls[2]);
    }

    [Fact]
    public async Task CorrelateConsoleWrapsTheConsoleAtTheNextInvocation()
    {
        using var tracing = new TestTracing();
        var original = Console.Out;
        var captured = new StringWriter();
        try
        {
            Console.SetOut(captured);
            DatadogLogCorrelation.CorrelateConsole();
            string? prefix = null;
            await DatadogLambda.TraceAsync(tracing.Provider, Event(), TestTracing.Context("req-global"), (_, _) =>
            {
                prefix = DatadogLogCorrelation.Current!.Prefix;
                Console.WriteLine("from the handler");
                return Task.CompletedTask;
            });

            Assert.Contains($"{prefix} from the handler", captured.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Console.SetOut(original);
        }
    }

    /// <summary>Records each Write as it came and each WriteLine with a marker.</summary>
    private sealed class CallRecordingWriter : TextWriter
    {
        public List<string> Calls { get; } = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => this.Calls.Add(value.ToString());

        public override void Write(char[] buffer, int index, int count) => this.Calls.Add(new string(buffer, index, count));

        public override void WriteLine(string? value) => this.Calls.Add("WriteLine:" + value);
    }
}
