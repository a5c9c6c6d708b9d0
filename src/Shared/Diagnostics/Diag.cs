// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Internal;

namespace Datadog.Otel.Lambda.Diagnostics;

/// <summary>
/// The one entry point for self-diagnostics: every call goes to the <see cref="DatadogLambdaEventSource"/>
/// and, above the configured level, to stdout through <see cref="StdoutDiagnostics"/>.
/// Never throws. Exceptions are written through <see cref="ExceptionText"/>: they may come from user code (a resolver's
/// getter, a custom extractor) and be as deep or as hostile as any, and a JSON error quotes the payload it failed on, so
/// only its position is written. No diagnostic carries event or payload content.
/// </summary>
internal static class Diag
{
    public static bool IsDebugEnabled =>
        StdoutDiagnostics.Level <= DiagnosticLevel.Debug || DatadogLambdaEventSource.Log.IsEnabled();

    /// <summary>Gets a value indicating whether an informational message goes anywhere (worth composing it).</summary>
    public static bool IsInfoEnabled =>
        StdoutDiagnostics.Level <= DiagnosticLevel.Info || DatadogLambdaEventSource.Log.IsEnabled();

    public static void Debug(string area, string message)
    {
        DatadogLambdaEventSource.Log.DebugMessage(area, message);
        StdoutDiagnostics.Write(DiagnosticLevel.Debug, area, message, null);
    }

    public static void Info(string area, string message)
    {
        DatadogLambdaEventSource.Log.InfoMessage(area, message);
        StdoutDiagnostics.Write(DiagnosticLevel.Info, area, message, null);
    }

    public static void Warn(string area, string message)
    {
        DatadogLambdaEventSource.Log.WarningMessage(area, message);
        StdoutDiagnostics.Write(DiagnosticLevel.Warn, area, message, null);
    }

    public static void Error(string area, string message, Exception? exception = null)
    {
        DatadogLambdaEventSource.Log.ErrorMessage(area, message, exception is null ? string.Empty : ExceptionText.Describe(exception, diagnostic: true).Stack);
        StdoutDiagnostics.Write(DiagnosticLevel.Error, area, message, exception);
    }

    /// <summary>Tracing code failed; the function continues untouched.</summary>
    public static void TracingFailed(string stage, Exception exception)
    {
        DatadogLambdaEventSource.Log.TracingFailed(stage, ExceptionText.Describe(exception, diagnostic: true).Stack);
        StdoutDiagnostics.Write(DiagnosticLevel.Error, stage, "tracing failed and was skipped; the function is unaffected", exception);
    }

    public static void ExportFailed(string endpoint, string reason)
    {
        DatadogLambdaEventSource.Log.ExportFailed(endpoint, reason);
        StdoutDiagnostics.Write(DiagnosticLevel.Error, "export", $"export to {endpoint} failed: {reason}", null);
    }

    public static void ExtractionSkipped(string source, string reason)
    {
        DatadogLambdaEventSource.Log.ExtractionSkipped(source, reason);
        StdoutDiagnostics.Write(DiagnosticLevel.Debug, "extract", $"trace context was not extracted from {source}: {reason}", null);
    }

    public static void InjectionSkipped(string target, string reason)
    {
        DatadogLambdaEventSource.Log.InjectionSkipped(target, reason);
        StdoutDiagnostics.Write(DiagnosticLevel.Warn, "inject", $"trace context was not injected into {target}: {reason}", null);
    }

    public static void InvalidSetting(string name, string value, string reason)
    {
        DatadogLambdaEventSource.Log.InvalidSetting(name, value, reason);
        StdoutDiagnostics.Write(DiagnosticLevel.Warn, "config", $"ignoring {name}={Truncate(value)}: {reason}", null);
    }

    private static string Truncate(string value) => value.Length <= 200 ? value : string.Concat(value.AsSpan(0, 200), "…");
}
