// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Logging;

/// <summary>
/// Lambda's log format (<c>AWS_LAMBDA_LOG_FORMAT</c>: <c>Text</c>, the default, or <c>JSON</c>), read once per process.
/// Any other value keeps the text format; <see cref="Diagnostics.StdoutDiagnostics"/> reports it.
/// </summary>
internal static class LambdaLogFormat
{
    private static readonly Lazy<bool> ProcessIsJson = new(() => Parse(Environment.GetEnvironmentVariable(EnvironmentVariables.AwsLambdaLogFormat), out _));

    /// <summary>Gets a value indicating whether this process's Lambda log format is JSON.</summary>
    public static bool IsJson => ProcessIsJson.Value;

    /// <summary>Reads a format value; <paramref name="recognized"/> is false for a value that is neither Text nor JSON.</summary>
    public static bool Parse(string? value, out bool recognized)
    {
        var trimmed = value.AsSpan().Trim();
        if (trimmed.IsEmpty || trimmed.Equals("Text", StringComparison.OrdinalIgnoreCase))
        {
            recognized = true;
            return false;
        }

        recognized = trimmed.Equals("JSON", StringComparison.OrdinalIgnoreCase);
        return recognized;
    }
}
