// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Globalization;
using System.Text;
using Datadog.Otel.Lambda.Export;
using Datadog.Otel.Lambda.ExtensionEmulator.Otlp;
using Datadog.Otel.Lambda.ExtensionEmulator.Otlp.Model;
using Datadog.Otel.Lambda.IntegrationTests.TestSupport;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.IntegrationTests.Export;

/// <summary>
/// The same activities, exported by our exporter and by OpenTelemetry's <c>OtlpTraceExporter</c> (http/protobuf) from
/// one provider, each to its own receiver on loopback; the raw bodies are decoded with the extension emulator's
/// decoder and must describe the same spans: resource, scope, every span field, attributes with their types, events,
/// links, status, trace state and flags. The one difference is ours by design: a span without <c>sampling.priority</c>
/// whose trace state carries a Datadog priority gets it as an attribute (asserted on its own).
/// </summary>
[Collection("Tracing")]
public class ExporterParityTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task OurRequestsDecodeToTheSpansOpenTelemetrysOtlpExporterSends()
    {
        await using var ours = await OtlpCaptureServer.StartAsync();
        await using var theirs = await OtlpCaptureServer.StartAsync();
        using var plain = new ActivitySource($"parity.plain.{Guid.NewGuid():N}");
        using var tagged = new ActivitySource(new ActivitySourceOptions($"parity.tagged.{Guid.NewGuid():N}")
        {
            Version = "2.1.0",
            Tags = [new("scope.kind", "tagged"), new("scope.level", 3L)],
            TelemetrySchemaUrl = "https://opentelemetry.io/schemas/1.26.0",
        });

        using var processor = new ExtensionExportProcessor(new ExtensionExporter(new OtlpExporterSettings { Endpoint = ours.TracesEndpoint }));
        using var provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(plain.Name, tagged.Name)
            .SetSampler(new AlwaysOnSampler())
            .ConfigureResource(r => r
                .AddService("parity-service", serviceVersion: "1.2.3")
                .AddAttributes([new("deployment.environment.name", "test"), new("faas.max_memory", 536870912L), new("aws.log.group.names", new[] { "/aws/lambda/parity" })]))
            .AddProcessor(processor)
            .AddProcessor(new SimpleActivityExportProcessor(new OtlpTraceExporter(new OtlpExporterOptions { Endpoint = theirs.TracesEndpoint, Protocol = OtlpExportProtocol.HttpProtobuf })))
            .Build()!;

        var expectedSpans = CreateActivities(plain, tagged);

        using var flush = new CancellationTokenSource(Wait);
        Assert.True(await processor.FlushAsync(flush.Token));
        Assert.True(provider.ForceFlush((int)Wait.TotalMilliseconds));

        var sent = Decode(ours);
        var reference = Decode(theirs);
        Assert.Equal(expectedSpans, reference.Count);
        Assert.Equal(reference.Keys.Order(), sent.Keys.Order());

        // Our one addition: sampling.priority from the dd member of the trace state, on spans that lack the tag.
        var added = 0;
        foreach (var (id, span) in sent)
        {
            var expected = reference[id];
            if (!expected.Contains("\n  attr sampling.priority=", StringComparison.Ordinal) && span.Contains("\n  attr sampling.priority=i:2\n", StringComparison.Ordinal))
            {
                sent[id] = span.Replace("\n  attr sampling.priority=i:2\n", "\n", StringComparison.Ordinal);
                added++;
            }

            Assert.Equal(expected, sent[id]);
        }

        // The spans whose trace state says s:2 and that set no priority tag themselves: all but the client span.
        Assert.Equal(expectedSpans - 1, added);

        // One request from us, uncompressed protobuf; one per span from a simple processor.
        var request = Assert.Single(ours.Requests);
        Assert.Equal("application/x-protobuf", request.ContentType);
        Assert.Null(request.ContentEncoding);
        Assert.Equal(expectedSpans, theirs.Requests.Count);
    }

    /// <summary>Spans with every field OTLP carries, in two scopes; returns how many were ended.</summary>
    private static int CreateActivities(ActivitySource plain, ActivitySource tagged)
    {
        var remoteParent = new ActivityContext(
            ActivityTraceId.CreateFromString("0af7651916cd43dd8448eb211c80319c"),
            ActivitySpanId.CreateFromString("b7ad6b7169203331"),
            ActivityTraceFlags.Recorded,
            "dd=s:2;o:rum;t.dm:-4,vendor=opaque",
            isRemote: true);
        var linked = new ActivityContext(
            ActivityTraceId.CreateFromString("4bf92f3577b34da6a3ce929d0e0e4736"),
            ActivitySpanId.CreateFromString("00f067aa0ba902b7"),
            ActivityTraceFlags.None,
            "congo=t61rcWkgMzE",
            isRemote: true);
        var count = 0;

        var start = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero).AddTicks(1234567);
        using (var server = tagged.StartActivity(ActivityKind.Server, remoteParent, startTime: start, name: "GET /orders/{id}")!)
        {
            server.SetTag("http.request.method", "GET");
            server.SetTag("http.response.status_code", 200);
            server.SetTag("flag", true);
            server.SetTag("count", 42L);
            server.SetTag("ratio", 0.25);
            server.SetTag("small", (short)-7);
            server.SetTag("byte", (byte)250);
            server.SetTag("signed.byte", (sbyte)-3);
            server.SetTag("unsigned.short", (ushort)65000);
            server.SetTag("unsigned.int", 4_000_000_000u);
            server.SetTag("single", 1.5f);
            server.SetTag("letter", 'x');
            server.SetTag("unsigned.long", 18_000_000_000_000_000_000UL);
            server.SetTag("money", 12.50m);
            server.SetTag("guid", new Guid("6f9619ff-8b86-d011-b42d-00c04fc964ff"));
            server.SetTag("names", new[] { "a", null, "ü€😀" });
            server.SetTag("flags", new[] { true, false });
            server.SetTag("longs", new[] { 1L, -2L, long.MaxValue });
            server.SetTag("ints", new[] { 3, -4 });
            server.SetTag("doubles", new[] { 0.5, double.NaN });
            server.SetTag("floats", new[] { 2.5f });
            server.SetTag("shorts", new short[] { 5, -6 });
            server.SetTag("uints", new uint[] { 7, 4_000_000_000u });
            server.SetTag("ulongs", new ulong[] { 9, ulong.MaxValue });
            server.SetTag("chars", new[] { 'y', 'z' });
            server.SetTag("mixed", new object?[] { "s", 1, 2L, true, 0.75, null, 'c', 3.5m });
            server.SetTag("bytes", new byte[] { 0, 1, 254, 255 });
            server.SetTag("map", new Dictionary<string, object?> { ["inner"] = "value", ["number"] = 5, ["nested"] = new Dictionary<string, object?> { ["deep"] = true } });
            server.AddTag("nothing", null);
            server.AddEvent(new ActivityEvent("exception", start.AddMilliseconds(3), new ActivityTagsCollection { ["exception.type"] = "System.InvalidOperationException", ["exception.message"] = "nope", ["exception.escaped"] = true }));
            server.AddEvent(new ActivityEvent("plain", start.AddMilliseconds(4)));
            server.AddLink(new ActivityLink(linked, new ActivityTagsCollection { ["link.reason"] = "batch", ["link.index"] = 0 }));
            server.SetStatus(ActivityStatusCode.Error, "payment declined");
            count++;

            using (var client = plain.StartActivity("POST", ActivityKind.Client)!)
            {
                client.SetTag("url.full", "http://127.0.0.1/orders");
                client.SetTag("sampling.priority", 1);
                client.SetStatus(ActivityStatusCode.Ok);
                count++;
            }

            using (var producer = plain.StartActivity("orders send", ActivityKind.Producer)!)
            {
                producer.SetTag("otel.status_code", "error");
                producer.SetTag("otel.status_description", "queue full");
                producer.SetTag("messaging.system", "aws_sqs");
                count++;
            }

            using (var consumer = tagged.StartActivity("orders process", ActivityKind.Consumer, default(ActivityContext), links: [new ActivityLink(remoteParent)])!)
            {
                consumer.SetTag("otel.status_code", "UNSET");
                consumer.SetTag("messaging.batch.message_count", 1);
                count++;
            }

            using (var many = plain.StartActivity("many attributes")!)
            {
                for (var i = 0; i < 140; i++)
                {
                    many.SetTag("attribute." + i.ToString("D3", CultureInfo.InvariantCulture), i);
                }

                count++;
            }

            server.SetEndTime(start.AddMilliseconds(10).UtcDateTime);
        }

        return count;
    }

    /// <summary>Every span received, by span id, rendered with its resource and scope in a canonical text.</summary>
    private static Dictionary<string, string> Decode(OtlpCaptureServer server)
    {
        var spans = new Dictionary<string, string>();
        foreach (var request in server.Requests)
        {
            var decoded = OtlpProtobufDecoder.Decode(request.Body);
            foreach (var resourceSpans in decoded.ResourceSpans)
            {
                var resource = new StringBuilder();
                resource.Append("resource schema=").Append(resourceSpans.SchemaUrl).Append(" dropped=").Append(resourceSpans.Resource?.DroppedAttributesCount).Append('\n');
                foreach (var attribute in resourceSpans.Resource?.Attributes ?? [])
                {
                    resource.Append("  attr ").Append(attribute.Key).Append('=').Append(Render(attribute.Value)).Append('\n');
                }

                foreach (var scopeSpans in resourceSpans.ScopeSpans)
                {
                    var scope = new StringBuilder();
                    scope.Append("scope ").Append(scopeSpans.Scope?.Name).Append(" version=").Append(scopeSpans.Scope?.Version)
                        .Append(" schema=").Append(scopeSpans.SchemaUrl).Append(" dropped=").Append(scopeSpans.Scope?.DroppedAttributesCount).Append('\n');
                    foreach (var attribute in scopeSpans.Scope?.Attributes ?? [])
                    {
                        scope.Append("  attr ").Append(attribute.Key).Append('=').Append(Render(attribute.Value)).Append('\n');
                    }

                    foreach (var span in scopeSpans.Spans)
                    {
                        spans.Add(Convert.ToHexString(span.SpanId), resource.ToString() + scope + Render(span));
                    }
                }
            }
        }

        return spans;
    }

    private static string Render(OtlpSpan span)
    {
        var text = new StringBuilder();
        text.Append("span ").Append(span.Name).Append('\n')
            .Append("  trace=").Append(Convert.ToHexString(span.TraceId)).Append(" id=").Append(Convert.ToHexString(span.SpanId))
            .Append(" parent=").Append(Convert.ToHexString(span.ParentSpanId)).Append(" state=").Append(span.TraceState)
            .Append(" flags=").Append(span.Flags.ToString("x", CultureInfo.InvariantCulture)).Append(" kind=").Append(span.Kind)
            .Append(" start=").Append(span.StartTimeUnixNano).Append(" end=").Append(span.EndTimeUnixNano).Append('\n');
        foreach (var attribute in span.Attributes)
        {
            text.Append("  attr ").Append(attribute.Key).Append('=').Append(Render(attribute.Value)).Append('\n');
        }

        text.Append("  dropped attributes=").Append(span.DroppedAttributesCount).Append(" events=").Append(span.DroppedEventsCount).Append(" links=").Append(span.DroppedLinksCount).Append('\n');
        foreach (var spanEvent in span.Events)
        {
            text.Append("  event ").Append(spanEvent.Name).Append(" at ").Append(spanEvent.TimeUnixNano).Append(" dropped=").Append(spanEvent.DroppedAttributesCount).Append('\n');
            foreach (var attribute in spanEvent.Attributes)
            {
                text.Append("    attr ").Append(attribute.Key).Append('=').Append(Render(attribute.Value)).Append('\n');
            }
        }

        foreach (var link in span.Links)
        {
            text.Append("  link trace=").Append(Convert.ToHexString(link.TraceId)).Append(" id=").Append(Convert.ToHexString(link.SpanId))
                .Append(" state=").Append(link.TraceState).Append(" flags=").Append(link.Flags.ToString("x", CultureInfo.InvariantCulture))
                .Append(" dropped=").Append(link.DroppedAttributesCount).Append('\n');
            foreach (var attribute in link.Attributes)
            {
                text.Append("    attr ").Append(attribute.Key).Append('=').Append(Render(attribute.Value)).Append('\n');
            }
        }

        text.Append("  status ").Append(span.Status is null ? "absent" : $"{span.Status.Code} '{span.Status.Message}'").Append('\n');
        return text.ToString();
    }

    private static string Render(OtlpAnyValue? value) => value?.Kind switch
    {
        null => "(no value)",
        OtlpAnyValueKind.None => "(empty)",
        OtlpAnyValueKind.String => "s:" + value.StringValue,
        OtlpAnyValueKind.Bool => "b:" + (value.BoolValue ? "true" : "false"),
        OtlpAnyValueKind.Int => "i:" + value.IntValue.ToString(CultureInfo.InvariantCulture),
        OtlpAnyValueKind.Double => "d:" + BitConverter.DoubleToInt64Bits(value.DoubleValue).ToString("x16", CultureInfo.InvariantCulture),
        OtlpAnyValueKind.Bytes => "bytes:" + Convert.ToHexString(value.BytesValue),
        OtlpAnyValueKind.Array => "[" + string.Join(", ", value.ArrayValues.Select(Render)) + "]",
        OtlpAnyValueKind.KeyValueList => "{" + string.Join(", ", value.KeyValues.Select(kv => kv.Key + "=" + Render(kv.Value))) + "}",
        _ => "?",
    };
}
