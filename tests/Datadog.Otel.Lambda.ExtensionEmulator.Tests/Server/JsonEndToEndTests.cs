// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Net;
using System.Text;
using Datadog.Otel.Lambda.ExtensionEmulator.Tests.TestSupport;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Tests.Server;

/// <summary>OTLP/JSON bodies written by hand arrive mapped like protobuf ones.</summary>
public class JsonEndToEndTests
{
    [Fact]
    public async Task AHandWrittenJsonSpanArrivesMapped()
    {
        await using var emulator = await ExtensionEmulator.StartAsync();

        using var response = await EmulatorClient.PostAsync(emulator.TracesEndpoint, Encoding.UTF8.GetBytes(OtlpJson.Request(OtlpJson.FullSpan)), "application/json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var span = Assert.Single(emulator.Spans);
        Assert.Equal(0xa1a2a3a4a5a6a7a8UL, span.TraceId);
        Assert.Equal("0102030405060708a1a2a3a4a5a6a7a8", span.TraceIdHex);
        Assert.Equal(0xb1b2b3b4b5b6b7b8UL, span.SpanId);
        Assert.Equal(0xc1c2c3c4c5c6c7c8UL, span.ParentId);
        Assert.Equal(("http.server.request", "GET /items", "web", "json-svc"), (span.Name, span.Resource, span.Type, span.Service));
        Assert.Equal(OtlpSpanKind.Server, span.Kind);
        Assert.Equal(1_700_000_000_000_000_000, span.Start);
        Assert.Equal(2_500_000, span.Duration);
        Assert.Equal(200, span.Metrics["http.status_code"]);
        Assert.Equal(3, span.Metrics["retry"]);
        Assert.Equal(0.25, span.Metrics["ratio"]);
        Assert.Equal("false", span.Meta["cached"]);
        Assert.Equal("""["a","7"]""", span.Meta["tags"]);
        Assert.Equal("""{"k":"v"}""", span.Meta["map"]);
        Assert.Equal("cafe", span.Meta["raw"]);
        Assert.False(span.Meta.ContainsKey("empty"));
        Assert.Equal("dd=s:2", span.Meta["w3c.trace_state"]);
        Assert.Equal(1, span.Error);
        Assert.Equal("exception", Assert.Single(span.Events).Name);
        Assert.Equal("ffffffffffffffff0000000000000001", Assert.Single(span.Links).TraceIdHex);
        Assert.Equal(2, Assert.Single(emulator.Traces).SamplingPriority);
    }
}
