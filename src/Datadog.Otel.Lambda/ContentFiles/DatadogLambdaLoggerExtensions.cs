// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0
//
// This file is added to your project by the Datadog.Otel.Lambda package and compiled there, next to
// Amazon.Lambda.Core 2.3 or later (which the package cannot reference). It puts the current trace and span ids into
// what you log with ILambdaLogger (context.Logger):
//
//     var log = ctx.Logger.WithDatadog();
//     log.LogInformation("Order {orderId} shipped", orderId);
//
// Text log format:  2024-05-01T12:00:00.000Z  <request id>  info  [dd.trace_id=123 dd.span_id=456] Order 42 shipped
// JSON log format:  {"timestamp":"…","level":"Information","requestId":"…","message":"[dd.trace_id=123 dd.span_id=456] Order 42 shipped",
//                    "dd.trace_id":"123","dd.span_id":"456","orderId":42}
//
// The ids travel as message template properties placed first in the template: Lambda's runtime substitutes them in
// the text layout and, in its JSON layout, writes every template property as a field of its own JSON object, so the
// ids are merged into the runtime's line instead of being written beside it. Two kinds of message get the ids as
// text in front instead (the same text line; in JSON, in "message" only): a positional template ("{0} of {1}"), which
// the runtime fills by position only when every property is a number, and a message of more than 1,024 characters
// with no arguments of its own, which would otherwise become a template the runtime keeps for the life of the process
// (it caches up to 1,024 parsed templates). Outside a traced invocation, or with DD_LOGS_INJECTION=false, every call
// goes to the runtime's logger unchanged. Log(string) (a raw write without a line end) is never changed.
//
// Checked against Amazon.Lambda.Core 3.2.0 and 2.3.0, the first with structured logging (README, "The Amazon.Lambda
// packages").
#nullable enable

using System;
using System.Collections.Generic;
using System.Globalization;
using Amazon.Lambda.Core;

namespace Datadog.Otel.Lambda;

/// <summary>Log/trace correlation for <see cref="ILambdaLogger"/>.</summary>
internal static class DatadogLambdaLoggerExtensions
{
    /// <summary>Wraps the Lambda logger so that every line written inside a traced invocation carries <c>dd.trace_id</c> and <c>dd.span_id</c>.</summary>
    /// <param name="logger">The invocation's logger (<c>context.Logger</c>).</param>
    /// <returns>A logger to use instead of <paramref name="logger"/>; the same one when it is already wrapped.</returns>
    public static ILambdaLogger WithDatadog(this ILambdaLogger logger) =>
        logger is null or DatadogCorrelatedLambdaLogger ? logger! : new DatadogCorrelatedLambdaLogger(logger);
}

/// <summary>Puts the ids in front of each message template as the properties <c>dd.trace_id</c> and <c>dd.span_id</c>.</summary>
internal sealed class DatadogCorrelatedLambdaLogger : ILambdaLogger
{
    // Placed first, the two properties take the first two arguments; the runtime matches properties to arguments in
    // order, so the caller's own properties keep theirs, and braces in a plain message (no arguments of its own) are
    // left as they are once the arguments run out.
    private const string Template = "[dd.trace_id={dd.trace_id} dd.span_id={dd.span_id}] ";

    // Lambda's runtime writes lines without a level (LogLine, Console) at this level.
    private const string DefaultLevel = "Information";

    // A message without arguments of its own is a template only because the ids are added; longer than this, it is
    // not made one (the runtime keeps what it parses).
    private const int MaxTemplatedMessageLength = 1024;

    private readonly ILambdaLogger inner;

    public DatadogCorrelatedLambdaLogger(ILambdaLogger inner)
    {
        this.inner = inner;
    }

    public void Log(string message) => this.inner.Log(message);

    public void LogLine(string message)
    {
        if (DatadogLogCorrelation.Current is { } ids)
        {
            this.Correlated(ids, DefaultLevel, null, message, null);
        }
        else
        {
            this.inner.LogLine(message);
        }
    }

    public void Log(string level, string message)
    {
        if (DatadogLogCorrelation.Current is { } ids)
        {
            this.Correlated(ids, level, null, message, null);
        }
        else
        {
            this.inner.Log(level, message);
        }
    }

    public void Log(string level, string message, params object[] args)
    {
        if (DatadogLogCorrelation.Current is { } ids)
        {
            this.Correlated(ids, level, null, message, args);
        }
        else
        {
            this.inner.Log(level, message, args);
        }
    }

    public void Log(string level, Exception exception, string message, params object[] args)
    {
        if (DatadogLogCorrelation.Current is { } ids)
        {
            this.Correlated(ids, level, exception, message, args);
        }
        else
        {
            this.inner.Log(level, exception, message, args);
        }
    }

    private static object[] WithIds(DatadogLogContext ids, object[]? args)
    {
        var count = args?.Length ?? 0;
        var all = new object[count + 2];
        all[0] = ids.TraceId;
        all[1] = ids.SpanId;
        if (count > 0)
        {
            Array.Copy(args!, 0, all, 2, count);
        }

        return all;
    }

    /// <summary>
    /// Whether the runtime fills <paramref name="template"/> by position: it has properties, every one a number, and
    /// together they are 0 to n-1 (repeats allowed). The properties are found as the runtime finds them: <c>{</c> then a
    /// name up to <c>}</c>, <c>{{</c> being a brace, the name without a leading <c>@</c> or a <c>:format</c>.
    /// </summary>
    private static bool IsPositional(string template)
    {
        HashSet<int>? positions = null;
        var max = -1;
        var min = int.MaxValue;
        var state = 0; // 0: in the message, 1: after '{', 2: in a property
        var start = -1;
        for (var i = 0; i < template.Length; i++)
        {
            switch (template[i])
            {
                case '{':
                    state = state switch { 0 => 1, 1 => 0, _ => state };
                    break;
                case '}' when state != 0:
                    if (start >= 0)
                    {
                        var name = template.AsSpan(start, i - start);
                        if (name[0] == '@')
                        {
                            name = name[1..];
                        }

                        var colon = name.IndexOf(':');
                        if (!int.TryParse((colon < 0 ? name : name[..colon]).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var position))
                        {
                            return false;
                        }

                        (positions ??= new HashSet<int>()).Add(position);
                        max = Math.Max(max, position);
                        min = Math.Min(min, position);
                    }

                    state = 0;
                    start = -1;
                    break;
                default:
                    if (state == 1)
                    {
                        start = i;
                        state = 2;
                    }

                    break;
            }
        }

        return positions is not null && positions.Count == max + 1 && min == 0;
    }

    private void Correlated(DatadogLogContext ids, string level, Exception? exception, string? message, object[]? args)
    {
        // The runtime writes a null message as an empty one; so does the prefix.
        message ??= string.Empty;
        var own = args is { Length: > 0 };
        if (own ? IsPositional(message) : message.Length > MaxTemplatedMessageLength)
        {
            // The ids as text; the caller's template and arguments reach the runtime as they were.
            var text = ids.Prefix + " " + message;
            if (exception is not null)
            {
                this.inner.Log(level, exception, text, args ?? Array.Empty<object>());
            }
            else if (own)
            {
                this.inner.Log(level, text, args!);
            }
            else
            {
                this.inner.Log(level, text);
            }

            return;
        }

        if (exception is not null)
        {
            this.inner.Log(level, exception, Template + message, WithIds(ids, args));
        }
        else
        {
            this.inner.Log(level, Template + message, WithIds(ids, args));
        }
    }
}
