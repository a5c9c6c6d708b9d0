// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Collections;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Datadog.Otel.Lambda.Logging;

/// <summary>
/// Writes each log entry as one CloudWatch record. The console logger's output bypasses Lambda's runtime formatting
/// (it writes with <c>Write</c>, which the runtime passes through), so this formatter writes what the runtime would:
/// <list type="bullet">
/// <item>text: <c>timestamp⇥requestId⇥level⇥[dd.trace_id=… dd.span_id=…] Category: message</c>, Lambda's .NET layout
/// with the prefix of Datadog's Lambda libraries;</item>
/// <item>JSON: <c>{"timestamp","level","requestId","traceId","message","logger",…template properties…,"dd":{…}}</c>,
/// the shape of Lambda's JSON logs, with Lambda's level names so that log-level filtering works.</item>
/// </list>
/// The ids come from the current span of the traced invocation and are absent outside one (or with
/// <c>DD_LOGS_INJECTION=false</c>); the request id is written whenever an invocation is running.
/// </summary>
internal sealed class DatadogLambdaConsoleFormatter : ConsoleFormatter, IDisposable
{
    public const string FormatterName = "datadog-lambda";

    private const string OriginalFormat = "{OriginalFormat}";
    private const int MaxListItems = 100;

    private static readonly string[] ReservedNames =
        ["timestamp", "level", "requestId", "traceId", "message", "logger", "eventId", "errorType", "errorMessage", "stackTrace", "scopes", "dd"];

    private readonly IDisposable? reload;
    private DatadogLambdaConsoleFormatterOptions options;

