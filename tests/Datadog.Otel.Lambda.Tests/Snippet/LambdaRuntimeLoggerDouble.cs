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
/// formats lines by the rules of that runtime's formatters (read from its source): properties of a message template
/// take the arguments in the order they appear, a property without an argument stays as written; the text layout is
/// <c>timestamp⇥requestId⇥level⇥message</c>; the JSON layout is one object with <c>timestamp</c>, <c>level</c>,
/// <c>requestId</c>, <c>message</c> and then every template property that has a non-null argument as a field.
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

    private void Write(string level, string template, object[] args, Exception? exception)
    {
        var properties = args.Length == 0 ? [] : Properties(template);
        var message = new StringBuilder();
        var last = 0;
        for (var i = 0; i < properties.Count && i < args.Length; i++)
        {
            message.Append(template, last, properties[i].Start - last).Append(Convert.ToString(args[i], CultureInfo.InvariantCulture));
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
            for (var i = 0; i < properties.Count && i < args.Length; i++)
            {
                switch (args[i])
                {
                    case null:
                        break;
                    case int number:
                        writer.WriteNumber(properties[i].Name, number);
                        break;
                    default:
                        writer.WriteString(properties[i].Name, Convert.ToString(args[i], CultureInfo.InvariantCulture));
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
