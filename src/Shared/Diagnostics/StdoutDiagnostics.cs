// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using System.Text;
using Datadog.Otel.Lambda.Logging;

namespace Datadog.Otel.Lambda.Diagnostics;

/// <summary>
/// Writes self-diagnostics to stdout, where Lambda sends them to CloudWatch. The level comes from
/// <c>DD_LOG_LEVEL</c>, else <c>AWS_LAMBDA_LOG_LEVEL</c>, else warn; the format follows
/// <c>AWS_LAMBDA_LOG_FORMAT</c> (JSON lines in the shape of Lambda's own, with the request id and the current span's
/// ids, or text; any other value keeps text and is reported). Unknown level values are reported and ignored. Warnings and errors are throttled per area so a
/// failure that repeats on every invocation (a dead endpoint) writes one line every
/// <see cref="ThrottleWindow"/> with a count of what was suppressed. Shared source: each package writes its own lines
/// (named by <see cref="DiagnosticNames.Logger"/>) and reads the invocation and its log correlation through the core
/// package's public API.
/// </summary>
internal static class StdoutDiagnostics
{
    internal static readonly TimeSpan ThrottleWindow = TimeSpan.FromSeconds(10);
    private const int MaxThrottleKeys = 256;
    private static readonly object Sync = new();

    // Created by the first line written: a function that never writes one does not pay for the dictionary's generic
    // instantiation at cold start (JIT work even under ReadyToRun, its value type being ours).
    private static Dictionary<string, ThrottleState>? throttle;
    private static TextWriter? writer;
    private static bool jsonFormat;
    private static DiagnosticLevel level = DiagnosticLevel.Warn;

    // Set while this thread writes a line: a failure inside the log correlation lookup is itself reported, and that
    // report must not look the correlation up again.
    [ThreadStatic]
    private static bool writing;

    static StdoutDiagnostics()
    {
        Configure(EnvironmentSource.Process);
    }

    public static DiagnosticLevel Level => level;

    public static bool JsonFormat => jsonFormat;

    /// <summary>Reads the level and format from the environment (called once at startup, and by tests).</summary>
    public static void Configure(IEnvironmentSource environment, TextWriter? output = null)
    {
        var ddLevel = environment.Get(EnvironmentVariables.DdLogLevel);
        var lambdaLevel = environment.Get(EnvironmentVariables.AwsLambdaLogLevel);
        var format = environment.Get(EnvironmentVariables.AwsLambdaLogFormat);
        var configured = ParseLevel(ddLevel) ?? ParseLevel(lambdaLevel) ?? DiagnosticLevel.Warn;
        var json = LambdaLogFormat.Parse(format, out var formatRecognized);
        lock (Sync)
        {
            level = configured;
            jsonFormat = json;
            writer = output;
            throttle?.Clear();
        }

        // Reported once the new level and format are in place, so that the report itself follows them.
        if (!formatRecognized)
        {
            Diag.InvalidSetting(EnvironmentVariables.AwsLambdaLogFormat, format!, "expected Text or JSON; writing text");
        }

        ReportUnknownLevel(EnvironmentVariables.DdLogLevel, ddLevel);
        ReportUnknownLevel(EnvironmentVariables.AwsLambdaLogLevel, lambdaLevel);
    }

    public static DiagnosticLevel? ParseLevel(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return value.Trim().ToUpperInvariant() switch
        {
            "TRACE" or "DEBUG" => DiagnosticLevel.Debug,
            "INFO" or "INFORMATION" => DiagnosticLevel.Info,
            "WARN" or "WARNING" => DiagnosticLevel.Warn,
            "ERROR" or "FATAL" or "CRITICAL" => DiagnosticLevel.Error,
            "OFF" or "NONE" => DiagnosticLevel.Off,
            _ => null,
        };
    }