    public DatadogLambdaConsoleFormatter(IOptionsMonitor<DatadogLambdaConsoleFormatterOptions> options)
        : base(FormatterName)
    {
        this.options = options.CurrentValue;
        this.reload = options.OnChange(updated => this.options = updated);
    }

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        var current = this.options;
        var correlation = DatadogLogCorrelation.Current;
        var scopes = current.IncludeScopes ? scopeProvider : null;
        var json = current.LogFormat == DatadogLambdaLogFormat.Json || (current.LogFormat == DatadogLambdaLogFormat.Auto && LambdaLogFormat.IsJson);
        if (json)
        {
            WriteJson(logEntry, message, correlation, scopes, textWriter);
        }
        else
        {
            WriteText(logEntry, message, correlation, scopes, textWriter);
        }
    }

    public void Dispose() => this.reload?.Dispose();

    private static void WriteJson<TState>(in LogEntry<TState> entry, string? message, DatadogLogContext? correlation, IExternalScopeProvider? scopes, TextWriter output)
    {
        var line = JsonLogLine.Rent();
        line.WriteHead(DateTimeOffset.UtcNow, JsonLogLine.LevelName((int)entry.LogLevel), DatadogLambdaInvocation.AwsRequestId, DatadogLambdaInvocation.XRayTraceHeader);
        var json = line.Writer;
        json.WriteString(JsonLogLine.Names.Message, message ?? string.Empty);
        json.WriteString("logger", entry.Category);
        if (entry.EventId.Id != 0)
        {
            json.WriteNumber("eventId", entry.EventId.Id);
        }

        // Template properties go to the top level, as Lambda's runtime writes them.
        if (entry.State is IReadOnlyList<KeyValuePair<string, object?>> properties)
        {
            for (var i = 0; i < properties.Count; i++)
            {
                var property = properties[i];
                if (property.Key != OriginalFormat && !IsReserved(property.Key))
                {
                    json.WritePropertyName(property.Key);
                    WriteValue(json, property.Value, nested: false);
                }
            }
        }

        if (entry.Exception is { } exception)
        {
            json.WriteString("errorType", exception.GetType().FullName);
            json.WriteString("errorMessage", exception.Message);
            json.WriteStartArray("stackTrace");
            foreach (var frame in exception.ToString().Split('\n'))
            {
                json.WriteStringValue(frame.TrimEnd('\r'));
            }

            json.WriteEndArray();
        }

        if (scopes is not null)
        {
            json.WriteStartArray("scopes");
            scopes.ForEachScope(
                static (scope, state) =>
                {
                    if (scope is null or DatadogLogContext)
                    {
                        return;
                    }

                    if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                    {
                        state.WriteStartObject();
                        foreach (var pair in pairs)
                        {
                            state.WritePropertyName(pair.Key);
                            WriteValue(state, pair.Value, nested: false);
                        }

                        state.WriteEndObject();
                    }
                    else
                    {
                        state.WriteStringValue(Convert.ToString(scope, CultureInfo.InvariantCulture));
                    }
                },
                json);
            json.WriteEndArray();
        }

        correlation?.WriteTo(json);
        line.WriteTo(output);
    }

    private static void WriteText<TState>(in LogEntry<TState> entry, string? message, DatadogLogContext? correlation, IExternalScopeProvider? scopes, TextWriter output)
    {
        Span<char> time = stackalloc char[24];
        DateTime.UtcNow.TryFormat(time, out var written, "yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        output.Write(time[..written]);
        output.Write('\t');
        output.Write(DatadogLambdaInvocation.AwsRequestId);
        output.Write('\t');
        output.Write(TextLevel(entry.LogLevel));
        output.Write('\t');
        if (correlation is not null)
        {
            output.Write(correlation.Prefix);
            output.Write(' ');
        }

        output.Write(entry.Category);
        if (entry.EventId.Id != 0)
        {
            output.Write('[');
            output.Write(entry.EventId.Id.ToString(CultureInfo.InvariantCulture));
            output.Write(']');
        }

        scopes?.ForEachScope(
            static (scope, writer) =>
            {
                if (scope is not null and not DatadogLogContext)
                {
                    writer.Write(" => ");
                    writer.Write(Convert.ToString(scope, CultureInfo.InvariantCulture));
                }
            },
            output);
        output.Write(": ");
        output.Write(message);
        if (entry.Exception is { } exception)
        {
            output.Write('\n');
            output.Write(exception.ToString());
        }

        output.Write('\n');
    }

    /// <summary>The labels Lambda's .NET runtime writes in its text layout (those of the console logger).</summary>
    private static string TextLevel(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        _ => "crit",
    };

    private static bool IsReserved(string name)
    {
        foreach (var reserved in ReservedNames)
        {
            if (string.Equals(reserved, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Writes a value by its type, without reflection (AOT): scalars as JSON scalars, lists as arrays, anything else as text.</summary>
    private static void WriteValue(Utf8JsonWriter json, object? value, bool nested)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case string text:
                json.WriteStringValue(text);
                break;
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            case int number:
                json.WriteNumberValue(number);
                break;
            case long number:
                json.WriteNumberValue(number);
                break;
            case uint number:
                json.WriteNumberValue(number);
                break;
            case ulong number:
                json.WriteNumberValue(number);
                break;
            case short number:
                json.WriteNumberValue(number);
                break;
            case ushort number:
                json.WriteNumberValue(number);
                break;
            case byte number:
                json.WriteNumberValue(number);
                break;
            case sbyte number:
                json.WriteNumberValue(number);
                break;
            case decimal number:
                json.WriteNumberValue(number);
                break;
            case double number when double.IsFinite(number):
                json.WriteNumberValue(number);
                break;
            case float number when float.IsFinite(number):
                json.WriteNumberValue(number);
                break;
            case DateTime time:
                json.WriteStringValue(time);
                break;
            case DateTimeOffset time:
                json.WriteStringValue(time);
                break;
            case IEnumerable items when !nested:
                json.WriteStartArray();
                var count = 0;
                foreach (var item in items)
                {
                    if (++count > MaxListItems)
                    {
                        break;
                    }

                    WriteValue(json, item, nested: true);
                }

                json.WriteEndArray();
                break;
            default:
                json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
