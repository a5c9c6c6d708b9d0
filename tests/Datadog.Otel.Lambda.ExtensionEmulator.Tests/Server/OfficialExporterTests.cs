// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Tests.Server;

/// <summary>
/// Spans exported by the official OpenTelemetry .NET OTLP exporter (http/protobuf, padded length prefixes)
/// arrive decoded and mapped correctly.
/// </summary>
public class OfficialExporterTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task IdsParentNameKindTimesAttributesEventsLinksAndStatusArrive()
    {
        await using var emulator = await ExtensionEmulator.StartAsync(new ExtensionEmulatorOptions { Service = "DD-Service", Env = "test" });
        using var source = new ActivitySource($"Emulator.Tests.{Guid.NewGuid():N}", "3.1.4");
        using var provider = CreateProvider(emulator, source.Name);

        var linked = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, "k=v");
        Activity parent;
        Activity child;
        using (parent = source.StartActivity("GET /orders/{id}", ActivityKind.Server)!)
        {
            parent.SetTag("http.request.method", "GET");
            parent.SetTag("http.route", "/orders/{id}");
            parent.SetTag("http.response.status_code", 200);
            parent.SetTag("sampling.priority", 2);
            using (child = source.StartActivity(
                "child work",
                ActivityKind.Internal,
                parent.Context,
                tags: null,
                links: [new ActivityLink(linked, new ActivityTagsCollection { ["reason"] = "terminated_context" })])!)
            {
                child.SetTag("text", "value");
                child.SetTag("flag", true);
                child.SetTag("count", 42L);
                child.SetTag("ratio", 0.75);
                child.SetTag("names", new[] { "a", "b" });
                child.AddEvent(new ActivityEvent("exception", tags: new ActivityTagsCollection { ["exception.type"] = "System.InvalidOperationException", ["exception.message"] = "nope" }));
                child.SetTag("error.type", "System.InvalidOperationException");
                child.SetStatus(ActivityStatusCode.Error, "nope");
            }
        }

        Assert.True(provider.ForceFlush(10_000));
        var trace = await emulator.WaitForTraceAsync(t => t.Spans.Count == 2, Timeout);

        var server = Assert.Single(trace.Spans, s => s.Kind == OtlpSpanKind.Server);
        var work = Assert.Single(trace.Spans, s => s.Kind == OtlpSpanKind.Internal);
        var traceIdHex = parent.TraceId.ToHexString();

        // Ids and parentage.
        Assert.Equal(Convert.ToUInt64(traceIdHex[16..], 16), trace.TraceId);
        Assert.Equal(traceIdHex, server.TraceIdHex);
        Assert.Equal(Convert.ToUInt64(parent.SpanId.ToHexString(), 16), server.SpanId);
        Assert.Equal(0UL, server.ParentId);
        Assert.Equal(server.SpanId, work.ParentId);
        Assert.Same(server, trace.Root);
        Assert.Same(server, trace.GetParent(work));
        Assert.Equal(Convert.ToUInt64(traceIdHex[..16], 16).ToString(System.Globalization.CultureInfo.InvariantCulture), work.Meta["_dd.p.tid"]);

        // Names, kinds, scope, times.
        Assert.Equal(("http.server.request", "GET /orders/{id}", "web"), (server.Name, server.Resource, server.Type));
        Assert.Equal(("SPAN_KIND_INTERNAL", "child work", "custom"), (work.Name, work.Resource, work.Type));
        Assert.Equal("child work", work.OtelName);
        Assert.Equal(source.Name, work.ScopeName);
        Assert.Equal("3.1.4", work.Meta["otel.scope.version"]);
        Assert.Equal(UnixNanos(parent.StartTimeUtc), server.Start);
        Assert.Equal(parent.Duration.Ticks * 100, server.Duration);
        Assert.Equal(UnixNanos(child.StartTimeUtc), work.Start);
        Assert.Equal(child.Duration.Ticks * 100, work.Duration);

        // Service and the extension's tags.
        Assert.Equal("emulator_tests", server.Service);
        Assert.Equal("dd-service", server.Meta["service"]);
        Assert.Equal("test", server.Meta["env"]);
        Assert.Equal("lambda", server.Meta["_dd.origin"]);

        // Attributes of every value type.
        Assert.Equal(200, server.Metrics["http.status_code"]);
        Assert.Equal(2, server.Metrics["_sampling_priority_v1"]);
        Assert.Equal(2, trace.SamplingPriority);
        Assert.Equal("value", work.Meta["text"]);
        Assert.Equal("true", work.Meta["flag"]);
        Assert.Equal(42, work.Metrics["count"]);
        Assert.Equal(0.75, work.Metrics["ratio"]);
        Assert.Equal("""["a","b"]""", work.Meta["names"]);

        // Events, links, status and error.
        var exception = Assert.Single(work.Events);
        Assert.Equal("exception", exception.Name);
        Assert.Equal("nope", exception.Attributes["exception.message"]);
        Assert.Equal("true", work.Meta["_dd.span_events.has_exception"]);
        var link = Assert.Single(work.Links);
        Assert.Equal((linked.TraceId.ToHexString(), linked.SpanId.ToHexString(), "k=v"), (link.TraceIdHex, link.SpanIdHex, link.TraceState));
        Assert.Equal("terminated_context", link.Attributes["reason"]);
        Assert.Equal(1, work.Error);
        Assert.Equal("2", work.Meta["otel.status_code"]);
        Assert.Equal("nope", work.Meta["otel.status_description"]);
        Assert.Equal("System.InvalidOperationException", work.Meta["error.type"]);
        Assert.Equal(0, server.Error);

        var request = Assert.Single(emulator.Requests);
        Assert.Equal(("application/x-protobuf", 200), (request.ContentType, request.StatusCode));
    }

    [Fact]
    public async Task ManyTracesInOneExport_AreGroupedByTraceId()
    {
        await using var emulator = await ExtensionEmulator.StartAsync();
        using var source = new ActivitySource($"Emulator.Tests.{Guid.NewGuid():N}");
        using var provider = CreateProvider(emulator, source.Name);

        for (var i = 0; i < 5; i++)
        {
            using var root = source.StartActivity($"root {i}", ActivityKind.Server);
            using var child = source.StartActivity($"child {i}");
        }

        Assert.True(provider.ForceFlush(10_000));
        var spans = await emulator.WaitForSpansAsync(_ => true, 10, Timeout);

        Assert.Equal(10, spans.Count);
        Assert.Equal(5, emulator.Traces.Count);
        Assert.All(emulator.Traces, t => Assert.Equal(2, t.Spans.Count));
        Assert.All(emulator.Traces, t => Assert.Equal(OtlpSpanKind.Server, t.Root!.Kind));
    }

    private static TracerProvider CreateProvider(ExtensionEmulator emulator, string sourceName) =>
        Sdk.CreateTracerProviderBuilder()
            .AddSource(sourceName)
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("Emulator Tests"))
            .AddOtlpExporter(o =>
            {
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.Endpoint = emulator.TracesEndpoint;
            })
            .Build()!;

    private static long UnixNanos(DateTime utc) => (utc - DateTime.UnixEpoch).Ticks * 100;
}
