// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Collections;
using System.Globalization;
using Datadog.Otel.Lambda.IntegrationTests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.IntegrationTests.Configuration;

/// <summary>
/// OpenTelemetry's own OTLP exporter (AddOtlpExporter) reads its span limits from the provider's IConfiguration: with
/// payload capture on, AddDatadogLambda raises them there for that provider, below anything the user configured, and
/// never in the process environment. The exporter sends http/protobuf to the extension emulator over loopback.
/// </summary>
[Collection("Tracing")]
public sealed class SdkSpanLimitTests
{
    [Fact]
    public async Task A700TagPayloadArrivesWholeThroughOpenTelemetrysExporterWithoutAnEnvironmentWrite()
    {
        var before = Snapshot();
        await using var emulator = await ExtensionEmulator.ExtensionEmulator.StartAsync(new() { Port = 0 });
        using (var provider = Build(emulator, new() { ["DD_CAPTURE_LAMBDA_PAYLOAD"] = "true" }))
        {
            Assert.Equal(before, Snapshot());
            await InvokeAsync(provider, "big", 700);
        }

        var lambda = (await emulator.WaitForTraceAsync(t => t.Spans.Any(s => s.GetMeta("request_id") == "big"), EmulatorHarness.Wait)).Spans.Single(s => s.Name == "aws.lambda");
        for (var i = 0; i < 700; i++)
        {
            Assert.Equal(i.ToString(CultureInfo.InvariantCulture), lambda.GetMeta("function.request.f" + i));
        }

        Assert.Null(Environment.GetEnvironmentVariable("OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT"));
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public async Task TheUsersOwnLimitWins()
    {
        await using var emulator = await ExtensionEmulator.ExtensionEmulator.StartAsync(new() { Port = 0 });
        using (var provider = Build(emulator, new() { ["DD_CAPTURE_LAMBDA_PAYLOAD"] = "true", ["OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT"] = "150" }))
        {
            await InvokeAsync(provider, "limited", 300);
        }

        var lambda = (await emulator.WaitForTraceAsync(t => t.Spans.Any(s => s.GetMeta("request_id") == "limited"), EmulatorHarness.Wait)).Spans.Single(s => s.Name == "aws.lambda");
        var captured = lambda.Meta.Keys.Count(k => k.StartsWith("function.request.", StringComparison.Ordinal));
        Assert.InRange(captured, 1, 149);
        Assert.Equal("aws.lambda", lambda.Name);
    }

    private static TracerProvider Build(ExtensionEmulator.ExtensionEmulator emulator, Dictionary<string, string?> settings)
    {
        settings["AWS_LAMBDA_FUNCTION_NAME"] = "Checkout-Fn";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return Sdk.CreateTracerProviderBuilder()
            .ConfigureServices(services => services.AddSingleton<IConfiguration>(configuration))
            .AddDatadogLambda(o => o.InitTime = static () => DateTimeOffset.UtcNow)
            .AddOtlpExporter(o =>
            {
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.Endpoint = emulator.TracesEndpoint;
            })
            .Build()!;
    }

    private static Task InvokeAsync(TracerProvider provider, string requestId, int fields)
    {
        var payload = "{" + string.Join(',', Enumerable.Range(0, fields).Select(i => $"\"f{i}\":{i}")) + "}";
        return DatadogLambda.TraceAsync(provider, EmulatorHarness.Event(payload), EmulatorHarness.Context(requestId), (_, _) => Task.FromResult(0));
    }

    private static SortedDictionary<string, string?> Snapshot()
    {
        var snapshot = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            snapshot[(string)entry.Key] = entry.Value as string;
        }

        return snapshot;
    }
}
