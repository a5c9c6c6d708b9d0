// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using System.Text.Json;

namespace Datadog.Otel.Lambda.Internal;

/// <summary>
/// The type, message and stack of an exception for <c>error.*</c> tags and diagnostics, in the layout of
/// <see cref="Exception.ToString"/> but bounded in depth, length and time. <see cref="Exception.ToString"/> recurses
/// once per inner exception and copies the whole text at every level: a chain 5,000 deep takes seconds, one 100,000
/// deep overflows the stack (which no catch can stop), and an override may throw or loop. So it is never called: the
/// text is built here, iteratively, from each exception's type, <see cref="Exception.Message"/> and
/// <see cref="Exception.StackTrace"/> (each read once, guarded, and cut), visiting at most
/// <see cref="MaxExceptions"/> exceptions and at most <see cref="MaxChainDepth"/> levels of inner exceptions, and
/// stopping at <see cref="MaxStackLength"/> characters. What was left out is said in the text.
/// </summary>
internal static class ExceptionText
{
    /// <summary>Longest <c>error.msg</c>, and longest message of any exception inside the stack text.</summary>
    public const int MaxMessageLength = 5_000;

    /// <summary>Longest <c>error.stack</c>: the tag only needs to show where it failed.</summary>
    public const int MaxStackLength = 16 * 1024;

    /// <summary>Longest stack trace of one exception inside the stack text.</summary>
    public const int MaxFrameTextLength = 4_000;

    /// <summary>Inner exceptions followed below the outermost one (the outer stack, where the handler failed, stays visible).</summary>
    public const int MaxChainDepth = 8;

    /// <summary>Exceptions described in one text, inner exceptions of <see cref="AggregateException"/>s included.</summary>
    public const int MaxExceptions = 32;

    /// <summary>Inner exceptions of one <see cref="AggregateException"/> described.</summary>
    public const int MaxAggregateInners = 8;

    /// <summary>
    /// <see cref="AggregateException.Message"/> joins the messages of its inner exceptions, recursively and on every call:
    /// it is read only when the aggregates below it are few and shallow, otherwise the default message stands in.
    /// </summary>
    private const int MaxAggregatesUnderMessage = 8;

    private const string EndOfInner = "   --- End of inner exception stack trace ---";
    private const string AggregateFallbackMessage = "One or more errors occurred.";

    /// <summary>Describes <paramref name="exception"/>. Never throws.</summary>
    /// <param name="exception">The exception.</param>
    /// <param name="diagnostic">
    /// For a diagnostic line rather than the handler's own error: the message of a <see cref="JsonException"/> quotes
    /// the input where it failed (a payload's text, secrets included), so only its position is kept.
    /// </param>
    public static ExceptionDescription Describe(Exception exception, bool diagnostic = false)
    {
        var type = TypeName(exception);
        var message = Message(exception, diagnostic);
        string stack;
        try
        {
            stack = Stack(exception, type, message, diagnostic);
        }
#pragma warning disable CA1031 // A description must never fail the invocation it describes.
        catch (Exception)
#pragma warning restore CA1031
        {
            stack = message.Length == 0 ? type : type + ": " + message;
        }

        return new ExceptionDescription(type, message, stack);
    }

    /// <summary>The exception's message, cut to <see cref="MaxMessageLength"/>; empty when reading it throws.</summary>
    /// <param name="exception">The exception.</param>
    /// <param name="diagnostic">For a diagnostic line: see <see cref="Describe"/>.</param>
    public static string Message(Exception exception, bool diagnostic = false)
    {
        try
        {
            if (diagnostic && exception is JsonException json)
            {
                return "invalid JSON (line " + (json.LineNumber ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture)
                    + ", byte " + (json.BytePositionInLine ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture) + ")";
            }

            var message = exception is AggregateException aggregate && !IsSmallAggregate(aggregate)
                ? AggregateFallbackMessage
                : exception.Message ?? string.Empty;
            return Cut(message, MaxMessageLength);
        }
#pragma warning disable CA1031 // User exceptions may throw from their own Message.
        catch (Exception)
#pragma warning restore CA1031
        {
            return string.Empty;
        }
    }

    private static string TypeName(Exception exception)
    {
        var type = exception.GetType();
        return type.FullName ?? type.Name;
    }

