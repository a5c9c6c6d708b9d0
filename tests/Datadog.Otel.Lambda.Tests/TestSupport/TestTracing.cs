// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.Invocation;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.Tests.TestSupport;

/// <summary>
/// A provider built with AddDatadogLambda and an in-memory exporter, over a fixed environment. The in-memory exporter
/// stands in for the extension in unit tests (the OTLP path is covered over loopback in the integration tests).
/// Tests that build providers run in the "Tracing" collection, one at a time, because every provider listens to the
/// same ActivitySource.
/// </summary>
internal sealed class TestTracing : IDisposable
{
    public const string FunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:My-Function";

    /// <param name="environment">Environment variables over the fixed ones.</param>
    /// <param name="configure">Changes to the options.</param>
    /// <param name="sources">Activity sources of the handler's own spans the provider also listens to.</param>
    /// <param name="processor">A processor of the user's, after the distribution's and before the in-memory exporter.</param>
    public TestTracing(Dictionary<string, string?>? environment = null, Action<DatadogLambdaOptions>? configure = null, string[]? sources = null, BaseProcessor<Activity>? processor = null)
    {
        var env = new Dictionary<string, string?>
        {
            ["AWS_LAMBDA_FUNCTION_NAME"] = "My-Function",
            ["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST",
            ["AWS_REGION"] = "us-east-1",
        };
        if (environment is not null)
        {
            foreach (var pair in environment)
            {
                env[pair.Key] = pair.Value;
            }
        }

        var builder = Sdk.CreateTracerProviderBuilder()
            .AddDatadogLambda(o =>
            {
                o.Environment = EnvironmentSource.FromDictionary(env);
                o.Exporter = DatadogLambdaExporter.None;
                o.FlushTracerProvider = false;

                // Process start is the default init time: on a loaded machine the first invocation of a test can come more
                // than 10 s later and count as a proactive initialization instead of a cold start.
                o.InitTime = static () => DateTimeOffset.UtcNow;
                configure?.Invoke(o);
            })
            .AddSource(sources ?? []);
        if (processor is not null)
        {
            builder.AddProcessor(processor);
        }

        this.Provider = builder.AddInMemoryExporter(this.Exported).Build()!;
    }

    public TracerProvider Provider { get; }

    public List<Activity> Exported { get; } = new();

    public DatadogLambdaRuntime Runtime => DatadogLambdaRuntime.Find(this.Provider)!;

    public static DatadogLambdaContext Context(string requestId = "req-1", string? arn = FunctionArn, TimeSpan? remaining = null) => new()
    {
        AwsRequestId = requestId,
        InvokedFunctionArn = arn,
        FunctionName = "My-Function",
        FunctionVersion = "$LATEST",
        MemoryLimitInMB = 512,
        Deadline = remaining is { } r ? DateTimeOffset.UtcNow + r : DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30),
    };

    public Activity LambdaSpan(string requestId) =>
        this.Exported.Single(a => a.GetTagItem("operation.name") as string == "aws.lambda" && a.GetTagItem("request_id") as string == requestId);

    public void Dispose() => this.Provider.Dispose();
}

[CollectionDefinition("Tracing", DisableParallelization = true)]
public sealed class TracingCollection
{
}
