// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Console;

namespace Microsoft.Extensions.Logging;

/// <summary>The Datadog Lambda console formatter.</summary>
public static class DatadogLambdaConsoleLoggingBuilderExtensions
{
    /// <summary>
    /// Adds the console logger with the <c>datadog-lambda</c> formatter: every entry is one CloudWatch record, in
    /// Lambda's text layout with the <c>[dd.trace_id=… dd.span_id=…]</c> prefix, or as a JSON line with the ids under
    /// <c>dd</c> when <c>AWS_LAMBDA_LOG_FORMAT=JSON</c> (see <see cref="DatadogLambdaConsoleFormatterOptions.LogFormat"/>).
    /// Also calls <c>AddDatadogLambdaCorrelation()</c>, so that other providers get the ids too.
    /// </summary>
    /// <param name="builder">The logging builder (<c>builder.Logging</c> in a host).</param>
    /// <param name="configure">Changes the formatter options (set in code: they are not read from configuration, which Native AOT cannot bind).</param>
    /// <returns>The same builder.</returns>
    public static ILoggingBuilder AddDatadogLambdaConsole(this ILoggingBuilder builder, Action<DatadogLambdaConsoleFormatterOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddConsole(options => options.FormatterName = DatadogLambdaConsoleFormatter.FormatterName);

        // Registered by hand: AddConsoleFormatter binds the options from configuration by reflection, which Native AOT
        // cannot do. The options come from code (configure) only.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ConsoleFormatter, DatadogLambdaConsoleFormatter>());
        builder.Services.AddOptions<DatadogLambdaConsoleFormatterOptions>();
        if (configure is not null)
        {
            builder.Services.Configure(configure);
        }

        return builder.AddDatadogLambdaCorrelation();
    }
}
