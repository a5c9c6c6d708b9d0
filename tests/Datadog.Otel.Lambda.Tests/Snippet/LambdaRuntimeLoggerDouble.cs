// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Amazon.Lambda.Core;

namespace Datadog.Otel.Lambda.Tests.Snippet;

/// <summary>
/// A stand-in for the ILambdaLogger of Amazon.Lambda.RuntimeSupport, which is not in the package registry here. It
/// formats lines by the rules of that runtime's formatters (read from its source, AbstractLogMessageFormatter): a
/// message with no arguments is written as it is, unparsed; otherwise properties of the template take the arguments in
/// the order they appear, a property without an argument stays as written, except that a template whose properties are
/// all numbers 0 to n-1 is filled by position; the text layout is <c>timestamp⇥requestId⇥level⇥message</c>; the JSON
/// layout is one object with <c>timestamp</c>, <c>level</c>, <c>requestId</c>, <c>message</c> and then every template
/// property that has a non-null argument as a field. <see cref="ParsedTemplates"/> holds every template it parsed: the
/// runtime keeps those (up to 1,024) for the life of the process.
/// </summary>
internal sealed class LambdaRuntimeLoggerDouble : ILambdaLogger
{
    private readonly bool json;
    private readonly Func<string?> requestId;

    public LambdaRuntimeLoggerDouble(bool json, Func<string?> requestId)
    {
        this.json = json;
        this.requestId = requestId;
    }

    public ConcurrentQueue<string> Lines { get; } = new();

    public ConcurrentQueue<string> ParsedTemplates { get; } = new();

    public void Log(string message) => this.Lines.Enqueue(message);

    public void LogLine(string message) => this.Write("Information", message, [], null);

    public void Log(string level, string message) => this.Write(level, message, [], null);

    public void Log(string level, string message, params object[] args) => this.Write(level, message, args, null);

    public void Log(string level, Exception exception, string message, params object[] args) => this.Write(level, message, args, exception);

    private static List<(int Start, int End, string Name)> Properties(string template)
    {
        var found = new List<(int, int, string)>();
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] != '{')
            {
                continue;
            }

            if (i + 1 < template.Length && template[i + 1] == '{')
            {
                i++;
                continue;
            }

            var close = template.IndexOf('}', i + 1);
            if (close < 0)
            {
                break;
            }

            var token = template.AsSpan(i + 1, close - i - 1).TrimStart('@');
            var colon = token.IndexOf(':');
            found.Add((i, close, (colon < 0 ? token : token[..colon]).Trim().ToString()));
            i = close;
        }

        return found;
    }

    /// <summary>The runtime's UsingPositionalArguments: every property a number, together 0 to n-1.</summary>
    private static bool Positional(List<(int Start, int End, string Name)> properties)
    {
        var positions = new HashSet<int>();
        foreach (var property in properties)
        {
            if (!int.TryParse(property.Name, NumberStyles.Integer, CultureInfo.InvariantCulture, out var position))
            {
                return false;
            }

            positions.Add(position);
        }

        return positions.Count > 0 && positions.Min() == 0 && positions.Max() == positions.Count - 1;
    }

    /// <summary>The argument property <paramref name="i"/> takes, and whether it has one.</summary>
    private static bool ArgumentOf(List<(int Start, int End, string Name)> properties, bool positional, object[] args, int i, out object? argument)
    {
        var index = positional ? int.Parse(properties[i].Name, CultureInfo.InvariantCulture) : i;
        argument = index < args.Length ? args[index] : null;
        return index < args.Length;
    }

    private void Write(string level, string? template, object[] args, Exception? exception)
    {
        // The runtime's ConsoleLoggerWriter: `messageState.MessageTemplate = messageTemplate ?? string.Empty`.
        template ??= string.Empty;
        var properties = args.Length == 0 ? [] : Properties(template);
        if (args.Length > 0)
        {
            this.ParsedTemplates.Enqueue(template);
        }

        var positional = Positional(properties);
        var message = new StringBuilder();
        var last = 0;
        for (var i = 0; i < properties.Count && (positional || i < args.Length); i++)
        {
            var has = ArgumentOf(properties, positional, args, i, out var argument);
            var text = has ? Convert.ToString(argument, CultureInfo.InvariantCulture) : template[properties[i].Start..(properties[i].End + 1)];
            message.Append(template, last, properties[i].Start - last).Append(text);
            last = properties[i].End + 1;
        }

        message.Append(template, last, template.Length - last);
        var time = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        if (!this.json)
        {
            var label = level switch { "Information" => "info", "Warning" => "warn", "Error" => "fail", _ => level };
            this.Lines.Enqueue($"{time}\t{this.requestId()}\t{label}\t{message}{(exception is null ? string.Empty : "\n" + exception)}");
            return;
        }

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("timestamp", time);
            writer.WriteString("level", level);
            if (this.requestId() is { } id)
            {
                writer.WriteString("requestId", id);
            }

            writer.WriteString("message", message.ToString());
            for (var i = 0; i < properties.Count && (positional || i < args.Length); i++)
            {
                ArgumentOf(properties, positional, args, i, out var argument);
                switch (argument)
                {
                    case null:
                        break;
                    case int number:
                        writer.WriteNumber(properties[i].Name, number);
                        break;
                    default:
                        writer.WriteString(properties[i].Name, Convert.ToString(argument, CultureInfo.InvariantCulture));
                        break;
                }
            }

            if (exception is not null)
            {
                writer.WriteString("errorType", exception.GetType().FullName);
            }

            writer.WriteEndObject();
        }

        this.Lines.Enqueue(Encoding.UTF8.GetString(stream.ToArray()));
    }
}
