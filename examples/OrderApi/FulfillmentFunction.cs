// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace OrderApi;

/// <summary>
/// The SQS consumer of placed orders. Its trace continues the one of the API request that queued the order (the
/// message's <c>_datadog</c> attribute, written by the AWS SDK instrumentation in <see cref="OrderApiFunction"/>), and
/// its log lines carry that trace's ids (CloudWatch console formatter + correlation).
/// </summary>
public sealed class FulfillmentFunction : IDisposable
{
    private readonly ILoggerFactory logging;
    private readonly ILogger logger;

    public FulfillmentFunction(Action<DatadogLambdaOptions>? configure = null, Action<ILoggingBuilder>? logs = null)
    {
        this.Tracing = Sdk.CreateTracerProviderBuilder().AddDatadogLambda(configure).Build()!;
        this.logging = LoggerFactory.Create(b =>
        {
            b.AddDatadogLambdaConsole().AddDatadogLambdaCorrelation();
            logs?.Invoke(b);
        });
        this.logger = this.logging.CreateLogger("Fulfillment");
    }

    public TracerProvider Tracing { get; }

    public Task<int> HandleAsync(Stream sqsEvent, DatadogLambdaContext context) =>
        DatadogLambda.TraceAsync(this.Tracing, sqsEvent, context, async (evt, _) =>
        {
            using var document = await JsonDocument.ParseAsync(evt);
            var fulfilled = 0;
            foreach (var record in document.RootElement.GetProperty("Records").EnumerateArray())
            {
                using var order = JsonDocument.Parse(record.GetProperty("body").GetString() ?? "{}");
                var item = order.RootElement.TryGetProperty("item", out var value) ? value.GetString() : null;
                this.logger.LogInformation("Fulfilling order for {Item}", item);
                fulfilled++;
            }

            return fulfilled;
        });

    public void Dispose()
    {
        this.logging.Dispose();
        this.Tracing.Dispose();
    }
}