    public static void Write(DiagnosticLevel messageLevel, string area, string message, Exception? exception)
    {
        if (messageLevel < level || level == DiagnosticLevel.Off)
        {
            return;
        }

        var nested = writing;
        writing = true;
        try
        {
            long suppressed = 0;
            if (messageLevel >= DiagnosticLevel.Warn && !ShouldWrite(area, messageLevel, out suppressed))
            {
                return;
            }

            var output = writer ?? Console.Out;
            if (jsonFormat)
            {
                // One Write with the newline: Lambda's runtime passes it through as one record, where WriteLine
                // would wrap our JSON object in the "message" string of its own.
                WriteJson(output, messageLevel, area, message, exception, suppressed, correlate: !nested);
            }
            else
            {
                output.WriteLine(FormatText(messageLevel, area, message, exception, suppressed));
            }
        }
#pragma warning disable CA1031 // Diagnostics must never break the function.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        finally
        {
            writing = nested;
        }
    }

    private static bool ShouldWrite(string area, DiagnosticLevel messageLevel, out long suppressed)
    {
        var key = messageLevel == DiagnosticLevel.Error ? "E:" + area : "W:" + area;
        var now = Environment.TickCount64;
        lock (Sync)
        {
            var known = throttle ??= new Dictionary<string, ThrottleState>(StringComparer.Ordinal);
            if (known.TryGetValue(key, out var state))
            {
                if (now - state.LastWrittenTicks < (long)ThrottleWindow.TotalMilliseconds)
                {
                    state.Suppressed++;
                    known[key] = state;
                    suppressed = 0;
                    return false;
                }

                suppressed = state.Suppressed;
                known[key] = new ThrottleState { LastWrittenTicks = now };
                return true;
            }

            if (known.Count >= MaxThrottleKeys)
            {
                known.Clear();
            }

            known[key] = new ThrottleState { LastWrittenTicks = now };
            suppressed = 0;
            return true;
        }
    }

    private static string FormatText(DiagnosticLevel messageLevel, string area, string message, Exception? exception, long suppressed)
    {
        var builder = new StringBuilder(128);
        builder.Append('[').Append(DiagnosticNames.Logger).Append("] ").Append(LevelName(messageLevel)).Append(' ').Append(area).Append(": ").Append(message);
        if (suppressed > 0)
        {
            builder.Append(" (").Append(suppressed.ToString(CultureInfo.InvariantCulture)).Append(" similar messages suppressed)");
        }

        if (exception is not null)
        {
            builder.Append(' ').Append(exception.GetType().FullName).Append(": ").Append(Internal.ExceptionText.Message(exception, diagnostic: true));
        }

        return builder.ToString();
    }

    private static void WriteJson(TextWriter output, DiagnosticLevel messageLevel, string area, string message, Exception? exception, long suppressed, bool correlate)
    {
        var line = JsonLogLine.Rent();
        line.WriteHead(DateTimeOffset.UtcNow, LevelName(messageLevel), DatadogLambdaInvocation.AwsRequestId, DatadogLambdaInvocation.XRayTraceHeader);
        var json = line.Writer;
        json.WriteString("logger", DiagnosticNames.Logger);
        json.WriteString("area", area);
        json.WriteString(JsonLogLine.Names.Message, message);
        if (suppressed > 0)
        {
            json.WriteNumber("suppressed", suppressed);
        }

        if (exception is not null)
        {
            json.WriteString("errorType", exception.GetType().FullName);
            json.WriteString("errorMessage", Internal.ExceptionText.Message(exception, diagnostic: true));
        }

        if (correlate)
        {
            DatadogLogCorrelation.WriteTo(json);
        }

        line.WriteTo(output);
    }

    private static void ReportUnknownLevel(string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value) && ParseLevel(value) is null)
        {
            Diag.InvalidSetting(name, value, "expected trace, debug, info, warn, error, fatal or off");
        }
    }

    private static string LevelName(DiagnosticLevel messageLevel) => messageLevel switch
    {
        DiagnosticLevel.Debug => "DEBUG",
        DiagnosticLevel.Info => "INFO",
        DiagnosticLevel.Warn => "WARN",
        _ => "ERROR",
    };

    private struct ThrottleState
    {
        public long LastWrittenTicks;
        public long Suppressed;
    }
}
