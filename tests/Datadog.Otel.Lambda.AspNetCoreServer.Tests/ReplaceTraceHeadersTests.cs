// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Globalization;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.AspNetCoreServer.Tests;

/// <summary>
/// The content file's ReplaceTraceHeaders points ASP.NET Core's request at aws.lambda with the core package's public
/// API only: every upstream trace header of every style goes, whatever its case, and the current context is written in
/// the configured styles.
/// </summary>
[Collection("AspNetCore")]
public class ReplaceTraceHeadersTests
{
    [Fact]
    public async Task UpstreamHeadersOfEveryStyleAreReplacedByTheInvocationsContext()
    {
        using var tracing = Tracing();
        var headers = new Dictionary<string, string>
        {
            ["X-Datadog-Trace-Id"] = "1",
            ["x-datadog-parent-id"] = "2",
            ["x-datadog-tags"] = "_dd.p.dm=-4",
            ["Traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            ["tracestate"] = "dd=s:2",
            ["X-B3-TraceId"] = "0af7651916cd43dd8448eb211c80319c",
            ["b3"] = "0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-1",
            ["X-Amzn-Trace-Id"] = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
            ["Accept"] = "application/json",
        };
        var multi = new Dictionary<string, IList<string>>
        {
            ["X-DATADOG-TRACE-ID"] = ["1"],
            ["traceparent"] = ["00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"],
            ["Accept"] = ["application/json"],
        };

        Activity? lambda = null;
        await DatadogLambda.TraceAsync(tracing, new MemoryStream("{}"u8.ToArray()), Context(), (_, _) =>
        {
            lambda = Activity.Current;
            DatadogAspNetCoreLambda.ReplaceTraceHeaders(headers, multi);
            return Task.FromResult(0);
        });

        Assert.NotNull(lambda);
        Assert.Equal("aws.lambda", lambda.GetTagItem("operation.name"));
        var traceId = Convert.ToUInt64(lambda.TraceId.ToHexString()[16..], 16).ToString(CultureInfo.InvariantCulture);
        var spanId = Convert.ToUInt64(lambda.SpanId.ToHexString(), 16).ToString(CultureInfo.InvariantCulture);
        Assert.Equal(traceId, headers["x-datadog-trace-id"]);
        Assert.Equal(spanId, headers["x-datadog-parent-id"]);
        Assert.Equal($"00-{lambda.TraceId.ToHexString()}-{lambda.SpanId.ToHexString()}-01", headers["traceparent"]);
        Assert.DoesNotContain(headers.Keys, k => k is "X-Datadog-Trace-Id" or "Traceparent" or "X-B3-TraceId" or "b3");
        Assert.Equal("application/json", headers["Accept"]);
        Assert.StartsWith("Root=1-5759e988", headers["X-Amzn-Trace-Id"], StringComparison.Ordinal);

        Assert.Equal([traceId], multi["x-datadog-trace-id"]);
        Assert.DoesNotContain("X-DATADOG-TRACE-ID", multi.Keys);
        Assert.Equal(["application/json"], multi["Accept"]);
    }

    [Fact]
    public async Task UntracedTheRequestKeepsItsHeaders()
    {
        // DD_TRACE_ENABLED=false (or no AddDatadogLambda provider): nothing to point the request at, so nothing is taken
        // from it; the application sees what it would without the package (its baggage, an upstream traceparent).
        // A provider without AddDatadogLambda: the wrapper calls the handler directly, as with DD_TRACE_ENABLED=false.
        using var tracing = Sdk.CreateTracerProviderBuilder().Build()!;
        var headers = new Dictionary<string, string> { ["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", ["baggage"] = "k=v", ["host"] = "a" };
        var multi = new Dictionary<string, IList<string>> { ["traceparent"] = ["00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"] };

        await DatadogLambda.TraceAsync(tracing, new MemoryStream("{}"u8.ToArray()), Context(), (_, _) =>
        {
            DatadogAspNetCoreLambda.ReplaceTraceHeaders(headers, multi);
            return Task.FromResult(0);
        });

        Assert.Equal(["traceparent", "baggage", "host"], headers.Keys);
        Assert.Equal("k=v", headers["baggage"]);
        Assert.Equal(["traceparent"], multi.Keys);
    }

    [Fact]
    public void ReadOnlyOrMissingMapsAreLeftAloneWithoutAnException()
    {
        using var tracing = Tracing();
        var readOnly = new ReadOnlyDictionary<string, string>(new Dictionary<string, string> { ["traceparent"] = "x" });

        DatadogAspNetCoreLambda.ReplaceTraceHeaders(readOnly, new ReadOnlyDictionary<string, IList<string>>(new Dictionary<string, IList<string>>()));
        DatadogAspNetCoreLambda.ReplaceTraceHeaders(null, null);

        Assert.Equal("x", readOnly["traceparent"]);
    }

    private static TracerProvider Tracing() => Sdk.CreateTracerProviderBuilder()
        .AddDatadogLambda(o =>
        {
            o.Exporter = DatadogLambdaExporter.None;
            o.FlushTracerProvider = false;
            o.ServiceName = "replace-headers";
        })
        .Build()!;

    private static DatadogLambdaContext Context() => new()
    {
        AwsRequestId = "req-1",
        InvokedFunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:replace-headers",
        FunctionName = "replace-headers",
        Deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30),
    };
}
