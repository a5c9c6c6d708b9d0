// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Logging;

namespace OpenTelemetry.Logs;

/// <summary>Log/trace correlation for logs exported with OpenTelemetry.</summary>
public static class DatadogLambdaOpenTelemetryLoggingExtensions
{
    /// <summary>
    /// Adds the <c>dd.trace_id</c>, <c>dd.span_id</c>, <c>dd.service</c>, <c>dd.env</c>, <c>dd.version</c> and
    /// <c>lambda.request_id</c> attributes to log records written inside a traced invocation. Call it before adding
    /// exporters: processors run in the order they were added.
    /// </summary>
    /// <param name="options">The OpenTelemetry logger options (<c>builder.Logging.AddOpenTelemetry(o => …)</c>).</param>
    /// <returns>The same options.</returns>
    public static OpenTelemetryLoggerOptions AddDatadogLambdaCorrelation(this OpenTelemetryLoggerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.AddProcessor(new DatadogLogRecordProcessor());
    }

    /// <summary>
    /// Adds the <c>dd.trace_id</c>, <c>dd.span_id</c>, <c>dd.service</c>, <c>dd.env</c>, <c>dd.version</c> and
    /// <c>lambda.request_id</c> attributes to log records written inside a traced invocation. Call it before adding
    /// exporters: processors run in the order they were added.
    /// </summary>
    /// <param name="builder">The logger provider builder (<c>services.AddOpenTelemetry().WithLogging(b => …)</c>).</param>
    /// <returns>The same builder.</returns>
    public static LoggerProviderBuilder AddDatadogLambdaCorrelation(this LoggerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddProcessor(new DatadogLogRecordProcessor());
    }
}
