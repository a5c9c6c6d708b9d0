// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using System.Text.Json;
using Datadog.Otel.Lambda.Diagnostics;
using Datadog.Otel.Lambda.Tests.TestSupport;

namespace Datadog.Otel.Lambda.Tests.Logging;

/// <summary>Our own diagnostics follow AWS_LAMBDA_LOG_FORMAT and AWS_LAMBDA_LOG_LEVEL (process-wide state: restored after each test).</summary>
[Collection("Tracing")]
public sealed class StdoutDiagnosticsFormatTests : IDisposable
{
    private readonly RecordingWriter output = new();

    public void Dispose() => StdoutDiagnostics.Configure(EnvironmentSource.Process);

    [Fact]
    public void JsonFormatWritesOneJsonObjectPerLineWithOneWriteCall()
    {
        Configure(new() { ["AWS_LAMBDA_LOG_FORMAT"] = "JSON" });
        Diag.Warn("json-test", "something \"quoted\" happened");

        var line = Assert.Single(this.output.Writes, w => w.Contains("json-test", StringComparison.Ordinal));
        Assert.EndsWith("\n", line, StringComparison.Ordinal);
        Assert.DoesNotContain(this.output.LineWrites, l => l.Contains("json-test", StringComparison.Ordinal));
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        Assert.Equal("WARN", root.GetProperty("level").GetString());
        Assert.Equal("Datadog.Otel.Lambda", root.GetProperty("logger").GetString());
        Assert.Equal("something \"quoted\" happened", root.GetProperty("message").GetString());
        Assert.True(DateTimeOffset.TryParse(root.GetProperty("timestamp").GetString(), out _));
        Assert.False(root.TryGetProperty("requestId", out _));
    }

    [Fact]
    public void JsonDiagnosticsInsideAnInvocationCarryTheRequestIdAndTheIds()
    {
        Configure(new() { ["AWS_LAMBDA_LOG_FORMAT"] = "json" });
        using var tracing = new TestTracing();
        DatadogLogContext? ids = null;
        DatadogLambda.Trace(tracing.Provider, new MemoryStream(Encoding.UTF8.GetBytes("{}")), TestTracing.Context("req-diag"), (_, _) =>
        {
            ids = DatadogLogCorrelation.Current;
            Diag.Warn("in-invocation", "inside");
        });

        using var document = JsonDocument.Parse(Assert.Single(this.output.Writes, w => w.Contains("in-invocation", StringComparison.Ordinal)));
        var root = document.RootElement;
        Assert.Equal("req-diag", root.GetProperty("requestId").GetString());
        Assert.Equal(ids!.TraceId, root.GetProperty("dd").GetProperty("trace_id").GetString());
        Assert.Equal(ids.SpanId, root.GetProperty("dd").GetProperty("span_id").GetString());
    }

    [Fact]
    public void TextFormatWritesLines()
    {
        Configure(new() { ["AWS_LAMBDA_LOG_FORMAT"] = "Text" });
        Diag.Warn("text-test", "plain");
        Assert.Contains("[Datadog.Otel.Lambda] WARN text-test: plain", this.output.LineWrites);
    }

    [Fact]
    public void AnUnknownFormatKeepsTextAndSaysSo()
    {
        Configure(new() { ["AWS_LAMBDA_LOG_FORMAT"] = "xml" });
        Assert.Contains(this.output.LineWrites, l => l.Contains("ignoring AWS_LAMBDA_LOG_FORMAT=xml: expected Text or JSON", StringComparison.Ordinal));
        Diag.Warn("after-unknown", "still working");
        Assert.Contains("[Datadog.Otel.Lambda] WARN after-unknown: still working", this.output.LineWrites);
        Assert.False(StdoutDiagnostics.JsonFormat);
    }

    [Fact]
    public void LambdaLogLevelFiltersDiagnostics()
    {
        Configure(new() { ["AWS_LAMBDA_LOG_LEVEL"] = "ERROR" });
        Diag.Warn("filtered", "not written");
        Diag.Error("kept", "written");
        Assert.DoesNotContain(this.output.LineWrites, l => l.Contains("filtered", StringComparison.Ordinal));
        Assert.Contains(this.output.LineWrites, l => l.Contains("ERROR kept: written", StringComparison.Ordinal));

        Configure(new() { ["AWS_LAMBDA_LOG_LEVEL"] = "DEBUG" });
        Diag.Debug("verbose", "written");
        Assert.Contains(this.output.LineWrites, l => l.Contains("DEBUG verbose: written", StringComparison.Ordinal));
    }

    [Fact]
    public void DdLogLevelWinsAndAnUnknownLevelIsReported()
    {
        Configure(new() { ["DD_LOG_LEVEL"] = "loud", ["AWS_LAMBDA_LOG_LEVEL"] = "WARN" });
        Assert.Equal(DiagnosticLevel.Warn, StdoutDiagnostics.Level);
        Assert.Contains(this.output.LineWrites, l => l.Contains("ignoring DD_LOG_LEVEL=loud", StringComparison.Ordinal));

        Configure(new() { ["DD_LOG_LEVEL"] = "debug", ["AWS_LAMBDA_LOG_LEVEL"] = "ERROR" });
        Assert.Equal(DiagnosticLevel.Debug, StdoutDiagnostics.Level);
    }

    private void Configure(Dictionary<string, string?> environment) =>
        StdoutDiagnostics.Configure(EnvironmentSource.FromDictionary(environment), this.output);

    /// <summary>Tells Write calls (what Lambda's runtime passes through) from WriteLine calls (what it reformats).</summary>
    private sealed class RecordingWriter : TextWriter
    {
        private readonly object sync = new();
        private readonly List<string> writes = new();
        private readonly List<string> lineWrites = new();

        // Copies: tests in other collections may write diagnostics while a test reads these.
        public IReadOnlyList<string> Writes
        {
            get
            {
                lock (this.sync)
                {
                    return this.writes.ToArray();
                }
            }
        }

        public IReadOnlyList<string> LineWrites
        {
            get
            {
                lock (this.sync)
                {
                    return this.lineWrites.ToArray();
                }
            }
        }

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => this.Write(value.ToString());

        public override void Write(string? value)
        {
            lock (this.sync)
            {
                this.writes.Add(value ?? string.Empty);
            }
        }

        public override void Write(char[] buffer, int index, int count) => this.Write(new string(buffer, index, count));

        public override void WriteLine(string? value)
        {
            lock (this.sync)
            {
                this.lineWrites.Add(value ?? string.Empty);
            }
        }
    }
}