    private static string Stack(Exception root, string rootType, string rootMessage, bool diagnostic)
    {
        var text = new StringBuilder(1024);
        var pending = new Stack<Part>();
        var described = 0;
        pending.Push(Part.Of(root, 0));
        while (pending.Count > 0 && text.Length < MaxStackLength)
        {
            var part = pending.Pop();
            if (part.Text is { } literal)
            {
                text.Append(literal);
                continue;
            }

            var exception = part.Exception!;
            if (described++ == MaxExceptions)
            {
                text.Append("(more inner exceptions not shown)");
                continue;
            }

            // Exception.ToString's layout: "Type: Message", then " ---> " and the inner exception with the end marker,
            // then this exception's stack; an aggregate adds its other inner exceptions after it, numbered.
            var type = ReferenceEquals(exception, root) ? rootType : TypeName(exception);
            var message = ReferenceEquals(exception, root) ? rootMessage : Message(exception, diagnostic);
            text.Append(type);
            if (message.Length > 0)
            {
                text.Append(": ").Append(Cut(message, 2_000));
            }

            var aggregateInners = exception is AggregateException aggregate ? Inners(aggregate) : null;
            if (aggregateInners is not null)
            {
                var shown = Math.Min(aggregateInners.Count, MaxAggregateInners);
                if (aggregateInners.Count > shown)
                {
                    pending.Push(Part.Of(Environment.NewLine + $" ---> ({aggregateInners.Count - shown} more inner exceptions not shown)"));
                }

                for (var i = shown - 1; i >= 1; i--)
                {
                    pending.Push(Part.Of("<---" + Environment.NewLine));
                    pending.Push(Part.Of(aggregateInners[i], part.Depth + 1));
                    pending.Push(Part.Of(Environment.NewLine + " ---> (Inner Exception #" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + ") "));
                }
            }

            if (StackTrace(exception) is { Length: > 0 } frames)
            {
                pending.Push(Part.Of(Environment.NewLine + Cut(frames, MaxFrameTextLength)));
            }

            var inner = SafeInner(exception);
            if (inner is not null)
            {
                pending.Push(Part.Of(Environment.NewLine + EndOfInner));
                if (part.Depth + 1 > MaxChainDepth)
                {
                    pending.Push(Part.Of(Environment.NewLine + " ---> (" + ChainLength(inner) + " more inner exceptions not shown)"));
                }
                else
                {
                    pending.Push(Part.Of(inner, part.Depth + 1));
                    pending.Push(Part.Of(Environment.NewLine + " ---> "));
                }
            }
        }

        return Cut(text.ToString(), MaxStackLength);
    }

    private static string? StackTrace(Exception exception)
    {
        try
        {
            return exception.StackTrace;
        }
#pragma warning disable CA1031 // User exceptions may throw from their own StackTrace.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    private static Exception? SafeInner(Exception exception)
    {
        try
        {
            return exception.InnerException;
        }
#pragma warning disable CA1031 // Never expected (the property is not virtual), but a description must not fail.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    private static IReadOnlyList<Exception>? Inners(AggregateException aggregate)
    {
        try
        {
            return aggregate.InnerExceptions;
        }
#pragma warning disable CA1031 // As above.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    /// <summary>How many exceptions follow in the chain, counted up to a bound ("1000+" past it).</summary>
    private static string ChainLength(Exception inner)
    {
        const int Bound = 1_000;
        var count = 0;
        for (var e = inner; e is not null && count < Bound; e = SafeInner(e))
        {
            count++;
        }

        return count < Bound ? count.ToString(System.Globalization.CultureInfo.InvariantCulture) : Bound.ToString(System.Globalization.CultureInfo.InvariantCulture) + "+";
    }

    /// <summary>Whether reading the aggregate's message is cheap: few aggregates below it, each with few inner exceptions.</summary>
    private static bool IsSmallAggregate(AggregateException root)
    {
        var queue = new Queue<AggregateException>();
        queue.Enqueue(root);
        var aggregates = 0;
        while (queue.Count > 0)
        {
            var aggregate = queue.Dequeue();
            if (++aggregates > MaxAggregatesUnderMessage || Inners(aggregate) is not { } inners || inners.Count > MaxAggregateInners * 4)
            {
                return false;
            }

            foreach (var inner in inners)
            {
                if (inner is AggregateException nested)
                {
                    queue.Enqueue(nested);
                }
            }
        }

        return true;
    }

    private static string Cut(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var length = char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
        return text[..length];
    }

    private readonly struct Part
    {
        public string? Text { get; private init; }

        public Exception? Exception { get; private init; }

        public int Depth { get; private init; }

        public static Part Of(string text) => new() { Text = text };

        public static Part Of(Exception exception, int depth) => new() { Exception = exception, Depth = depth };
    }
}

/// <summary>What <see cref="ExceptionText"/> made of an exception: computed once, used for every tag and diagnostic.</summary>
/// <param name="Type">The full type name.</param>
/// <param name="Message">The message, bounded.</param>
/// <param name="Stack">The <see cref="Exception.ToString"/>-like text, bounded.</param>
internal readonly record struct ExceptionDescription(string Type, string Message, string Stack);
