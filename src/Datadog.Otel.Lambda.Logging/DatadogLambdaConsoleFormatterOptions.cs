// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Microsoft.Extensions.Logging.Console;

namespace Datadog.Otel.Lambda.Logging;

/// <summary>
/// Options of the Datadog Lambda console formatter. <see cref="ConsoleFormatterOptions.IncludeScopes"/> adds the
/// application's own scopes; timestamps are always UTC in the form Lambda writes (<c>2024-05-01T12:00:00.000Z</c>), so
/// <see cref="ConsoleFormatterOptions.TimestampFormat"/> and <see cref="ConsoleFormatterOptions.UseUtcTimestamp"/> are not used.
/// </summary>
public sealed class DatadogLambdaConsoleFormatterOptions : ConsoleFormatterOptions
{
    /// <summary>Gets or sets the layout; <see cref="DatadogLambdaLogFormat.Auto"/> (the default) follows <c>AWS_LAMBDA_LOG_FORMAT</c>.</summary>
    public DatadogLambdaLogFormat LogFormat { get; set; }
}
