// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Amazon.Lambda.RuntimeSupport.Bootstrap;
using Datadog.Otel.Lambda.ExtensionEmulator;

namespace Datadog.Otel.Lambda.ZeroCode.Tests.TestSupport;

/// <summary>
/// The extension emulator on loopback, and the environment a function has in Lambda (the redirect builds its tracer
/// provider from the environment alone), pointed at it. Each test loads the redirect with its own DD_LAMBDA_HANDLER.
/// </summary>
public sealed class RedirectFixture : IAsyncLifetime
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private EnvironmentScope? environment;

    public ExtensionEmulator.ExtensionEmulator Emulator { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        this.Emulator = await ExtensionEmulator.ExtensionEmulator.StartAsync(new ExtensionEmulatorOptions { Port = 0 });
        this.environment = new EnvironmentScope(new Dictionary<string, string?>
        {
            ["AWS_LAMBDA_FUNCTION_NAME"] = "zero-code",
            ["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST",
            ["AWS_REGION"] = "us-east-1",
            ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = this.Emulator.TracesEndpoint.ToString(),
            ["DD_LAMBDA_HANDLER"] = null,
            ["DD_TRACE_ENABLED"] = null,
        });
    }

    public async Task DisposeAsync()
    {
        this.environment?.Dispose();
        await this.Emulator.DisposeAsync();
    }

    /// <summary>Loads the redirect as the runtime does, with DD_LAMBDA_HANDLER naming <paramref name="handler"/>.</summary>
    internal static RedirectScope LoadRedirect(string? handler, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var scope = new EnvironmentScope(new Dictionary<string, string?> { ["DD_LAMBDA_HANDLER"] = handler });
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            scope.Set(name, value);
        }

        try
        {
            return new RedirectScope(Handlers.Load(Handlers.Redirect), scope);
        }
        catch
        {
            scope.Dispose();
            throw;
        }
    }

    /// <summary>The aws.lambda spans of one invocation that reached the emulator.</summary>
    internal Task<IReadOnlyList<DatadogSpan>> LambdaSpansAsync(string requestId, int count = 1) =>
        this.Emulator.WaitForSpansAsync(s => s.Name == "aws.lambda" && s.GetMeta("request_id") == requestId, count, Wait);

    internal bool Received(string requestId) => this.Emulator.Spans.Any(s => s.GetMeta("request_id") == requestId);
}

/// <summary>A loaded redirect; disposing it shuts its tracer provider down and restores the environment.</summary>
internal sealed class RedirectScope(UserCodeLoader loader, EnvironmentScope environment) : IDisposable
{
    public UserCodeLoader Loader { get; } = loader;

    public DatadogLambdaHandler Handler => (DatadogLambdaHandler)this.Loader.CustomerObject;

    public Outcome Invoke(string eventJson, string requestId) => Handlers.Invoke(this.Loader, eventJson, requestId);

    public void Dispose()
    {
        this.Handler.Dispose();
        environment.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class RedirectCollection : ICollectionFixture<RedirectFixture>
{
    public const string Name = "Redirect";
}
