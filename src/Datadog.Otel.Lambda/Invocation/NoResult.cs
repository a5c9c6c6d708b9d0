// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Datadog.Otel.Lambda.Invocation;

/// <summary>The "result" of a handler that returns nothing, so one generic runner serves both shapes.</summary>
internal readonly struct NoResult
{
    private static readonly Task<NoResult> Completed = Task.FromResult(default(NoResult));

    /// <summary>The handler's task as one with a result: a completed one at once, with no state machine.</summary>
    public static Task<NoResult> Await(Task task) => task.IsCompletedSuccessfully ? Completed : AwaitAsync(task);

    private static async Task<NoResult> AwaitAsync(Task task)
    {
        await task.ConfigureAwait(false);
        return default;
    }

    public static NoResult Invoke<T1, T2>(Action<T1, T2> action, T1 first, T2 second)
    {
        action(first, second);
        return default;
    }
}

/// <summary>
/// Deserializes a typed event from the bytes already read for tracing, then releases them. The bytes are the event without
/// its byte-order mark, so that the handler gets what <c>JsonSerializer.Deserialize(Stream)</c> gives it untraced.
/// </summary>
internal static class TypedEvent
{
    public static TEvent Take<TEvent>(InvocationEvent invocationEvent, JsonTypeInfo<TEvent> eventType)
    {
        try
        {
            return JsonSerializer.Deserialize(invocationEvent.Json.Span, eventType)!;
        }
        finally
        {
            invocationEvent.Dispose();
        }
    }
}
