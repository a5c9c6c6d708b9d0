// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Datadog.Otel.Lambda.IntegrationTests.TestSupport;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.IntegrationTests.Invocation;

[Collection("Tracing")]
public class ExportFailureTests
{
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task RefusedExportNamesTheExtensionSettingAndDoesNotDelayTheFunction()
    {
        using var recorder = new DiagnosticsRecorder();
        var endpoint = new Uri($"http://127.0.0.1:{FreePort()}/v1/traces");
        using var provider = Sdk.CreateTracerProviderBuilder()
            .AddDatadogLambda(o =>
            {
                o.Environment = EnvironmentSource.FromDictionary(new Dictionary<string, string?> { ["AWS_LAMBDA_FUNCTION_NAME"] = "f" });
                o.Exporter = DatadogLambdaExporter.Extension;
                o.Endpoint = endpoint;
            })
            .Build()!;

        var watch = Stopwatch.StartNew();
        var result = await DatadogLambda.TraceAsync(provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("refused"), (_, _) => Task.FromResult(42));
        Assert.Equal(42, result);
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3));
        Assert.Contains(recorder.Messages, m => m.Contains("DD_OTLP_CONFIG_RECEIVER_PROTOCOLS_HTTP_ENDPOINT", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HangingEndpointIsBoundedByTheInvocationDeadline()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = new List<Socket>();
        var accepting = Task.Run(async () =>
        {
            // Accept and never answer: the exporter must give up at the deadline, not at its 10 s timeout.
            while (true)
            {
                accepted.Add(await listener.AcceptSocketAsync());
            }
        });
        using var provider = Sdk.CreateTracerProviderBuilder()
            .AddDatadogLambda(o =>
            {
                o.Environment = EnvironmentSource.FromDictionary(new Dictionary<string, string?> { ["AWS_LAMBDA_FUNCTION_NAME"] = "f" });
                o.Exporter = DatadogLambdaExporter.Extension;
                o.Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/v1/traces");
            })
            .Build()!;

        var watch = Stopwatch.StartNew();
        var result = await DatadogLambda.TraceAsync(provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("hang", TimeSpan.FromMilliseconds(600)), (_, _) => Task.FromResult(7));
        watch.Stop();
        Assert.Equal(7, result);
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromMilliseconds(1500));
        listener.Stop();
        foreach (var socket in accepted)
        {
            socket.Dispose();
        }
    }
}
