// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.ExtensionEmulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.IntegrationTests.TestSupport;

/// <summary>
/// The real export path: a provider built with AddDatadogLambda whose OTLP exporter sends http/protobuf over loopback
/// to the extension emulator, which applies the extension's OpenTelemetry-to-Datadog mapping. Tests assert what
/// Datadog would see. Tests that build providers share the "Tracing" collection (one at a time): every provider
/// listens to the same ActivitySource. The settings reach the provider as its users' would: through its
/// <see cref="IConfiguration"/> (here an in-memory one standing for the environment), never the process environment.
/// Compiled into the AWS SDK tests too, which see only the core package's public API (PUBLIC_API_ONLY).
/// </summary>
internal sealed class EmulatorHarness : IAsyncDisposable
{
    public const string FunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:Checkout-Fn";

    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private EmulatorHarness(ExtensionEmulator.ExtensionEmulator emulator, TracerProvider provider)
    {
        this.Emulator = emulator;
        this.Provider = provider;
    }

    public ExtensionEmulator.ExtensionEmulator Emulator { get; }

    public TracerProvider Provider { get; }

    public static async Task<EmulatorHarness> StartAsync(
        Dictionary<string, string?>? environment = null,
        Action<DatadogLambdaOptions>? configure = null,
        Action<TracerProviderBuilder>? build = null,
        ExtensionEmulatorOptions? emulatorOptions = null,
        Func<Uri, Uri>? route = null)
    {
        var emulator = await ExtensionEmulator.ExtensionEmulator.StartAsync(emulatorOptions ?? new ExtensionEmulatorOptions { Port = 0 });
        var env = new Dictionary<string, string?>
        {
            ["AWS_LAMBDA_FUNCTION_NAME"] = "Checkout-Fn",
            ["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST",
            ["AWS_REGION"] = "us-east-1",
        };
        foreach (var pair in environment ?? new())
        {
            env[pair.Key] = pair.Value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(env).Build();
        var builder = Sdk.CreateTracerProviderBuilder()
            .ConfigureServices(services => services.AddSingleton<IConfiguration>(configuration))
            .AddDatadogLambda(o =>
            {
                o.Exporter = DatadogLambdaExporter.Extension;
                // route: put something between the exporter and the emulator (the fault server).
                o.Endpoint = route?.Invoke(emulator.TracesEndpoint) ?? emulator.TracesEndpoint;
#if !PUBLIC_API_ONLY
                // See TestTracing: the cold start must not depend on how long the test process has been running.
                o.InitTime = static () => DateTimeOffset.UtcNow;
#endif
                configure?.Invoke(o);
            });
        build?.Invoke(builder);
        return new EmulatorHarness(emulator, builder.Build()!);
    }

    public static DatadogLambdaContext Context(string requestId, TimeSpan? remaining = null, string arn = FunctionArn) => new()
    {
        AwsRequestId = requestId,
        InvokedFunctionArn = arn,
        FunctionName = "Checkout-Fn",
        FunctionVersion = "$LATEST",
        MemoryLimitInMB = 512,
        Deadline = DateTimeOffset.UtcNow + (remaining ?? TimeSpan.FromSeconds(30)),
    };

    public static MemoryStream Event(string json) => new(System.Text.Encoding.UTF8.GetBytes(json));

    /// <summary>The trace whose aws.lambda span has this request id, once it has arrived.</summary>
    public Task<DatadogTrace> TraceOf(string requestId) =>
        this.Emulator.WaitForTraceAsync(t => t.Spans.Any(s => s.Name == "aws.lambda" && s.GetMeta("request_id") == requestId), Wait);

    public async ValueTask DisposeAsync()
    {
        this.Provider.Dispose();
        await this.Emulator.DisposeAsync();
    }
}

[CollectionDefinition("Tracing", DisableParallelization = true)]
public sealed class TracingCollection
{
}
