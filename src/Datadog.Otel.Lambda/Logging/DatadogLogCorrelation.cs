// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda.Logging;

namespace Datadog.Otel.Lambda;

/// <summary>
/// Log/trace correlation for code that does not log through <c>Microsoft.Extensions.Logging</c> (see
/// <c>AddDatadogLambdaCorrelation</c> for that): the ids of the current span of a traced invocation, as a text prefix,
/// as JSON, or added to every console line. Everything here is empty outside a traced invocation and when
/// <c>DD_LOGS_INJECTION</c> is false, and never throws.
/// </summary>
public static class DatadogLogCorrelation
{
    /// <summary>
    /// Gets the correlation fields of the current span (<see cref="System.Diagnostics.Activity.Current"/>, else the
    /// invocation's <c>aws.lambda</c> span), or <see langword="null"/> outside a traced invocation or when
    /// <c>DD_LOGS_INJECTION</c> is false. The same instance is returned for every call within one span.
    /// </summary>
    public static DatadogLogContext? Current => LogCorrelation.Current();

    /// <summary>Puts <c>[dd.trace_id=… dd.span_id=…]</c> in front of a message, as Datadog's Lambda libraries do.</summary>
    /// <param name="message">The log message.</param>
    /// <returns>The prefixed message, or <paramref name="message"/> unchanged (<c>""</c> for null) when there is nothing to correlate with.</returns>
    /// <example><code>Console.WriteLine(DatadogLogCorrelation.Format($"order {id} shipped"));</code></example>
    public static string Format(string? message)
    {
        if (LogCorrelation.Current() is not { } correlation)
        {
            return message ?? string.Empty;
        }

        return string.Concat(correlation.Prefix, " ", message);
    }

    /// <summary>
    /// Writes the <c>dd</c> object (<c>"dd":{"trace_id":…,"span_id":…,"service":…,"env":…,"version":…}</c>) into the
    /// JSON object <paramref name="writer"/> is writing, for functions that write their own JSON log lines.
    /// </summary>
    /// <param name="writer">A writer positioned inside a JSON object.</param>
    /// <returns><see langword="true"/> when the object was written.</returns>
    public static bool WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (LogCorrelation.Current() is not { } correlation)
        {
            return false;
        }

        correlation.WriteTo(writer);
        return true;
    }

    /// <summary>
    /// Adds the current ids to every line the function writes with <c>Console.WriteLine</c> (stdout and stderr) inside
    /// a traced invocation. With Lambda's text log format a line gets the <c>[dd.trace_id=… dd.span_id=…]</c> prefix;
    /// with <c>AWS_LAMBDA_LOG_FORMAT=JSON</c> it becomes a JSON object in the shape of Lambda's own lines
    /// (<c>timestamp</c>, <c>level</c>, <c>requestId</c>, <c>traceId</c>, <c>message</c>) with the ids under <c>dd</c>.
    /// Call it once, anywhere (startup code is fine): the console is wrapped at the start of the next traced invocation,
    /// after Lambda's runtime has set up its own console writers.
    /// </summary>
    public static void CorrelateConsole() => ConsoleCorrelation.Request();
}
