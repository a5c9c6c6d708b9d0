// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Tests.TestSupport;

namespace Datadog.Otel.Lambda.Tests.Logging;

[Collection("Tracing")]
public class LogCorrelationTests
{
    private static MemoryStream Event() => new(Encoding.UTF8.GetBytes("{}"));

    private static string Decimal(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public void OutsideAnInvocationThereIsNothingToAddAndNothingFails()
    {
        Assert.Null(DatadogLogCorrelation.Current);
        Assert.Equal("plain", DatadogLogCorrelation.Format("plain"));
        Assert.Equal(string.Empty, DatadogLogCorrelation.Format(null));

        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            Assert.False(DatadogLogCorrelation.WriteTo(json));
            json.WriteEndObject();
        }

        Assert.Equal("{}", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void InsideAnInvocationTheFieldsAreThoseOfTheLambdaSpanWith64BitDecimalIds()
    {
        using var tracing = new TestTracing(new() { ["DD_ENV"] = "prod", ["DD_VERSION"] = "1.2.3", ["DD_SERVICE"] = "checkout" });
        DatadogLogContext? seen = null;
        string? formatted = null;
        DatadogLambda.Trace(tracing.Provider, Event(), TestTracing.Context("req-64"), (_, _) =>
        {
            seen = DatadogLogCorrelation.Current;
            formatted = DatadogLogCorrelation.Format("order shipped");
        });

        var span = tracing.LambdaSpan("req-64");
        Assert.NotNull(seen);
        Assert.NotEqual(0UL, DatadogIds.Upper64(span.TraceId)); // a 128-bit trace: logs still carry the lower 64 bits
        Assert.Equal(Decimal(DatadogIds.Lower64(span.TraceId)), seen.TraceId);
        Assert.Equal(Decimal(DatadogIds.ToUInt64(span.SpanId)), seen.SpanId);
        Assert.Equal("checkout", seen.Service);
        Assert.Equal("prod", seen.Environment);
        Assert.Equal("1.2.3", seen.Version);
        Assert.Equal("req-64", seen.AwsRequestId);
        Assert.Equal($"[dd.trace_id={seen.TraceId} dd.span_id={seen.SpanId}] order shipped", formatted);
        Assert.Equal(seen.Prefix, seen.ToString());
        Assert.Equal(
            [
                new("dd.trace_id", seen.TraceId),
                new("dd.span_id", seen.SpanId),
                new("dd.service", "checkout"),
                new("dd.env", "prod"),
                new("dd.version", "1.2.3"),
                new KeyValuePair<string, object?>("lambda.request_id", "req-64"),
            ],
            seen.ToList());
    }

    [Fact]
    public void UnsetEnvironmentAndVersionAreLeftOut()
    {
        using var tracing = new TestTracing();
        DatadogLogContext? seen = null;
        DatadogLambda.Trace(tracing.Provider, Event(), TestTracing.Context("req-min"), (_, _) => seen = DatadogLogCorrelation.Current);
        Assert.Equal(["dd.trace_id", "dd.span_id", "dd.service", "lambda.request_id"], seen!.Select(p => p.Key));
        Assert.Equal("My-Function", seen!.Service);
    }

    [Fact]
    public void With128BitLoggingA128BitTraceIsWrittenAs32LowercaseHex()
    {
        using var tracing = new TestTracing(new() { ["DD_TRACE_128_BIT_TRACEID_LOGGING_ENABLED"] = "true" });
        DatadogLogContext? seen = null;
        DatadogLambda.Trace(tracing.Provider, Event(), TestTracing.Context("req-128"), (_, _) => seen = DatadogLogCorrelation.Current);
        var span = tracing.LambdaSpan("req-128");
        Assert.Equal(span.TraceId.ToHexString(), seen!.TraceId);
        Assert.Matches("^[0-9a-f]{32}$", seen.TraceId);
        Assert.Equal(Decimal(DatadogIds.ToUInt64(span.SpanId)), seen.SpanId);
    }

    [Fact]
    public void With128BitLoggingA64BitTraceStaysDecimal()
    {
        using var tracing = new TestTracing(new()
        {
            ["DD_TRACE_128_BIT_TRACEID_LOGGING_ENABLED"] = "true",
            ["DD_TRACE_128_BIT_TRACEID_GENERATION_ENABLED"] = "false",
        });
        DatadogLogContext? seen = null;
        DatadogLambda.Trace(tracing.Provider, Event(), TestTracing.Context("req-64b"), (_, _) => seen = DatadogLogCorrelation.Current);
        var span = tracing.LambdaSpan("req-64b");
        Assert.Equal(0UL, DatadogIds.Upper64(span.TraceId));
        Assert.Equal(Decimal(DatadogIds.Lower64(span.TraceId)), seen!.TraceId);
    }

    [Fact]
    public void LogsInjectionFalseAddsNothing()
    {
        using var tracing = new TestTracing(new() { ["DD_LOGS_INJECTION"] = "false" });
        DatadogLogContext? seen = null;
        string? formatted = null;
        DatadogLambda.Trace(tracing.Provider, Event(), TestTracing.Context("req-off"), (_, _) =>
        {
            seen = DatadogLogCorrelation.Current;
            formatted = DatadogLogCorrelation.Format("m");
        });
        Assert.Null(seen);
        Assert.Equal("m", formatted);
    }

    [Fact]
    public void AChildSpanGetsItsOwnIdsAndEachSpanIsFormattedOnce()
    {
        using var tracing = new TestTracing();
        DatadogLogContext? outer = null;
        DatadogLogContext? outerAgain = null;
        DatadogLogContext? inner = null;
        DatadogLogContext? afterChild = null;
        ActivitySpanId childId = default;
        DatadogLambda.Trace(tracing.Provider, Event(), TestTracing.Context("req-child"), (_, _) =>
        {
            outer = DatadogLogCorrelation.Current;
            outerAgain = DatadogLogCorrelation.Current;
            using (var child = new Activity("child").Start())
            {
                childId = child.SpanId;
                inner = DatadogLogCorrelation.Current;
            }

            afterChild = DatadogLogCorrelation.Current;
        });

        var lambda = tracing.LambdaSpan("req-child");
        Assert.Same(outer, outerAgain);
        Assert.Equal(Decimal(DatadogIds.ToUInt64(childId)), inner!.SpanId);
        Assert.Equal(outer!.TraceId, inner.TraceId);
        Assert.Equal(Decimal(DatadogIds.ToUInt64(lambda.SpanId)), afterChild!.SpanId);
    }

    [Fact]
    public void WriteToPutsTheIdsUnderDd()
    {
        using var tracing = new TestTracing(new() { ["DD_ENV"] = "staging" });
        string? written = null;
        DatadogLogContext? seen = null;
        DatadogLambda.Trace(tracing.Provider, Event(), TestTracing.Context("req-json"), (_, _) =>
        {
            seen = DatadogLogCorrelation.Current;
            var buffer = new ArrayBufferWriter<byte>();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("message", "hi");
                Assert.True(DatadogLogCorrelation.WriteTo(json));
                json.WriteEndObject();
            }

            written = Encoding.UTF8.GetString(buffer.WrittenSpan);
        });

        using var document = JsonDocument.Parse(written!);
        var dd = document.RootElement.GetProperty("dd");
        Assert.Equal(seen!.TraceId, dd.GetProperty("trace_id").GetString());
        Assert.Equal(seen.SpanId, dd.GetProperty("span_id").GetString());
        Assert.Equal("My-Function", dd.GetProperty("service").GetString());
        Assert.Equal("staging", dd.GetProperty("env").GetString());
        Assert.False(dd.TryGetProperty("version", out _));
    }

    [Fact]
    public void TracingDisabledMeansNoInvocationAndNoFields()
    {
        using var tracing = new TestTracing(new() { ["DD_TRACE_ENABLED"] = "false" });
        var seen = new object();
        DatadogLambda.Trace(tracing.Provider, Event(), TestTracing.Context("req-disabled"), (_, _) => seen = DatadogLogCorrelation.Current!);
        Assert.Null(seen);
    }
}
